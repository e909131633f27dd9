/**
 * The slice of WebCrypto and text encoding the domain uses, typed here so that the domain compiles
 * without the DOM or Node libraries (DESIGN §2) and still runs unchanged in the browser, a worker
 * and Node 20, which all expose `globalThis.crypto.subtle`, `TextEncoder` and `TextDecoder`.
 */

/** An opaque WebCrypto key handle. */
export interface CryptoKeyHandle {
  readonly type: string;
}

export interface CryptoKeyPairHandle {
  readonly publicKey: CryptoKeyHandle;
  readonly privateKey: CryptoKeyHandle;
}

type Algorithm = { name: string; [k: string]: unknown };
type BufferSource = Uint8Array | ArrayBuffer;

export interface SubtleCryptoSlice {
  importKey(
    format: 'raw' | 'pkcs8' | 'spki',
    keyData: BufferSource,
    algorithm: Algorithm,
    extractable: boolean,
    usages: readonly string[],
  ): Promise<CryptoKeyHandle>;
  importKey(
    format: 'jwk',
    keyData: Record<string, unknown>,
    algorithm: Algorithm,
    extractable: boolean,
    usages: readonly string[],
  ): Promise<CryptoKeyHandle>;
  exportKey(format: 'raw' | 'pkcs8' | 'spki', key: CryptoKeyHandle): Promise<ArrayBuffer>;
  exportKey(format: 'jwk', key: CryptoKeyHandle): Promise<Record<string, unknown>>;
  generateKey(
    algorithm: Algorithm,
    extractable: boolean,
    usages: readonly string[],
  ): Promise<CryptoKeyPairHandle | CryptoKeyHandle>;
  sign(algorithm: Algorithm, key: CryptoKeyHandle, data: BufferSource): Promise<ArrayBuffer>;
  verify(
    algorithm: Algorithm,
    key: CryptoKeyHandle,
    signature: BufferSource,
    data: BufferSource,
  ): Promise<boolean>;
  digest(algorithm: string, data: BufferSource): Promise<ArrayBuffer>;
  deriveBits(algorithm: Algorithm, key: CryptoKeyHandle, length: number): Promise<ArrayBuffer>;
  deriveKey(
    algorithm: Algorithm,
    baseKey: CryptoKeyHandle,
    derivedKeyType: Algorithm,
    extractable: boolean,
    usages: readonly string[],
  ): Promise<CryptoKeyHandle>;
  encrypt(algorithm: Algorithm, key: CryptoKeyHandle, data: BufferSource): Promise<ArrayBuffer>;
  decrypt(algorithm: Algorithm, key: CryptoKeyHandle, data: BufferSource): Promise<ArrayBuffer>;
}

interface TextCodecs {
  TextEncoder: new () => { encode(text: string): Uint8Array };
  TextDecoder: new (
    label?: string,
    options?: { fatal?: boolean },
  ) => { decode(bytes: Uint8Array): string };
}

const platform = globalThis as unknown as { crypto: { subtle: SubtleCryptoSlice } } & TextCodecs;

export function subtle(): SubtleCryptoSlice {
  return platform.crypto.subtle;
}

const encoder = new platform.TextEncoder();
const strictDecoder = new platform.TextDecoder('utf-8', { fatal: true });

export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Throws on invalid UTF-8 rather than substituting U+FFFD. */
export function utf8Decode(bytes: Uint8Array): string {
  return strictDecoder.decode(bytes);
}

export async function sha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().digest('SHA-256', data));
}
