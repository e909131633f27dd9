import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BASE45_ALPHABET,
  Base45Error,
  decodeBase45,
  encodeBase45,
} from '../../../src/domain/base45';

const ascii = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('Base45 (RFC 9285)', () => {
  it('has the 45-character alphabet of RFC 9285 §4 (the QR alphanumeric set)', () => {
    expect(BASE45_ALPHABET).toBe('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:');
    expect(new Set(BASE45_ALPHABET).size).toBe(45);
  });

  // RFC 9285 §4.3 (encoding examples) and §4.4 (decoding example).
  it.for([
    ['AB', 'BB8'],
    ['Hello!!', '%69 VD92EX0'],
    ['base-45', 'UJCLQE7W581'],
    ['ietf!', 'QED8WEX0'],
  ])('encodes %j as %j and back', ([plain, encoded]) => {
    expect(encodeBase45(ascii(plain!))).toBe(encoded);
    expect(text(decodeBase45(encoded!))).toBe(plain);
  });

  it.for([
    [[], ''],
    [[0], '00'],
    [[0, 0], '000'],
    [[0, 0, 0], '00000'],
    [[255], 'U5'],
    [[255, 255], 'FGW'],
    [[255, 255, 255], 'FGWU5'],
  ] as const)('encodes %j as %j and back', ([bytes, encoded]) => {
    expect(encodeBase45(Uint8Array.from(bytes))).toBe(encoded);
    expect([...decodeBase45(encoded)]).toEqual(bytes);
  });

  it.for(['1', '1234', '1234567', '0000000000'])('refuses the 3k+1 length of %j', (s) => {
    expect(() => decodeBase45(s)).toThrow(Base45Error);
  });

  it.for(['_a', 'a#', '12=456789', 'ab', '00\n', 'É00', '0\u{1F600}'])(
    'refuses the character outside the alphabet in %j',
    (s) => {
      expect(() => decodeBase45(s)).toThrow(Base45Error);
    },
  );

  // 'GGW' is 16 + 16·45 + 32·45² = 65536 and ':::' is 91124: both above 65535. 'FGW' (65535)
  // is the largest valid triplet, 'U5' (255) the largest valid pair and 'V5' (256) one above.
  it.for([':::', 'GGW', '000GGW', 'GGW000', '000V5', ':5'])('refuses the overflow in %j', (s) => {
    expect(() => decodeBase45(s)).toThrow(/above/);
  });

  it('round-trips any bytes, with 3 characters per 2 bytes and 2 for an odd last byte', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const encoded = encodeBase45(bytes);
        expect(encoded.length).toBe(Math.floor(bytes.length / 2) * 3 + (bytes.length % 2) * 2);
        expect([...encoded].every((c) => BASE45_ALPHABET.includes(c))).toBe(true);
        expect(decodeBase45(encoded)).toEqual(bytes);
      }),
      { numRuns: 2000 },
    );
  });

  it('is canonical: text over the alphabet either fails or is the encoding of what it decodes to', () => {
    // Strictness is what makes this hold: wrapping overflowing triplets modulo 65536 would let
    // two texts decode to the same bytes. Short lengths make valid and overflowing texts common.
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...BASE45_ALPHABET), maxLength: 12 }), (s) => {
        let bytes: Uint8Array;
        try {
          bytes = decodeBase45(s);
        } catch (e) {
          expect(e).toBeInstanceOf(Base45Error);
          return;
        }
        expect(encodeBase45(bytes)).toBe(s);
      }),
      { numRuns: 5000 },
    );
  });
});
