/**
 * Guard PINs, checked offline on the kiosk (issue: guard shifts). The office sets a PIN; the
 * kiosk receives only PBKDF2-SHA-256(PIN, per-guard salt) and checks a typed PIN against it.
 *
 * A 4–6 digit PIN has at most a million values, so no hash keeps it from someone who copies the
 * kiosk's database and searches offline; the iterations make that search slow (about a day on a
 * tablet), and what a PIN protects is a shift log-in, not a secret. Online guessing is stopped by
 * the lockout: five wrong PINs lock that guard out for five minutes.
 */
import { fromBase64Url, toBase64Url, bytesEqual } from './bytes';
import { subtle, utf8Encode } from './webcrypto';

export const PIN_PATTERN = /^[0-9]{4,6}$/;
export const PIN_ITERATIONS = 100_000;
export const LOCKOUT_FAILURES = 5;
export const LOCKOUT_SECONDS = 5 * 60;

/**
 * PINs a bystander guesses first: one digit repeated (0000) or a run up or down (1234, 9876,
 * 012345). The office refuses them when it sets a PIN; five tries at the kiosk would find them.
 */
export function isGuessablePin(pin: string): boolean {
  const d = [...pin].map(Number);
  const steps = new Set(d.slice(1).map((x, i) => x - d[i]!));
  return steps.size === 1 && [0, 1, -1].includes([...steps][0]!);
}

export async function hashPin(
  pin: string,
  salt: Uint8Array,
  iterations = PIN_ITERATIONS,
): Promise<string> {
  const key = await subtle().importKey('raw', utf8Encode(pin), { name: 'PBKDF2' }, false, [
    'deriveBits',
  ]);
  const bits = await subtle().deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    key,
    256,
  );
  return toBase64Url(new Uint8Array(bits));
}

export async function checkPin(
  pin: string,
  stored: { hash: string; salt: string; iterations: number },
): Promise<boolean> {
  if (!PIN_PATTERN.test(pin)) return false;
  const candidate = await hashPin(pin, fromBase64Url(stored.salt), stored.iterations);
  return bytesEqual(fromBase64Url(candidate), fromBase64Url(stored.hash));
}

export interface LockoutState {
  failures: number;
  /** Seconds; 0 when not locked. */
  lockedUntil: number;
}

export const NO_FAILURES: LockoutState = { failures: 0, lockedUntil: 0 };

export function isLockedOut(state: LockoutState, now: number): boolean {
  return state.lockedUntil > now;
}

/** The state after an attempt; a success clears the count, the fifth failure locks. */
export function afterAttempt(state: LockoutState, now: number, success: boolean): LockoutState {
  // While locked, nothing is checked and nothing changes: the lock runs its full time.
  if (isLockedOut(state, now)) return state;
  if (success) return NO_FAILURES;
  const failures = (state.lockedUntil !== 0 && state.lockedUntil <= now ? 0 : state.failures) + 1;
  return failures >= LOCKOUT_FAILURES
    ? { failures: 0, lockedUntil: now + LOCKOUT_SECONDS }
    : { failures, lockedUntil: 0 };
}
