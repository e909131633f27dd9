/**
 * Matching personal data without holding it: the same keyed hash on every kiosk and on the server.
 */
import { concatBytes, toHex } from './bytes';
import { subtle, utf8Encode } from './webcrypto';

/**
 * HMAC-SHA-256 of a normalised value under the community's match key, hex. Two kiosks and the
 * server compute the same hash for the same ID number, so a watch-list entry matches without the
 * number being stored anywhere in clear. (Whoever holds the key can test guesses: the hash hides
 * the number from a database dump, not from someone holding a kiosk and unlimited time.)
 */
export async function matchHash(
  matchKey: Uint8Array,
  kind: 'id' | 'name_phone' | 'phone',
  value: string,
): Promise<string> {
  const key = await subtle().importKey('raw', matchKey, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const message = concatBytes(utf8Encode(kind), new Uint8Array([0]), utf8Encode(value));
  return toHex(new Uint8Array(await subtle().sign({ name: 'HMAC' }, key, message)));
}
