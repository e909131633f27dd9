import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonthsClamped,
  civilToDayNumber,
  compareCivilDates,
  dayNumberToCivil,
  daysInMonth,
  isLeapYear,
  isoWeekday,
  isValidCivilDate,
  type CivilDate,
} from '../../../../src/domain/rules/civil-date';

const d = (year: number, month: number, day: number): CivilDate => ({ year, month, day });

/** Reference oracle: the built-in Date in UTC, which is proleptic Gregorian too. */
function viaDate(n: number): CivilDate {
  const t = new Date(n * 86_400_000);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

describe('leap years and month lengths', () => {
  it('follows the Gregorian rule (4, not 100, but 400)', () => {
    expect([1900, 2000, 2023, 2024, 2100, 2400].map(isLeapYear)).toEqual([
      false,
      true,
      false,
      true,
      false,
      true,
    ]);
  });

  it('gives February 28 or 29 days and the other months their lengths', () => {
    expect(daysInMonth(2023, 2)).toBe(28);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect([1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2023, m))).toEqual([
      31, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
    ]);
    expect(() => daysInMonth(2023, 0)).toThrow(RangeError);
    expect(() => daysInMonth(2023, 13)).toThrow(RangeError);
  });

  it('knows real dates from impossible ones', () => {
    expect(isValidCivilDate(d(2024, 2, 29))).toBe(true);
    expect(isValidCivilDate(d(2023, 2, 29))).toBe(false);
    expect(isValidCivilDate(d(1900, 2, 29))).toBe(false);
    expect(isValidCivilDate(d(2023, 4, 31))).toBe(false);
    expect(isValidCivilDate(d(2023, 12, 31))).toBe(true);
    expect(isValidCivilDate(d(2023, 0, 1))).toBe(false);
    expect(isValidCivilDate(d(2023, 1, 0))).toBe(false);
    expect(isValidCivilDate(d(2023.5, 1, 1))).toBe(false);
  });
});

describe('day numbers', () => {
  it('puts 1970-01-01 at 0 and known dates where Date does', () => {
    expect(civilToDayNumber(d(1970, 1, 1))).toBe(0);
    expect(civilToDayNumber(d(2000, 3, 1))).toBe(11_017);
    expect(civilToDayNumber(d(1969, 12, 31))).toBe(-1);
    expect(dayNumberToCivil(19_782)).toEqual(d(2024, 2, 29));
  });

  it('agrees with Date over two and a half millennia, both ways', () => {
    fc.assert(
      fc.property(fc.integer({ min: -500_000, max: 500_000 }), (n) => {
        const civil = dayNumberToCivil(n);
        expect(civil).toEqual(viaDate(n));
        expect(civilToDayNumber(civil)).toBe(n);
      }),
    );
  });

  it('refuses impossible dates and fractional day numbers', () => {
    expect(() => civilToDayNumber(d(2023, 2, 29))).toThrow(RangeError);
    expect(() => dayNumberToCivil(1.5)).toThrow(RangeError);
  });
});

describe('arithmetic', () => {
  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays(d(2023, 12, 31), 1)).toEqual(d(2024, 1, 1));
    expect(addDays(d(2024, 2, 28), 1)).toEqual(d(2024, 2, 29));
    expect(addDays(d(2023, 2, 28), 1)).toEqual(d(2023, 3, 1));
    expect(addDays(d(2024, 3, 1), -1)).toEqual(d(2024, 2, 29));
    expect(addDays(d(2024, 1, 1), 366)).toEqual(d(2025, 1, 1));
  });

  it('adds calendar months, clamping to the end of shorter months', () => {
    expect(addMonthsClamped(d(2024, 1, 31), 1)).toEqual(d(2024, 2, 29));
    expect(addMonthsClamped(d(2023, 1, 31), 1)).toEqual(d(2023, 2, 28));
    expect(addMonthsClamped(d(2024, 11, 30), 3)).toEqual(d(2025, 2, 28));
    expect(addMonthsClamped(d(2023, 11, 30), 3)).toEqual(d(2024, 2, 29));
    expect(addMonthsClamped(d(2024, 1, 31), 3)).toEqual(d(2024, 4, 30));
    expect(addMonthsClamped(d(2024, 12, 31), 3)).toEqual(d(2025, 3, 31));
    expect(addMonthsClamped(d(2024, 10, 15), 3)).toEqual(d(2025, 1, 15));
    expect(addMonthsClamped(d(2024, 3, 31), -1)).toEqual(d(2024, 2, 29));
    expect(addMonthsClamped(d(2024, 1, 15), -13)).toEqual(d(2022, 12, 15));
  });

  it('never moves the day of the month up, and lands in the right month', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -200_000, max: 200_000 }),
        fc.integer({ min: -36, max: 36 }),
        (n, months) => {
          const from = dayNumberToCivil(n);
          const to = addMonthsClamped(from, months);
          expect(isValidCivilDate(to)).toBe(true);
          expect(to.year * 12 + to.month - (from.year * 12 + from.month)).toBe(months);
          expect(to.day).toBe(Math.min(from.day, daysInMonth(to.year, to.month)));
        },
      ),
    );
  });

  it('compares dates field by field', () => {
    expect(compareCivilDates(d(2024, 1, 1), d(2023, 12, 31))).toBeGreaterThan(0);
    expect(compareCivilDates(d(2024, 2, 1), d(2024, 2, 1))).toBe(0);
    expect(compareCivilDates(d(2024, 2, 1), d(2024, 10, 1))).toBeLessThan(0);
  });

  it('gives ISO weekdays, Monday = 1 … Sunday = 7', () => {
    expect(isoWeekday(d(1970, 1, 1))).toBe(4); // a Thursday
    expect(isoWeekday(d(2024, 1, 1))).toBe(1); // a Monday
    expect(isoWeekday(d(2024, 1, 7))).toBe(7);
    expect(isoWeekday(d(1949, 10, 1))).toBe(6); // a Saturday
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 200_000 }), (n) => {
        const jsDay = new Date(n * 86_400_000).getUTCDay(); // 0 = Sunday
        expect(isoWeekday(dayNumberToCivil(n))).toBe(jsDay === 0 ? 7 : jsDay);
      }),
    );
  });
});
