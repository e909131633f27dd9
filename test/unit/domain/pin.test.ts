import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { toBase64Url } from '../../../src/domain/bytes';
import {
  afterAttempt,
  checkPin,
  hashPin,
  isGuessablePin,
  isLockedOut,
  LOCKOUT_SECONDS,
  NO_FAILURES,
  type LockoutState,
} from '../../../src/domain/pin';

describe('guard PINs', () => {
  it('a typed PIN matches its stored hash; another PIN, a non-PIN, or another salt does not', async () => {
    const salt = new Uint8Array(randomBytes(16));
    const stored = {
      hash: await hashPin('2580', salt, 1000),
      salt: toBase64Url(salt),
      iterations: 1000,
    };
    expect(await checkPin('2580', stored)).toBe(true);
    expect(await checkPin('2581', stored)).toBe(false);
    expect(await checkPin('25a0', stored)).toBe(false);
    const other = new Uint8Array(randomBytes(16));
    expect(await checkPin('2580', { ...stored, salt: toBase64Url(other) })).toBe(false);
  });

  it('five wrong PINs lock the guard out for five minutes, then counting starts afresh', () => {
    let s: LockoutState = NO_FAILURES;
    const t = 1_800_000_000;
    for (let i = 0; i < 4; i++) s = afterAttempt(s, t + i, false);
    expect(isLockedOut(s, t + 4)).toBe(false);
    s = afterAttempt(s, t + 4, false);
    expect(isLockedOut(s, t + 5)).toBe(true);
    // Even the right PIN during the lock changes nothing.
    expect(afterAttempt(s, t + 10, true)).toEqual(s);
    expect(isLockedOut(s, t + 4 + LOCKOUT_SECONDS - 1)).toBe(true);
    expect(isLockedOut(s, t + 4 + LOCKOUT_SECONDS)).toBe(false);
    s = afterAttempt(s, t + 4 + LOCKOUT_SECONDS, false);
    expect(s).toEqual({ failures: 1, lockedUntil: 0 });
    expect(afterAttempt(s, t + 400, true)).toEqual(NO_FAILURES);
  });

  it('the office refuses the PINs a bystander tries first', () => {
    for (const pin of ['0000', '1111', '1234', '4321', '012345', '987654', '567890'.slice(0, 4)])
      expect(isGuessablePin(pin), pin).toBe(true);
    for (const pin of ['2580', '1357', '2468', '1233', '9012', '135790'])
      expect(isGuessablePin(pin), pin).toBe(false);
  });
});
