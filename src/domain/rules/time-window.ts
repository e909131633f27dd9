/**
 * Local time in the community's time zone (an IANA name such as 'Asia/Shanghai'), through the
 * ECMAScript Internationalization API (Intl.DateTimeFormat, ECMA-402) and no library, and the
 * card's allowed days and hours (CardWindow, printed into the GP1 body, see credential/body.ts).
 *
 * Local time is wall-clock time. China has observed no daylight saving time since 1991 (it did
 * from 1986 to 1991, which the zone data knows), so in 'Asia/Shanghai' every local day of the
 * card era has 24 hours; the functions still work in a zone with DST (tested with
 * 'America/New_York'): on the spring-forward day the wall clock jumps from 01:59:59 to 03:00, on
 * the fall-back day 01:00–01:59 happens twice.
 *
 * Window rules (decisions):
 * - The window is [start, end) in wall-clock minutes, start = startQuarter·15, end = endQuarter·15,
 *   so 32–72 admits 08:00:00 to 17:59:59 and refuses 18:00:00.
 * - startQuarter == endQuarter means all day (on the allowed weekdays), whatever the value: the
 *   empty window would be a useless card, and the issuing form can offer "all day" as 0–0 or 0–96
 *   (0–96 is all day by the ordinary rule).
 * - end < start crosses midnight: the window opens at `start` on an allowed day and runs to `end`
 *   on the next day. The weekday that counts is the day the window STARTED: a Monday-only
 *   22:00–06:00 card admits Monday 23:00 and Tuesday 05:00 but not Monday 05:00 (that belongs to
 *   a Sunday night) nor Tuesday 23:00. This matches how a night-shift worker's days are agreed
 *   ("Monday night").
 * - startQuarter 96 with a smaller end is a window from 24:00 (the next midnight) to `end` on the
 *   next day, again counted for the day it started; it is legal but odd, the form should not offer it.
 * - An instant is judged by the wall-clock time it shows, also on a DST change day.
 */
import type { CardWindow } from '../credential/body';
import {
  addDays,
  civilToDayNumber,
  isoWeekday,
  isValidCivilDate,
  type CivilDate,
  type Weekday,
} from './civil-date';

export type { CivilDate, Weekday } from './civil-date';

export interface LocalParts extends CivilDate {
  /** 1 = Monday … 7 = Sunday. */
  weekday: Weekday;
  /** Wall-clock minutes since local midnight, 0…1439. */
  minutes: number;
  /** Seconds within the minute, 0…59. */
  seconds: number;
}

const SECONDS_PER_DAY = 86_400;
/** ECMAScript time values are limited to ±8.64e15 ms around the epoch. */
const MAX_EPOCH_SECONDS = 8.64e12;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // Throws RangeError for an unknown time zone.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function checkEpoch(epochSeconds: number): number {
  if (!Number.isFinite(epochSeconds) || Math.abs(epochSeconds) > MAX_EPOCH_SECONDS) {
    throw new RangeError(`not a representable time: ${epochSeconds}`);
  }
  return Math.floor(epochSeconds);
}

/** Whether `timeZone` is an IANA zone name that this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Local date, weekday and wall-clock time of an instant (whole seconds; fractions are floored). */
export function localParts(epochSeconds: number, timeZone: string): LocalParts {
  const t = checkEpoch(epochSeconds);
  const fields: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(t * 1000)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const date: CivilDate = { year: fields.year!, month: fields.month!, day: fields.day! };
  if (!isValidCivilDate(date)) throw new RangeError(`unexpected date from Intl for ${t}`);
  // hourCycle h23 gives 0…23; `% 24` guards engines that once wrote midnight as 24.
  const minutes = (fields.hour! % 24) * 60 + fields.minute!;
  return { ...date, weekday: isoWeekday(date), minutes, seconds: fields.second! };
}

/** The local calendar date of an instant: what the ID rules take as `today`. */
export function localDate(epochSeconds: number, timeZone: string): CivilDate {
  const { year, month, day } = localParts(epochSeconds, timeZone);
  return { year, month, day };
}

/** The zone's offset from UTC at an instant, in seconds (east positive: +28800 in Shanghai). */
export function utcOffsetSeconds(epochSeconds: number, timeZone: string): number {
  const t = checkEpoch(epochSeconds);
  const p = localParts(t, timeZone);
  return civilToDayNumber(p) * SECONDS_PER_DAY + p.minutes * 60 + p.seconds - t;
}

/**
 * The instant at which the wall clock of `timeZone` shows `date` at `minutes` (since midnight,
 * may reach 1440 and beyond, which rolls into the next days) and `seconds`.
 * A wall time that happens twice (DST ends) gives the earlier instant; one that does not
 * happen (DST starts) is moved forward by the length of the gap (02:30 → 03:30 in New York),
 * as Temporal's 'compatible' disambiguation does.
 */
export function epochFromLocal(
  date: CivilDate,
  minutes: number,
  timeZone: string,
  seconds = 0,
): number {
  if (!Number.isInteger(minutes) || minutes < 0 || !Number.isInteger(seconds) || seconds < 0) {
    throw new RangeError('minutes and seconds must be non-negative integers');
  }
  const wall = civilToDayNumber(date) * SECONDS_PER_DAY + minutes * 60 + seconds;
  // Offsets a day either side of the wall time bracket any single transition near it.
  const before = utcOffsetSeconds(checkEpoch(wall - SECONDS_PER_DAY), timeZone);
  const after = utcOffsetSeconds(checkEpoch(wall + SECONDS_PER_DAY), timeZone);
  const candidates = [wall - before, wall - after].sort((a, b) => a - b);
  for (const t of candidates) {
    if (t + utcOffsetSeconds(t, timeZone) === wall) return t;
  }
  return wall - before;
}

/** The first instant of the local day that contains `epochSeconds`. */
export function startOfLocalDay(epochSeconds: number, timeZone: string): number {
  return epochFromLocal(localDate(epochSeconds, timeZone), 0, timeZone);
}

/**
 * The same wall-clock time `days` local calendar days later (earlier if negative). Across a DST
 * change this is not a multiple of 86 400 seconds; a wall time that does not exist on the target
 * day moves forward as in epochFromLocal.
 */
export function addLocalDays(epochSeconds: number, days: number, timeZone: string): number {
  const p = localParts(epochSeconds, timeZone);
  return epochFromLocal(addDays(p, days), p.minutes, timeZone, p.seconds);
}

export type CardWindowProblem = 'weekdays' | 'startQuarter' | 'endQuarter';

/**
 * What is wrong with a window, in the GP1 body's own limits: weekdays an integer 1…127 (at least
 * one day), quarters integers 0…96. Empty when the window is valid.
 */
export function cardWindowProblems(window: CardWindow): CardWindowProblem[] {
  const problems: CardWindowProblem[] = [];
  const inRange = (v: number, min: number, max: number) =>
    Number.isInteger(v) && v >= min && v <= max;
  if (!inRange(window.weekdays, 1, 0x7f)) problems.push('weekdays');
  if (!inRange(window.startQuarter, 0, 96)) problems.push('startQuarter');
  if (!inRange(window.endQuarter, 0, 96)) problems.push('endQuarter');
  return problems;
}

function checkWindow(window: CardWindow): void {
  const problems = cardWindowProblems(window);
  if (problems.length > 0) throw new RangeError(`invalid card window: ${problems.join(', ')}`);
}

function allows(window: CardWindow, weekday: Weekday): boolean {
  return ((window.weekdays >> (weekday - 1)) & 1) === 1;
}

/**
 * The window rule on local wall-clock values (see the module comment). Throws RangeError for a
 * window outside the GP1 limits.
 */
export function isWithinWindowAt(window: CardWindow, weekday: Weekday, minutes: number): boolean {
  checkWindow(window);
  const start = window.startQuarter * 15;
  const end = window.endQuarter * 15;
  if (start === end) return allows(window, weekday);
  if (start < end) return allows(window, weekday) && minutes >= start && minutes < end;
  if (minutes >= start) return allows(window, weekday);
  if (minutes < end) return allows(window, weekday === 1 ? 7 : ((weekday - 1) as Weekday));
  return false;
}

/** Whether the instant falls inside the card's allowed days and hours in the community's zone. */
export function isWithinWindow(
  window: CardWindow,
  epochSeconds: number,
  timeZone: string,
): boolean {
  const p = localParts(epochSeconds, timeZone);
  return isWithinWindowAt(window, p.weekday, p.minutes);
}

export interface ClockTime {
  /** 0…24 (24 only as 24:00, the end of a day). */
  hour: number;
  minute: number;
}

/** A window as data for the UI to put into words in the user's language. */
export interface WindowDescription {
  /** The allowed days, Monday first. */
  weekdays: Weekday[];
  /** Runs of consecutive allowed days, Monday first, not wrapping from Sunday to Monday:
   *  Mon–Fri and Sun gives [{from: 1, to: 5}, {from: 7, to: 7}]. */
  dayRuns: { from: Weekday; to: Weekday }[];
  everyDay: boolean;
  /** The whole day (start == end, or 0–96); then start is 00:00 and end 24:00. */
  allDay: boolean;
  start: ClockTime;
  end: ClockTime;
  /** The end is on the day after the start. */
  crossesMidnight: boolean;
}

function clock(quarter: number): ClockTime {
  return { hour: Math.floor(quarter / 4), minute: (quarter % 4) * 15 };
}

export function describeWindow(window: CardWindow): WindowDescription {
  checkWindow(window);
  const weekdays = ([1, 2, 3, 4, 5, 6, 7] as const).filter((d) => allows(window, d));
  const dayRuns: { from: Weekday; to: Weekday }[] = [];
  for (const d of weekdays) {
    const last = dayRuns[dayRuns.length - 1];
    if (last && last.to === d - 1) last.to = d;
    else dayRuns.push({ from: d, to: d });
  }
  const { startQuarter: s, endQuarter: e } = window;
  const allDay = s === e || (s === 0 && e === 96);
  return {
    weekdays,
    dayRuns,
    everyDay: weekdays.length === 7,
    allDay,
    start: allDay ? clock(0) : clock(s),
    end: allDay ? clock(96) : clock(e),
    crossesMidnight: !allDay && e < s,
  };
}
