import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import {
  generateSealingKeyPair,
  matchHash,
  open,
  seal,
  type Sealed,
} from '../../../src/domain/seal';
import { fromBase64Url, toBase64Url } from '../../../src/domain/bytes';

const rand = (n: number) => new Uint8Array(randomBytes(n));
const ID = '11010519491231002X';

describe('sealing to the office', () => {
  it('the office opens what a kiosk sealed', async () => {
    const office = await generateSealingKeyPair();
    const sealed = await seal(ID, office.publicKey, 'visitor.idNumber', rand);
    expect(JSON.stringify(sealed)).not.toContain('1101');
    expect(await open(sealed, office.privateKey, 'visitor.idNumber')).toBe(ID);
  });

  it('cannot be opened with anything the kiosk stores: its copy holds only public keys and the sealed value', async () => {
    const office = await generateSealingKeyPair();
    const sealed = await seal(ID, office.publicKey, 'visitor.idNumber', rand);
    // Everything a stolen kiosk holds of this value: the office public key and the sealed object.
    // Neither works as the private key, and another key pair (say, one the thief makes) fails too.
    const kioskHeld = [office.publicKey, fromBase64Url(sealed.epk), fromBase64Url(sealed.ct)];
    for (const material of kioskHeld)
      await expect(open(sealed, material, 'visitor.idNumber')).rejects.toThrow();
    const thief = await generateSealingKeyPair();
    await expect(open(sealed, thief.privateKey, 'visitor.idNumber')).rejects.toThrow();
  });

  it('a sealed value is bound to its field and refuses any alteration', async () => {
    const office = await generateSealingKeyPair();
    const sealed = await seal(ID, office.publicKey, 'visitor.idNumber', rand);
    await expect(open(sealed, office.privateKey, 'slip.applicantId')).rejects.toThrow();
    const ct = fromBase64Url(sealed.ct);
    ct[0] = ct[0]! ^ 1;
    const tampered: Sealed = { ...sealed, ct: toBase64Url(ct) };
    await expect(open(tampered, office.privateKey, 'visitor.idNumber')).rejects.toThrow();
  });

  it('sealing the same number twice gives unrelated results (nothing to correlate)', async () => {
    const office = await generateSealingKeyPair();
    const a = await seal(ID, office.publicKey, 'visitor.idNumber', rand);
    const b = await seal(ID, office.publicKey, 'visitor.idNumber', rand);
    expect(a.ct).not.toBe(b.ct);
    expect(a.epk).not.toBe(b.epk);
  });
});

describe('match hashes', () => {
  it('are equal for equal values under one key, differ across keys and kinds', async () => {
    const key = rand(32);
    expect(await matchHash(key, 'id', ID)).toBe(await matchHash(key, 'id', ID));
    expect(await matchHash(key, 'id', ID)).toMatch(/^[0-9a-f]{64}$/);
    expect(await matchHash(rand(32), 'id', ID)).not.toBe(await matchHash(key, 'id', ID));
    expect(await matchHash(key, 'name_phone', ID)).not.toBe(await matchHash(key, 'id', ID));
  });
});
