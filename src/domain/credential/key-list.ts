/**
 * The community's signed key list: which signing keys the gate trusts, for which credential
 * types, and during which period they may sign. The list is signed by the community's root key,
 * whose fingerprint a kiosk pins at enrollment; the kiosk holds public keys only.
 *
 * Roll-back protection: each list carries a sequence number; a verifier that already holds
 * sequence n refuses any list below n, and refuses a different list with the same n.
 */
import { z } from 'zod';
import { asciiBytes, concatBytes, fromBase64Url, toBase64Url, toHex } from '../bytes';
import { utf8Decode, utf8Encode, type CryptoKeyHandle } from '../webcrypto';
import { CredentialType, type CredentialTypeName } from './body';
import {
  exportPublicKey,
  importPublicKey,
  keyIdOf,
  PUBLIC_KEY_LENGTH,
  SIGNATURE_LENGTH,
  sign,
  verifySignature,
} from './es256';

/** Domain separation: the root key's signature over a key list can never pass as anything else. */
const KEY_LIST_CONTEXT = 'GPKL1:';

const base64UrlBytes = (length: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .refine((s) => {
      try {
        return fromBase64Url(s).length === length;
      } catch {
        return false;
      }
    }, `must be base64url of ${length} bytes`);

const seconds = z.number().int().min(0).max(0xffffffff);

export const credentialUseSchema = z.enum(
  Object.keys(CredentialType) as [CredentialTypeName, ...CredentialTypeName[]],
);

export const signingKeyEntrySchema = z
  .object({
    /** 8 lower-case hex characters: the key id carried in credential bodies. */
    kid: z.string().regex(/^[0-9a-f]{8}$/),
    publicKey: base64UrlBytes(PUBLIC_KEY_LENGTH),
    /** The period during which this key may sign; a credential's not-before must fall in it. */
    notBefore: seconds,
    notAfter: seconds,
    uses: z.array(credentialUseSchema).min(1),
  })
  .strict()
  .refine((k) => k.notAfter > k.notBefore, 'notAfter must be after notBefore');
export type SigningKeyEntry = z.infer<typeof signingKeyEntrySchema>;

export const keyListPayloadSchema = z
  .object({
    format: z.literal('gatepost-keylist/1'),
    communityId: seconds,
    seq: z.number().int().min(1),
    issuedAt: seconds,
    keys: z.array(signingKeyEntrySchema).max(64),
  })
  .strict();
export type KeyListPayload = z.infer<typeof keyListPayloadSchema>;

export const signedKeyListSchema = z
  .object({
    payload: z.string().max(64 * 1024),
    signature: base64UrlBytes(SIGNATURE_LENGTH),
  })
  .strict();
export type SignedKeyList = z.infer<typeof signedKeyListSchema>;

function signedBytes(payloadBytes: Uint8Array): Uint8Array {
  return concatBytes(asciiBytes(KEY_LIST_CONTEXT), payloadBytes);
}

export async function signKeyList(
  payload: KeyListPayload,
  rootPrivateKey: CryptoKeyHandle,
): Promise<SignedKeyList> {
  const parsed = keyListPayloadSchema.parse(payload);
  const payloadBytes = utf8Encode(JSON.stringify(parsed));
  const signature = await sign(rootPrivateKey, signedBytes(payloadBytes));
  return { payload: toBase64Url(payloadBytes), signature: toBase64Url(signature) };
}

/** Builds the entry for a public key, deriving its key id so the two can never disagree. */
export async function signingKeyEntry(
  publicKey: CryptoKeyHandle | Uint8Array,
  fields: Omit<SigningKeyEntry, 'kid' | 'publicKey'>,
): Promise<SigningKeyEntry> {
  const raw = publicKey instanceof Uint8Array ? publicKey : await exportPublicKey(publicKey);
  // Fields are picked, not spread: an object that also carries a kid or publicKey at run time
  // (an existing entry, say) must not override the derived ones.
  const { notBefore, notAfter, uses } = fields;
  return { kid: toHex(await keyIdOf(raw)), publicKey: toBase64Url(raw), notBefore, notAfter, uses };
}

export type KeyListRefusal = 'malformed' | 'bad_signature' | 'wrong_community' | 'rollback';

export type KeyListResult =
  { ok: true; list: KeyListPayload } | { ok: false; reason: KeyListRefusal; message: string };

export interface KeyListExpectations {
  communityId: number;
  /** The list the verifier holds now, if any: a lower sequence, or the same one altered, is refused. */
  current?: { seq: number; payload: string } | undefined;
}

/**
 * Verifies a signed key list against the pinned root public key (raw 65 bytes). The payload is
 * parsed only after the signature over its exact bytes has passed.
 */
export async function verifyKeyList(
  signed: unknown,
  rootPublicKey: Uint8Array,
  expect: KeyListExpectations,
): Promise<KeyListResult> {
  const envelope = signedKeyListSchema.safeParse(signed);
  if (!envelope.success) return { ok: false, reason: 'malformed', message: 'not a key list' };
  let payloadBytes: Uint8Array;
  try {
    payloadBytes = fromBase64Url(envelope.data.payload);
  } catch {
    return { ok: false, reason: 'malformed', message: 'payload is not base64url' };
  }
  const root = await importPublicKey(rootPublicKey);
  const good = await verifySignature(
    root,
    fromBase64Url(envelope.data.signature),
    signedBytes(payloadBytes),
  );
  if (!good) return { ok: false, reason: 'bad_signature', message: 'not signed by the root key' };

  let list: KeyListPayload;
  try {
    list = keyListPayloadSchema.parse(JSON.parse(utf8Decode(payloadBytes)));
  } catch {
    return { ok: false, reason: 'malformed', message: 'signed payload is not a key list' };
  }
  for (const key of list.keys) {
    const derived = toHex(await keyIdOf(fromBase64Url(key.publicKey)));
    if (derived !== key.kid) {
      return {
        ok: false,
        reason: 'malformed',
        message: `key id ${key.kid} does not match its key`,
      };
    }
  }
  if (list.communityId !== expect.communityId) {
    return { ok: false, reason: 'wrong_community', message: 'key list of another community' };
  }
  const current = expect.current;
  if (current) {
    if (list.seq < current.seq) {
      return {
        ok: false,
        reason: 'rollback',
        message: `sequence ${list.seq} is older than ${current.seq}`,
      };
    }
    if (list.seq === current.seq && envelope.data.payload !== current.payload) {
      return { ok: false, reason: 'rollback', message: `sequence ${list.seq} was altered` };
    }
  }
  return { ok: true, list };
}

// The verifier's side lives in trust-store.ts (no zod, so the kiosk page can load it cheaply).
export {
  createTrustStore,
  webCryptoSignatureCheck,
  type SignatureCheck,
  type SignatureCheckFactory,
  type TrustedKey,
  type TrustStore,
} from './trust-store';
