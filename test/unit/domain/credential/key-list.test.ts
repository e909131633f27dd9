import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  asciiBytes,
  concatBytes,
  fromBase64Url,
  fromHex,
  toBase64Url,
  toHex,
} from '../../../../src/domain/bytes';
import {
  exportPublicKey,
  generateSigningKeyPair,
  keyIdOf,
  sign,
  verifySignature,
} from '../../../../src/domain/credential/es256';
import {
  createTrustStore,
  signingKeyEntry,
  signKeyList,
  verifyKeyList,
  type KeyListPayload,
  type SignedKeyList,
  type SigningKeyEntry,
} from '../../../../src/domain/credential/key-list';
import { utf8Decode, utf8Encode, type CryptoKeyPairHandle } from '../../../../src/domain/webcrypto';

const COMMUNITY = 42;
const T0 = 1_772_438_400;

let root: CryptoKeyPairHandle;
let rootRaw: Uint8Array;
let signer: CryptoKeyPairHandle;
let entry: SigningKeyEntry;
let payload: KeyListPayload;
let signed: SignedKeyList;

beforeAll(async () => {
  root = await generateSigningKeyPair();
  rootRaw = await exportPublicKey(root.publicKey);
  signer = await generateSigningKeyPair();
  entry = await signingKeyEntry(signer.publicKey, {
    notBefore: T0,
    notAfter: T0 + 86_400,
    uses: ['card', 'slip'],
  });
  payload = {
    format: 'gatepost-keylist/1',
    communityId: COMMUNITY,
    seq: 5,
    issuedAt: T0,
    keys: [entry],
  };
  signed = await signKeyList(payload, root.privateKey);
});

/** What a kiosk holding the list signed in beforeAll passes as `current`. */
const held = () => ({ seq: payload.seq, payload: signed.payload });

/** Signs arbitrary payload bytes the way signKeyList does, to reach the checks after the signature. */
async function rootSignedBytes(bytes: Uint8Array): Promise<SignedKeyList> {
  const signature = await sign(root.privateKey, concatBytes(asciiBytes('GPKL1:'), bytes));
  return { payload: toBase64Url(bytes), signature: toBase64Url(signature) };
}

describe('signKeyList', () => {
  it('signs ASCII "GPKL1:" followed by the exact payload bytes with the root key', async () => {
    const bytes = fromBase64Url(signed.payload);
    expect(JSON.parse(utf8Decode(bytes))).toEqual(payload);
    const over = (prefix: string) => concatBytes(asciiBytes(prefix), bytes);
    const sig = fromBase64Url(signed.signature);
    expect(await verifySignature(root.publicKey, sig, over('GPKL1:'))).toBe(true);
    // Domain separation: the same signature is not one over the bare payload or a code prefix.
    expect(await verifySignature(root.publicKey, sig, bytes)).toBe(false);
    expect(await verifySignature(root.publicKey, sig, over('GP1:'))).toBe(false);
  });

  it('refuses to sign a payload outside the schema', async () => {
    await expect(signKeyList({ ...payload, seq: 0 }, root.privateKey)).rejects.toThrow();
    await expect(
      signKeyList({ ...payload, keys: [{ ...entry, notAfter: entry.notBefore }] }, root.privateKey),
    ).rejects.toThrow();
  });
});

describe('signingKeyEntry', () => {
  it('derives the kid from the key: SHA-256 of the raw public key, first 4 bytes, hex', async () => {
    const raw = await exportPublicKey(signer.publicKey);
    const digest = createHash('sha256').update(raw).digest();
    expect(entry.kid).toBe(digest.subarray(0, 4).toString('hex'));
    expect(entry.kid).toBe(toHex(await keyIdOf(raw)));
    expect(fromBase64Url(entry.publicKey)).toEqual(raw);
    expect(await signingKeyEntry(raw, entry)).toEqual(entry);
  });

  it('derives kid and publicKey even when handed an entry of another key', async () => {
    // Re-deriving from an existing entry's fields must not carry its kid or key across.
    const reused = await signingKeyEntry(rootRaw, entry);
    expect(reused.kid).toBe(toHex(await keyIdOf(rootRaw)));
    expect(reused.publicKey).toBe(toBase64Url(rootRaw));
    expect(reused).toMatchObject({ notBefore: entry.notBefore, uses: entry.uses });
  });
});

describe('verifyKeyList', () => {
  it('accepts a root-signed list on first enrollment', async () => {
    const result = await verifyKeyList(signed, rootRaw, { communityId: COMMUNITY });
    expect(result).toEqual({ ok: true, list: payload });
  });

  it('accepts the same sequence with the same payload again', async () => {
    const result = await verifyKeyList(signed, rootRaw, {
      communityId: COMMUNITY,
      current: held(),
    });
    expect(result.ok).toBe(true);
  });

  it('accepts a higher sequence', async () => {
    const next = await signKeyList({ ...payload, seq: 6, keys: [] }, root.privateKey);
    const result = await verifyKeyList(next, rootRaw, { communityId: COMMUNITY, current: held() });
    expect(result).toMatchObject({ ok: true, list: { seq: 6, keys: [] } });
  });

  it('refuses a genuine but older list (roll-back)', async () => {
    const older = await signKeyList({ ...payload, seq: 4 }, root.privateKey);
    // Without a held list the same older list is fine: the refusal is the roll-back rule.
    expect((await verifyKeyList(older, rootRaw, { communityId: COMMUNITY })).ok).toBe(true);
    const result = await verifyKeyList(older, rootRaw, { communityId: COMMUNITY, current: held() });
    expect(result).toMatchObject({ ok: false, reason: 'rollback' });
  });

  it('refuses a genuine list with the held sequence but another payload', async () => {
    const altered = await signKeyList({ ...payload, issuedAt: T0 + 1 }, root.privateKey);
    const result = await verifyKeyList(altered, rootRaw, {
      communityId: COMMUNITY,
      current: held(),
    });
    expect(result).toMatchObject({ ok: false, reason: 'rollback' });
  });

  it('refuses a root-signed list for another community', async () => {
    const other = await signKeyList({ ...payload, communityId: COMMUNITY + 1 }, root.privateKey);
    const result = await verifyKeyList(other, rootRaw, { communityId: COMMUNITY });
    expect(result).toMatchObject({ ok: false, reason: 'wrong_community' });
  });

  it('refuses a list signed by any key but the pinned root', async () => {
    const bySigner = await signKeyList(payload, signer.privateKey);
    const result = await verifyKeyList(bySigner, rootRaw, { communityId: COMMUNITY });
    expect(result).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a tampered payload under the original signature', async () => {
    const widened = { ...payload, keys: [{ ...entry, uses: ['card', 'slip', 'invitation'] }] };
    const tampered = { ...signed, payload: toBase64Url(utf8Encode(JSON.stringify(widened))) };
    const result = await verifyKeyList(tampered, rootRaw, { communityId: COMMUNITY });
    expect(result).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a root-signed entry whose kid is not derived from its key (malformed)', async () => {
    const rootKid = toHex(await keyIdOf(rootRaw));
    const lying = await signKeyList(
      { ...payload, keys: [{ ...entry, kid: rootKid }] },
      root.privateKey,
    );
    const result = await verifyKeyList(lying, rootRaw, { communityId: COMMUNITY });
    expect(result).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('refuses root-signed bytes that are not a key list (malformed)', async () => {
    for (const bytes of [
      Uint8Array.of(0xff, 0xfe), // not UTF-8
      utf8Encode('not json'),
      utf8Encode(JSON.stringify({ ...payload, extra: true })), // unknown field
      utf8Encode(JSON.stringify({ ...payload, format: 'gatepost-keylist/2' })),
    ]) {
      const result = await verifyKeyList(await rootSignedBytes(bytes), rootRaw, {
        communityId: COMMUNITY,
      });
      expect(result).toMatchObject({ ok: false, reason: 'malformed' });
    }
  });

  it('refuses malformed envelopes before any cryptography', async () => {
    for (const envelope of [
      null,
      'a string',
      { payload: signed.payload },
      { ...signed, extra: 1 },
      { ...signed, signature: signed.signature.slice(0, -3) }, // 62 bytes
      { ...signed, signature: toBase64Url(new Uint8Array(65)) },
      { ...signed, payload: signed.payload + '=' },
      { ...signed, payload: signed.payload + '!' },
      { ...signed, payload: 7 },
    ]) {
      const result = await verifyKeyList(envelope, rootRaw, { communityId: COMMUNITY });
      expect(result).toMatchObject({ ok: false, reason: 'malformed' });
    }
  });
});

describe('createTrustStore', () => {
  it('finds keys by their 4-byte id and nothing else', async () => {
    const trust = await createTrustStore(payload);
    expect(trust.communityId).toBe(COMMUNITY);
    const found = trust.candidates(await keyIdOf(await exportPublicKey(signer.publicKey)));
    expect(found.map((k) => k.entry)).toEqual([entry]);
    expect(trust.candidates(Uint8Array.of(0, 0, 0, 0))).toEqual([]);
  });

  it('returns every key that shares an id, since 4-byte ids can collide', async () => {
    // Same key listed twice with different periods stands in for a real collision.
    const later = { ...entry, notBefore: T0 + 86_400, notAfter: T0 + 2 * 86_400 };
    const trust = await createTrustStore({ ...payload, keys: [entry, later] });
    const found = trust.candidates(fromHex(entry.kid));
    expect(found.map((k) => k.entry)).toEqual([entry, later]);
  });
});
