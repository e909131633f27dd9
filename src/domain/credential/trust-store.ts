/**
 * The verifier's side of the key list: the trusted keys by id, imported once, for verifying codes
 * (verify.ts). Kept apart from key-list.ts, which parses and checks signed lists with zod, so that
 * a page which only verifies codes (the kiosk's scanner) does not load the schema library.
 */
import { bytesEqual, fromBase64Url } from '../bytes';
import { utf8Decode } from '../webcrypto';
import { importPublicKey, keyIdOf, verifySignature } from './es256';
import type { KeyListPayload, SigningKeyEntry } from './key-list';

/**
 * Checks one ES256 signature (raw r‖s) over a message with one public key. WebCrypto's is the
 * default and runs everywhere; a runtime may supply a faster one for the same algorithm (the
 * server uses Node's one-shot verify, see src/server/crypto/node-signature.ts).
 */
export type SignatureCheck = (
  signature: Uint8Array,
  message: Uint8Array,
) => Promise<boolean> | boolean;
export type SignatureCheckFactory = (rawPublicKey: Uint8Array) => Promise<SignatureCheck>;

export const webCryptoSignatureCheck: SignatureCheckFactory = async (raw) => {
  const key = await importPublicKey(raw);
  return (signature, message) => verifySignature(key, signature, message);
};

/**
 * The verifier's view of a trusted key list: keys by id, imported once. Importing a key costs far
 * more than a signature check, so a trust store is built once per key list and reused per scan.
 */
export interface TrustStore {
  readonly communityId: number;
  candidates(keyId: Uint8Array): readonly TrustedKey[];
}

export interface TrustedKey {
  entry: SigningKeyEntry;
  check: SignatureCheck;
  kidBytes: Uint8Array;
}

export async function createTrustStore(
  list: KeyListPayload,
  checkFor: SignatureCheckFactory = webCryptoSignatureCheck,
): Promise<TrustStore> {
  const keys: TrustedKey[] = [];
  for (const entry of list.keys) {
    const raw = fromBase64Url(entry.publicKey);
    keys.push({ entry, check: await checkFor(raw), kidBytes: await keyIdOf(raw) });
  }
  return {
    communityId: list.communityId,
    // Ids are 4 bytes, so two keys may share one: every key with the id is a candidate (as DCC).
    candidates: (keyId) => keys.filter((k) => bytesEqual(k.kidBytes, keyId)),
  };
}

/**
 * The payload of a key list that `verifyKeyList` accepted before it was stored (the kiosk keeps
 * the accepted list's payload text): decoded without checking again. Never for a list received
 * from anywhere else.
 */
export function acceptedKeyListPayload(payload: string): KeyListPayload {
  return JSON.parse(utf8Decode(fromBase64Url(payload))) as KeyListPayload;
}
