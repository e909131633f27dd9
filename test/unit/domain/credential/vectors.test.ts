/**
 * The committed test vectors (test/fixtures/credential-vectors.json, docs/credential-format.md)
 * against the verifier. The fixture is read, never regenerated here: it is the contract an
 * independent implementation (or a later version of this one) must agree with.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fromBase64Url, toHex } from '../../../../src/domain/bytes';
import { CredentialType } from '../../../../src/domain/credential/body';
import { CODE_PREFIX } from '../../../../src/domain/credential/code';
import { fingerprintOf, PUBLIC_KEY_LENGTH } from '../../../../src/domain/credential/es256';
import {
  createTrustStore,
  webCryptoSignatureCheck,
  verifyKeyList,
  type TrustStore,
} from '../../../../src/domain/credential/key-list';
import { VERIFY_REASONS, verifyCode } from '../../../../src/domain/credential/verify';
import { nodeSignatureCheck } from '../../../../src/server/crypto/node-signature';
import { utf8Decode } from '../../../../src/domain/webcrypto';

const FIXTURE = new URL('../../../fixtures/credential-vectors.json', import.meta.url);
const text = readFileSync(FIXTURE, 'utf8');

const typeName = z.enum(['card', 'slip', 'invitation']);
const fixtureSchema = z.object({
  format: z.literal('gatepost-credential-vectors/1'),
  communityId: z.number().int(),
  now: z.number().int(),
  clockToleranceS: z.number().int().min(0),
  rootPublicKey: z.string(),
  rootFingerprint: z.string(),
  keyList: z.object({ payload: z.string(), signature: z.string() }),
  keyListDecoded: z.unknown(),
  vectors: z.array(
    z.object({
      name: z.string(),
      description: z.string().min(1),
      code: z.string(),
      expected: z.object({
        reason: z.enum(VERIFY_REASONS),
        type: typeName.optional(),
        serial: z.number().int().optional(),
        communityId: z.number().int().optional(),
        keyId: z.string().optional(),
        notBefore: z.number().int().optional(),
        expires: z.number().int().optional(),
        window: z
          .object({ weekdays: z.number(), startQuarter: z.number(), endQuarter: z.number() })
          .optional(),
        trips: z.number().int().optional(),
        persons: z.number().int().optional(),
        signer: z.string().optional(),
      }),
    }),
  ),
  keyListVectors: z.array(
    z.object({
      name: z.string(),
      description: z.string().min(1),
      signed: z.unknown(),
      expect: z.object({
        communityId: z.number().int(),
        current: z.object({ seq: z.number().int(), payload: z.string() }).optional(),
      }),
      expected: z.object({
        reason: z.enum(['ok', 'malformed', 'bad_signature', 'wrong_community', 'rollback']),
        seq: z.number().int().optional(),
      }),
    }),
  ),
});
const fixture = fixtureSchema.parse(JSON.parse(text));
const rootPublicKey = fromBase64Url(fixture.rootPublicKey);

describe('credential vectors fixture', () => {
  it('holds public material only', () => {
    // No private-key field names, and no PKCS#8 DER (which starts 30 81 87 02 01 00 for P-256,
    // "MIGHAgEA" in base64) or JWK private scalar anywhere in the file.
    expect(text).not.toMatch(/"(?:privateKey|private|pkcs8|d)"\s*:/i);
    expect(text).not.toContain('MIGHAgEA');
    expect(rootPublicKey.length).toBe(PUBLIC_KEY_LENGTH);
    expect(rootPublicKey[0]).toBe(0x04);
  });

  it('pins the root by the fingerprint it states, and its readable key list is the signed one', async () => {
    expect(await fingerprintOf(rootPublicKey)).toBe(fixture.rootFingerprint);
    const signedPayload = JSON.parse(utf8Decode(fromBase64Url(fixture.keyList.payload)));
    expect(signedPayload).toEqual(fixture.keyListDecoded);
  });

  it('covers every reason, every type and at least 15 refusals', () => {
    const reasons = new Set(fixture.vectors.map((v) => v.expected.reason));
    expect([...reasons].sort()).toEqual([...VERIFY_REASONS].sort());
    const validTypes = new Set(
      fixture.vectors.filter((v) => v.expected.reason === 'ok').map((v) => v.expected.type),
    );
    expect([...validTypes].sort()).toEqual(Object.keys(CredentialType).sort());
    expect(fixture.vectors.filter((v) => v.expected.reason !== 'ok').length).toBeGreaterThanOrEqual(
      15,
    );
    expect(new Set(fixture.vectors.map((v) => v.name)).size).toBe(fixture.vectors.length);
    const listReasons = new Set(fixture.keyListVectors.map((v) => v.expected.reason));
    expect([...listReasons].sort()).toEqual(
      ['bad_signature', 'malformed', 'ok', 'rollback', 'wrong_community'].sort(),
    );
  });
});

describe('key-list vectors', () => {
  it.for(fixture.keyListVectors)('$name', async (v) => {
    const result = await verifyKeyList(v.signed, rootPublicKey, v.expect);
    if (v.expected.reason === 'ok') {
      expect(result).toMatchObject({ ok: true });
      if (result.ok) expect(result.list.seq).toBe(v.expected.seq);
    } else {
      expect(result).toMatchObject({ ok: false, reason: v.expected.reason });
    }
  });
});

// The same vectors through both signature backends: WebCrypto (kiosk, workers, default) and
// Node's one-shot verify (the server), so the two can never judge a code differently.
describe.for([
  ['WebCrypto', webCryptoSignatureCheck],
  ['node:crypto', nodeSignatureCheck],
] as const)('code vectors (%s)', ([, checkFor]) => {
  let trust: TrustStore;

  beforeAll(async () => {
    const list = await verifyKeyList(fixture.keyList, rootPublicKey, {
      communityId: fixture.communityId,
    });
    if (!list.ok) throw new Error(`the fixture's key list does not verify: ${list.message}`);
    trust = await createTrustStore(list.list, checkFor);
  });

  it.for(fixture.vectors)('$name', async (v) => {
    const result = await verifyCode(v.code, {
      trust,
      now: fixture.now,
      clockToleranceS: fixture.clockToleranceS,
    });
    const { reason, signer, ...fields } = v.expected;
    expect(result.reason, `${v.description} (${result.ok ? 'ok' : result.detail})`).toBe(reason);
    expect(result.ok).toBe(reason === 'ok');

    // Valid codes, and refusals made after the signature passed, carry the authentic fields;
    // a refusal before the signature must not hand out the untrusted body.
    if (fields.type === undefined) {
      expect(result.credential).toBeUndefined();
      return;
    }
    const credential = result.credential;
    expect(credential).toBeDefined();
    const { keyId, ...rest } = credential!;
    expect({ ...rest, keyId: toHex(keyId) }).toEqual(fields);
    if (result.ok) {
      expect(result.key.kid).toBe(signer);
      expect(result.key.kid).toBe(fields.keyId);
    }
  });
});

describe('code vectors', () => {
  it('every valid code is QR alphanumeric text starting with the prefix', () => {
    for (const v of fixture.vectors.filter((x) => x.expected.reason === 'ok')) {
      expect(v.code.startsWith(CODE_PREFIX)).toBe(true);
      expect(v.code).toMatch(/^[0-9A-Z $%*+\-./:]+$/);
    }
  });
});
