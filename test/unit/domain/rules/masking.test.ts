import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MASK_CHARACTER,
  maskAll,
  maskIdNumber,
  maskMiddle,
  maskName,
  visibleCounts,
} from '../../../../src/domain/rules/masking';

const cps = (s: string) => Array.from(s);

/**
 * The invariants every mask keeps: same length in code points; each position is either the
 * input's own character (only within the first `start` or last `end` positions) or the mask.
 * Returns how many input characters are visible.
 */
function checkMask(input: string, masked: string, start: number, end: number): number {
  const a = cps(input);
  const b = cps(masked);
  expect(b.length).toBe(a.length);
  let visible = 0;
  b.forEach((c, i) => {
    const kept = i < start || i >= a.length - end;
    if (kept) {
      expect(c).toBe(a[i]);
      visible++;
    } else {
      expect(c).toBe(MASK_CHARACTER);
    }
  });
  return visible;
}

describe('maskIdNumber', () => {
  it('keeps the first 3 and last 4 of an 18-character number: 11 asterisks', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110***********002X');
    expect(maskIdNumber('11010519491231002X').match(/\*/g)).toHaveLength(11);
  });

  it('normalises before masking, so the same number always masks the same', () => {
    expect(maskIdNumber('11010519491231002x')).toBe('110***********002X');
    expect(maskIdNumber(' 110105 19491231 002X')).toBe('110***********002X');
    expect(maskIdNumber('１１０１０５１９４９１２３１００２Ｘ')).toBe('110***********002X');
  });

  it('shows at most half of a short number', () => {
    expect(maskIdNumber('H1234567801')).toBe('H1******801');
    expect(maskIdNumber('E12345678')).toBe('E*****678');
    expect(maskIdNumber('12345678')).toBe('1****678');
    expect(maskIdNumber('AB12')).toBe('**12');
    expect(maskIdNumber('A')).toBe('*');
    expect(maskIdNumber('')).toBe('');
  });

  it('keeps the invariants for any number (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9A-Z]{0,30}$/), (n) => {
        const masked = maskIdNumber(n);
        const { start, end } = visibleCounts(n.length, { keepStart: 3, keepEnd: 4 });
        const visible = checkMask(n, masked, start, end);
        expect(visible).toBeLessThanOrEqual(7);
        expect(visible).toBeLessThanOrEqual(Math.floor(n.length / 2));
        if (n.length >= 14) expect([start, end]).toEqual([3, 4]);
      }),
    );
  });
});

describe('maskName', () => {
  it('keeps the first character, and the last from three characters on', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('张小明')).toBe('张*明');
    expect(maskName('欧阳娜娜')).toBe('欧**娜');
    expect(maskName('张')).toBe('*');
    expect(maskName('')).toBe('');
    expect(maskName('  李四  ')).toBe('李*');
  });

  it('masks separators of transcribed and Latin names too', () => {
    expect(maskName('阿依古丽·买买提')).toBe('阿******提');
    expect(maskName('John Smith')).toBe('J********h');
  });

  it('counts characters outside the Basic Multilingual Plane as one', () => {
    expect(maskName('𠀾小明')).toBe('𠀾*明');
    expect(maskName('王𠀾')).toBe('王*');
  });

  it('never reveals more than the first and last character (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }), (raw) => {
        const name = raw.trim();
        const n = cps(name).length;
        const masked = maskName(raw);
        const start = n >= 2 ? 1 : 0;
        const end = n >= 3 ? 1 : 0;
        const visible = checkMask(name, masked, start, end);
        expect(visible).toBe(start + end);
      }),
    );
  });
});

describe('maskMiddle and maskAll', () => {
  it('keeps the requested ends when the value is long enough', () => {
    expect(maskMiddle('abcdefghij', { keepStart: 2, keepEnd: 2 })).toBe('ab******ij');
    expect(maskMiddle('abcdefghij', { keepStart: 0, keepEnd: 4 })).toBe('******ghij');
    expect(maskMiddle('abcdefghij', { keepStart: 2, keepEnd: 2, maskCharacter: '•' })).toBe(
      'ab••••••ij',
    );
  });

  it('shortens both ends in proportion when they would show too much', () => {
    expect(visibleCounts(8, { keepStart: 3, keepEnd: 4 })).toEqual({ start: 1, end: 3 });
    expect(visibleCounts(11, { keepStart: 3, keepEnd: 4 })).toEqual({ start: 2, end: 3 });
    expect(visibleCounts(11, { keepStart: 3, keepEnd: 4, maxVisibleFraction: 1 })).toEqual({
      start: 3,
      end: 4,
    });
    expect(visibleCounts(5, { keepStart: 3, keepEnd: 4, maxVisibleFraction: 1 })).toEqual({
      start: 2,
      end: 3,
    });
    expect(visibleCounts(10, { keepStart: 3, keepEnd: 4, maxVisibleFraction: 0 })).toEqual({
      start: 0,
      end: 0,
    });
  });

  it('refuses nonsense options', () => {
    expect(() => maskMiddle('abc', { keepStart: -1, keepEnd: 1 })).toThrow(RangeError);
    expect(() => maskMiddle('abc', { keepStart: 1.5, keepEnd: 1 })).toThrow(RangeError);
    expect(() => maskMiddle('abc', { keepStart: 1, keepEnd: 1, maxVisibleFraction: 2 })).toThrow(
      RangeError,
    );
    expect(() =>
      maskMiddle('abc', { keepStart: 1, keepEnd: 1, maxVisibleFraction: Number.NaN }),
    ).toThrow(RangeError);
  });

  it('keeps the invariants for any value and options (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.nat(10),
        fc.nat(10),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (value, keepStart, keepEnd, fraction) => {
          const options = { keepStart, keepEnd, maxVisibleFraction: fraction };
          const { start, end } = visibleCounts(cps(value).length, options);
          expect(start).toBeLessThanOrEqual(keepStart);
          expect(end).toBeLessThanOrEqual(keepEnd);
          expect(start + end).toBeLessThanOrEqual(Math.floor(cps(value).length * fraction));
          checkMask(value, maskMiddle(value, options), start, end);
        },
      ),
    );
  });

  it('maskAll hides every character and keeps the length', () => {
    expect(maskAll('张小明')).toBe('***');
    expect(maskAll('𠀾a')).toBe('**');
    expect(maskAll('abc', '#')).toBe('###');
  });
});
