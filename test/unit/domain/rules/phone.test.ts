import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskMobile, validateMobile } from '../../../../src/domain/rules/phone';

const mobile = fc
  .tuple(fc.integer({ min: 3, max: 9 }), fc.stringMatching(/^\d{9}$/))
  .map(([second, rest]) => `1${second}${rest}`);

describe('validateMobile', () => {
  it('accepts 11 digits starting 13 to 19', () => {
    for (const n of [
      '13812345678',
      '14512345678',
      '15012345678',
      '16612345678',
      '17012345678',
      '18912345678',
      '19912345678',
    ]) {
      expect(validateMobile(n), n).toEqual({ ok: true, value: n });
    }
  });

  it('removes +86, 0086 and a bare 86, spaces, hyphens and full-width forms', () => {
    for (const input of [
      '+86 138 1234 5678',
      '+86-138-1234-5678',
      '+8613812345678',
      '0086 13812345678',
      '008613812345678',
      '8613812345678',
      '138-1234-5678',
      ' 138 1234 5678 ',
      '＋８６ １３８１２３４５６７８',
      '138\u30001234\u30005678',
    ]) {
      expect(validateMobile(input), input).toEqual({ ok: true, value: '13812345678' });
    }
  });

  it('calls nothing empty', () => {
    expect(validateMobile('')).toEqual({ ok: false, reason: 'empty' });
    expect(validateMobile(' - ')).toEqual({ ok: false, reason: 'empty' });
  });

  it('refuses other characters', () => {
    for (const n of [
      '138.1234.5678',
      '(+86)13812345678',
      '1381234567a',
      '138 1234 5678 ext',
      '13+812345678',
    ]) {
      expect(validateMobile(n), n).toEqual({ ok: false, reason: 'characters' });
    }
  });

  it('refuses other lengths, including 13-digit IoT numbers and landlines', () => {
    for (const n of [
      '1381234567',
      '138123456789',
      '+86 1381234567',
      '1440123456789',
      '075512345678',
      '8612345678',
    ]) {
      expect(validateMobile(n), n).toEqual({ ok: false, reason: 'length' });
    }
  });

  it('refuses 11 digits that do not start 13–19, and other country codes', () => {
    for (const n of [
      '10012345678',
      '11012345678',
      '12012345678',
      '23812345678',
      '86123456789', // 11 digits starting 86: a bare 86 is a country code only before 11 digits
      '+85261234567',
      '+1 2125550198',
    ]) {
      expect(validateMobile(n), n).toEqual({ ok: false, reason: 'prefix' });
    }
  });

  it('accepts every valid number in every decoration (property)', () => {
    const decorate = fc.constantFrom(
      (n: string) => n,
      (n: string) => `+86${n}`,
      (n: string) => `0086 ${n}`,
      (n: string) => `86${n}`,
      (n: string) => `${n.slice(0, 3)} ${n.slice(3, 7)} ${n.slice(7)}`,
      (n: string) => `${n.slice(0, 3)}-${n.slice(3, 7)}-${n.slice(7)}`,
    );
    fc.assert(
      fc.property(mobile, decorate, (n, f) => {
        expect(validateMobile(f(n))).toEqual({ ok: true, value: n });
      }),
    );
  });

  it('never returns anything but 11 digits starting 1[3-9] (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (s) => {
        const r = validateMobile(s);
        if (r.ok) expect(r.value).toMatch(/^1[3-9]\d{9}$/);
      }),
    );
  });
});

describe('maskMobile', () => {
  it('keeps the first 3 and the last 4 digits', () => {
    expect(maskMobile('13812345678')).toBe('138****5678');
    expect(maskMobile('+86 138-1234-5678')).toBe('138****5678');
  });

  it('masks an invalid entry by the generic rule, never in full', () => {
    expect(maskMobile('12345')).toBe('***45');
    expect(maskMobile('075512345678')).toBe('07******5678');
    expect(maskMobile('')).toBe('');
  });

  it('hides exactly the middle four digits of any valid number (property)', () => {
    fc.assert(
      fc.property(mobile, (n) => {
        expect(maskMobile(n)).toBe(`${n.slice(0, 3)}****${n.slice(7)}`);
      }),
    );
  });
});
