/**
 * Sealing personal data on the kiosk so that only the office can read it (issue: visitor
 * register privacy; DESIGN §4 "ID numbers sealed to the office's public key on the kiosk").
 *
 * ECIES-style, with WebCrypto only: for every sealed value the kiosk makes a fresh ephemeral
 * ECDH P-256 key pair, derives a shared secret with the community's office public key, stretches
 * it with HKDF-SHA-256 (salt = the ephemeral public key, info = a context label) into an
 * AES-256-GCM key, and encrypts. It keeps the ciphertext and the ephemeral public key and forgets
 * the ephemeral private key, so nothing stored on the kiosk can open what it sealed; the server
 * opens it with the office private key, which never leaves the office.
 *
 * The keyed hash used to match an ID number, a name and phone or a phone against the watch list
 * and the cards without storing them is in match-hash.ts, re-exported here.
 */
import { z } from 'zod';
import { fromBase64Url, toBase64Url } from './bytes';
import { subtle, utf8Decode, utf8Encode, type CryptoKeyHandle } from './webcrypto';

const ECDH = { name: 'ECDH', namedCurve: 'P-256' } as const;
const VERSION = 'gps1';

/** A sealed value whose ciphertext (base64url) is at most `maxChars` characters. */
export function sealedSchemaOf(maxChars: number) {
  return z
    .object({
      /** Format version. */
      v: z.literal(VERSION),
      /** Ephemeral public key, raw uncompressed point, base64url. */
      epk: z.string().regex(/^[A-Za-z0-9_-]{87}$/),
      /** AES-GCM nonce, 12 bytes, base64url. */
      iv: z.string().regex(/^[A-Za-z0-9_-]{16}$/),
      /** Ciphertext with its 16-byte tag, base64url. */
      ct: z
        .string()
        .min(22)
        .max(maxChars)
        .regex(/^[A-Za-z0-9_-]+$/),
    })
    .strict();
}

/** A sealed short field (an ID number, a name): up to about 1,480 bytes of text. */
export const sealedSchema = sealedSchemaOf(2000);
export type Sealed = z.infer<typeof sealedSchema>;

/** Any sealed value, whatever its length: what `open` accepts. */
const anySealedSchema = sealedSchemaOf(Number.MAX_SAFE_INTEGER);

export async function generateSealingKeyPair(): Promise<{
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}> {
  const pair = (await subtle().generateKey(ECDH, true, ['deriveBits'])) as {
    publicKey: CryptoKeyHandle;
    privateKey: CryptoKeyHandle;
  };
  return {
    publicKey: new Uint8Array(await subtle().exportKey('raw', pair.publicKey)),
    privateKey: new Uint8Array(await subtle().exportKey('pkcs8', pair.privateKey)),
  };
}

async function aesKey(
  shared: Uint8Array,
  epk: Uint8Array,
  context: string,
): Promise<CryptoKeyHandle> {
  const ikm = await subtle().importKey('raw', shared, { name: 'HKDF' }, false, ['deriveKey']);
  return subtle().deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: epk, info: utf8Encode(`gatepost-seal/1 ${context}`) },
    ikm,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/**
 * Seals `plain` to the office public key (raw P-256 point). `context` names the field (e.g.
 * "visitor.idNumber") and is bound into the key, so a sealed value cannot be passed off as
 * another field. `randomBytes` supplies the nonce (the ephemeral key comes from WebCrypto).
 */
export async function seal(
  plain: string,
  officePublicKey: Uint8Array,
  context: string,
  randomBytes: (n: number) => Uint8Array,
): Promise<Sealed> {
  const recipient = await subtle().importKey('raw', officePublicKey, ECDH, false, []);
  const eph = (await subtle().generateKey(ECDH, true, ['deriveBits'])) as {
    publicKey: CryptoKeyHandle;
    privateKey: CryptoKeyHandle;
  };
  const epk = new Uint8Array(await subtle().exportKey('raw', eph.publicKey));
  const shared = new Uint8Array(
    await subtle().deriveBits({ name: 'ECDH', public: recipient }, eph.privateKey, 256),
  );
  const iv = randomBytes(12);
  const key = await aesKey(shared, epk, context);
  const ct = new Uint8Array(
    await subtle().encrypt({ name: 'AES-GCM', iv, additionalData: epk }, key, utf8Encode(plain)),
  );
  return { v: VERSION, epk: toBase64Url(epk), iv: toBase64Url(iv), ct: toBase64Url(ct) };
}

/** Opens a sealed value with the office private key (PKCS#8). Throws if it was altered. */
export async function open(
  sealed: Sealed,
  officePrivateKey: Uint8Array,
  context: string,
): Promise<string> {
  const s = anySealedSchema.parse(sealed);
  const epk = fromBase64Url(s.epk);
  const priv = await subtle().importKey('pkcs8', officePrivateKey, ECDH, false, ['deriveBits']);
  const ephPublic = await subtle().importKey('raw', epk, ECDH, false, []);
  const shared = new Uint8Array(
    await subtle().deriveBits({ name: 'ECDH', public: ephPublic }, priv, 256),
  );
  const key = await aesKey(shared, epk, context);
  const plain = await subtle().decrypt(
    { name: 'AES-GCM', iv: fromBase64Url(s.iv), additionalData: epk },
    key,
    fromBase64Url(s.ct),
  );
  return utf8Decode(new Uint8Array(plain));
}

// The keyed hash for matching lives in match-hash.ts (no zod: the kiosk page uses it).
export { matchHash } from './match-hash';
