/**
 * Calendar dates without a time or a time zone ("civil" dates), proleptic Gregorian calendar,
 * as GB/T 7408 (ISO 8601) writes them. Pure arithmetic: no Date, no clock. The day-number
 * conversions are Howard Hinnant's `days_from_civil` / `civil_from_days` algorithms, exact for
 * every integer year.
 */

export interface CivilDate {
  readonly year: number;
  /** 1 = January … 12 = December. */
  readonly month: number;
  /** 1 … 31. */
  readonly day: number;
}

/** ISO 8601 weekday: 1 = Monday … 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** Days in `month` (1…12) of `year`; throws RangeError for a month out of range. */
export function daysInMonth(year: number, month: number): number {
  if (!Number.isInteger(month) || month < 1 || month > 12) {
    throw new RangeError(`month must be an integer from 1 to 12, got ${month}`);
  }
  return month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month - 1]!;
}

/** A real calendar date: integer fields, month 1…12, a day the month has (29 Feb in leap years). */
export function isValidCivilDate(d: CivilDate): boolean {
  return (
    Number.isInteger(d.year) &&
    Number.isInteger(d.month) &&
    Number.isInteger(d.day) &&
    d.month >= 1 &&
    d.month <= 12 &&
    d.day >= 1 &&
    d.day <= daysInMonth(d.year, d.month)
  );
}

function assertValid(d: CivilDate, name = 'date'): void {
  if (!isValidCivilDate(d)) {
    throw new RangeError(`${name} is not a calendar date: ${d.year}-${d.month}-${d.day}`);
  }
}

/** Negative, zero or positive as `a` is before, equal to or after `b`. */
export function compareCivilDates(a: CivilDate, b: CivilDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** Days since 1970-01-01 (which is day 0); negative before it. */
export function civilToDayNumber(d: CivilDate): number {
  assertValid(d);
  const y = d.month <= 2 ? d.year - 1 : d.year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (d.month + 9) % 12; // March = 0 … February = 11
  const doy = Math.floor((153 * mp + 2) / 5) + d.day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The inverse of civilToDayNumber. */
export function dayNumberToCivil(dayNumber: number): CivilDate {
  if (!Number.isInteger(dayNumber)) throw new RangeError(`not an integer day: ${dayNumber}`);
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function addDays(d: CivilDate, days: number): CivilDate {
  if (!Number.isInteger(days)) throw new RangeError(`days must be an integer, got ${days}`);
  return dayNumberToCivil(civilToDayNumber(d) + days);
}

/**
 * The same day of the month `months` calendar months later (or earlier, for a negative count),
 * clamped to the last day of the target month: 31 Jan + 1 month = 28 Feb (29 in a leap year),
 * 30 Nov + 3 months = 28/29 Feb.
 */
export function addMonthsClamped(d: CivilDate, months: number): CivilDate {
  assertValid(d);
  if (!Number.isInteger(months)) throw new RangeError(`months must be an integer, got ${months}`);
  const index = d.year * 12 + (d.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return { year, month, day: Math.min(d.day, daysInMonth(year, month)) };
}

/** ISO weekday of a date: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
export function isoWeekday(d: CivilDate): Weekday {
  const n = civilToDayNumber(d);
  return (((((n + 3) % 7) + 7) % 7) + 1) as Weekday;
}
