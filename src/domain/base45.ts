/**
 * Base45 (RFC 9285), the encoding that fits QR alphanumeric mode.
 *
 * Two bytes [a, b] are the number n = a·256 + b, written as three characters c, d, e with
 * n = c + d·45 + e·45²; a trailing single byte is two characters. The decoder is strict, as the
 * RFC's security considerations ask: characters outside the 45-character alphabet, a length of
 * 3k+1 and triplets above 65535 (or pairs above 255) are errors, never silently wrapped.
 */

export const BASE45_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

const INDEX: Int8Array = (() => {
  const t = new Int8Array(128).fill(-1);
  for (let i = 0; i < BASE45_ALPHABET.length; i++) t[BASE45_ALPHABET.charCodeAt(i)] = i;
  return t;
})();

export class Base45Error extends Error {
  override name = 'Base45Error';
}

export function encodeBase45(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    let n = bytes[i]! * 256 + bytes[i + 1]!;
    const c = n % 45;
    n = (n - c) / 45;
    const d = n % 45;
    const e = (n - d) / 45;
    out += BASE45_ALPHABET[c]! + BASE45_ALPHABET[d]! + BASE45_ALPHABET[e]!;
  }
  if (bytes.length % 2 === 1) {
    const n = bytes[bytes.length - 1]!;
    out += BASE45_ALPHABET[n % 45]! + BASE45_ALPHABET[Math.floor(n / 45)]!;
  }
  return out;
}

function digit(text: string, i: number): number {
  const code = text.charCodeAt(i);
  const v = code < 128 ? INDEX[code]! : -1;
  if (v < 0) throw new Base45Error(`character ${JSON.stringify(text[i])} at ${i} is not Base45`);
  return v;
}

export function decodeBase45(text: string): Uint8Array {
  if (text.length % 3 === 1) throw new Base45Error(`length ${text.length} is not valid Base45`);
  const out = new Uint8Array(Math.floor(text.length / 3) * 2 + (text.length % 3 === 2 ? 1 : 0));
  let at = 0;
  let i = 0;
  for (; i + 2 < text.length; i += 3) {
    const n = digit(text, i) + digit(text, i + 1) * 45 + digit(text, i + 2) * 2025;
    if (n > 0xffff) throw new Base45Error(`triplet at ${i} is ${n}, above 65535`);
    out[at++] = n >> 8;
    out[at++] = n & 0xff;
  }
  if (i < text.length) {
    const n = digit(text, i) + digit(text, i + 1) * 45;
    if (n > 0xff) throw new Base45Error(`pair at ${i} is ${n}, above 255`);
    out[at] = n;
  }
  return out;
}
