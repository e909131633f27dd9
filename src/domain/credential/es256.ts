/**
 * ES256 (ECDSA over P-256 with SHA-256) through WebCrypto. WebCrypto signs and verifies the raw
 * 64-byte r‖s form that the credential carries (Node's `crypto.sign` would give DER instead).
 * Public keys travel as the 65-byte uncompressed point (0x04 ‖ x ‖ y).
 */
import { subtle, sha256, type CryptoKeyHandle, type CryptoKeyPairHandle } from '../webcrypto';
import { toBase64Url } from '../bytes';

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIG = { name: 'ECDSA', hash: 'SHA-256' } as const;

export const SIGNATURE_LENGTH = 64;
export const PUBLIC_KEY_LENGTH = 65;

export async function generateSigningKeyPair(): Promise<CryptoKeyPairHandle> {
  return (await subtle().generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPairHandle;
}

export async function exportPublicKey(key: CryptoKeyHandle): Promise<Uint8Array> {
  return new Uint8Array(await subtle().exportKey('raw', key));
}

export async function exportPrivateKey(key: CryptoKeyHandle): Promise<Uint8Array> {
  return new Uint8Array(await subtle().exportKey('pkcs8', key));
}

export async function importPrivateKey(pkcs8: Uint8Array): Promise<CryptoKeyHandle> {
  return subtle().importKey('pkcs8', pkcs8, EC, false, ['sign']);
}

/** Throws if the bytes are not a point on P-256. */
export async function importPublicKey(raw: Uint8Array): Promise<CryptoKeyHandle> {
  if (raw.length !== PUBLIC_KEY_LENGTH || raw[0] !== 0x04) {
    throw new Error('a P-256 public key is 65 bytes starting with 0x04');
  }
  return subtle().importKey('raw', raw, EC, true, ['verify']);
}

export async function sign(privateKey: CryptoKeyHandle, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().sign(SIG, privateKey, data));
}

export async function verifySignature(
  publicKey: CryptoKeyHandle,
  signature: Uint8Array,
  data: Uint8Array,
): Promise<boolean> {
  if (signature.length !== SIGNATURE_LENGTH) return false;
  return subtle().verify(SIG, publicKey, signature, data);
}

/** The 4-byte key id carried in a credential body: SHA-256 of the raw public key, truncated. */
export async function keyIdOf(rawPublicKey: Uint8Array): Promise<Uint8Array> {
  return (await sha256(rawPublicKey)).slice(0, 4);
}

/**
 * The root key's fingerprint a kiosk pins at enrollment: base64url of the first 16 bytes of
 * SHA-256 of the raw public key (22 characters, short enough for the enrollment QR).
 */
export async function fingerprintOf(rawPublicKey: Uint8Array): Promise<string> {
  return toBase64Url((await sha256(rawPublicKey)).slice(0, 16));
}
