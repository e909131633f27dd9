import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  asciiBytes,
  bytesEqual,
  concatBytes,
  fromBase64Url,
  fromHex,
  toBase64Url,
  toHex,
} from '../../../src/domain/bytes';

const ascii = (s: string) => new TextEncoder().encode(s);

describe('concatBytes and bytesEqual', () => {
  it('concatenates in order, including empty parts', () => {
    expect([...concatBytes(Uint8Array.of(1, 2), new Uint8Array(0), Uint8Array.of(3))]).toEqual([
      1, 2, 3,
    ]);
    expect(concatBytes().length).toBe(0);
  });

  it('respects subarray views rather than whole buffers', () => {
    const backing = Uint8Array.of(9, 1, 2, 9);
    expect([...concatBytes(backing.subarray(1, 3))]).toEqual([1, 2]);
  });

  it('compares contents and lengths', () => {
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true);
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).toBe(false);
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 0))).toBe(false);
    expect(bytesEqual(new Uint8Array(0), new Uint8Array(0))).toBe(true);
  });
});

describe('hex', () => {
  it('writes lower-case pairs', () => {
    expect(toHex(Uint8Array.of(0, 0x0f, 0xab, 0xff))).toBe('000fabff');
    expect(toHex(new Uint8Array(0))).toBe('');
  });

  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        expect(fromHex(toHex(b))).toEqual(b);
      }),
    );
  });

  it.for(['0', 'abc', 'AB', '0g', ' 00', '00 '])('refuses %j', (s) => {
    expect(() => fromHex(s)).toThrow();
  });
});

describe('base64url (RFC 4648 §5, unpadded, strict)', () => {
  // RFC 4648 §10 test vectors, without their padding.
  it.for([
    ['', ''],
    ['f', 'Zg'],
    ['fo', 'Zm8'],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg'],
    ['fooba', 'Zm9vYmE'],
    ['foobar', 'Zm9vYmFy'],
  ])('encodes %j as %j and back', ([plain, encoded]) => {
    expect(toBase64Url(ascii(plain!))).toBe(encoded);
    expect(fromBase64Url(encoded!)).toEqual(ascii(plain!));
  });

  it('uses - and _ where base64 has + and /', () => {
    expect(toBase64Url(Uint8Array.of(0xfb, 0xff, 0xbf))).toBe('-_-_');
    expect([...fromBase64Url('-_-_')]).toEqual([0xfb, 0xff, 0xbf]);
  });

  it.for([
    ['Zg==', 'padding'],
    ['Zm9v=', 'padding'],
    ['+/+/', 'the base64 (not url) alphabet'],
    ['Zm9 v', 'a space'],
    ['Z', 'a length of 4k+1'],
    ['Zm9vY', 'a length of 4k+1'],
    ['Zh', 'non-zero trailing bits ("Zg" is the only encoding of "f")'],
    ['Zm9', 'non-zero trailing bits ("Zm8" is the only encoding of "fo")'],
  ])('refuses %j: %s', ([s]) => {
    expect(() => fromBase64Url(s!)).toThrow(/base64url/);
  });

  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        const s = toBase64Url(b);
        expect(s).toMatch(/^[A-Za-z0-9_-]*$/);
        expect(s.length).toBe(Math.ceil((b.length * 8) / 6));
        expect(fromBase64Url(s)).toEqual(b);
      }),
      { numRuns: 1000 },
    );
  });

  it('is canonical: any accepted text is the encoding of what it decodes to', () => {
    // This is what lets key-list.ts compare payloads as text.
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom(
            ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
          ),
          maxLength: 11,
        }),
        (s) => {
          let bytes: Uint8Array;
          try {
            bytes = fromBase64Url(s);
          } catch {
            return;
          }
          expect(toBase64Url(bytes)).toBe(s);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('asciiBytes', () => {
  it('maps ASCII code points to bytes', () => {
    expect([...asciiBytes('GP1:')]).toEqual([0x47, 0x50, 0x31, 0x3a]);
  });

  it('refuses anything beyond ASCII rather than encoding it', () => {
    expect(() => asciiBytes('GP1é')).toThrow('not ASCII');
  });
});
