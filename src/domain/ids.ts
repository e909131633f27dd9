/**
 * Identifiers. Event ids are ULIDs (26 Crockford base-32 characters: 48 bits of milliseconds,
 * 80 random bits), generated on the kiosk so an event has its id before it is stored, and sortable
 * by creation time. Time and randomness are passed in.
 */

export const CROCKFORD32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const ULID_PATTERN = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;

/** @param randomBytes 10 bytes from a cryptographic source. */
export function ulid(nowMs: number, randomBytes: Uint8Array): string {
  if (randomBytes.length !== 10) throw new Error('a ULID needs 10 random bytes');
  if (!Number.isInteger(nowMs) || nowMs < 0 || nowMs >= 2 ** 48) throw new Error('bad ULID time');
  let time = '';
  let t = nowMs;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD32[t % 32]! + time;
    t = Math.floor(t / 32);
  }
  let rand = '';
  // 80 bits → 16 characters of 5 bits, read big-endian.
  let acc = 0;
  let bits = 0;
  for (const byte of randomBytes) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      rand += CROCKFORD32[(acc >> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  return time + rand;
}

/** The creation time a ULID carries, in milliseconds. */
export function ulidTime(id: string): number {
  let t = 0;
  for (const c of id.slice(0, 10)) t = t * 32 + CROCKFORD32.indexOf(c);
  return t;
}
