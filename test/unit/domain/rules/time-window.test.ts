import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CardWindow } from '../../../../src/domain/credential/body';
import type { Weekday } from '../../../../src/domain/rules/civil-date';
import {
  addLocalDays,
  cardWindowProblems,
  describeWindow,
  epochFromLocal,
  isValidTimeZone,
  isWithinWindow,
  isWithinWindowAt,
  localDate,
  localParts,
  startOfLocalDay,
  utcOffsetSeconds,
} from '../../../../src/domain/rules/time-window';

const SH = 'Asia/Shanghai';
const NY = 'America/New_York';

/** Epoch seconds of a UTC wall time. */
const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) =>
  Date.UTC(y, mo - 1, d, h, mi, s) / 1000;
/** Epoch seconds of a Shanghai wall time (UTC+8 all year since 1992). */
const sh = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) =>
  utc(y, mo, d, h, mi, s) - 8 * 3600;

const u32 = fc.integer({ min: 0, max: 0xffffffff });
/** From 1992 on: China last observed DST in 1991 (see the test below), since then UTC+8 all year. */
const sinceNoDst = fc.integer({ min: Date.UTC(1992, 0, 1) / 1000, max: 0xffffffff });

/** Oracle for Shanghai since 1992: a fixed +8 h offset read through Date's UTC getters. */
function shanghaiOracle(t: number) {
  const x = new Date((t + 8 * 3600) * 1000);
  const js = x.getUTCDay();
  return {
    year: x.getUTCFullYear(),
    month: x.getUTCMonth() + 1,
    day: x.getUTCDate(),
    weekday: (js === 0 ? 7 : js) as Weekday,
    minutes: x.getUTCHours() * 60 + x.getUTCMinutes(),
    seconds: x.getUTCSeconds(),
  };
}

describe('localParts', () => {
  it('reads Shanghai local time (UTC+8, no DST)', () => {
    expect(localParts(0, SH)).toEqual({
      year: 1970,
      month: 1,
      day: 1,
      weekday: 4,
      minutes: 480,
      seconds: 0,
    });
    // New Year in Shanghai while it is still 31 December in UTC.
    expect(localParts(utc(2024, 12, 31, 16), SH)).toMatchObject({
      year: 2025,
      month: 1,
      day: 1,
      weekday: 3,
      minutes: 0,
    });
    expect(localParts(utc(2024, 2, 29, 15, 59, 59), SH)).toMatchObject({
      month: 2,
      day: 29,
      weekday: 4,
      minutes: 23 * 60 + 59,
      seconds: 59,
    });
  });

  it('floors fractional seconds', () => {
    expect(localParts(59.999, 'UTC')).toMatchObject({ minutes: 0, seconds: 59 });
  });

  it('knows that China observed DST from 1986 to 1991 (the data comes from the zone database)', () => {
    expect(utcOffsetSeconds(utc(1988, 7, 1, 12), SH)).toBe(9 * 3600);
    expect(localParts(utc(1988, 7, 1, 12), SH)).toMatchObject({ minutes: 21 * 60 });
    expect(utcOffsetSeconds(utc(1988, 1, 1, 12), SH)).toBe(8 * 3600);
    expect(utcOffsetSeconds(utc(1992, 7, 1, 12), SH)).toBe(8 * 3600);
  });

  it('matches a fixed +8 h offset in Shanghai from 1992 to the end of the GP1 range (property)', () => {
    fc.assert(
      fc.property(sinceNoDst, (t) => {
        expect(localParts(t, SH)).toEqual(shanghaiOracle(t));
      }),
      { numRuns: 500 },
    );
  });

  it('follows New York across the spring-forward gap', () => {
    expect(localParts(utc(2024, 3, 10, 6, 59, 59), NY)).toMatchObject({
      day: 10,
      weekday: 7,
      minutes: 1 * 60 + 59,
      seconds: 59,
    });
    expect(localParts(utc(2024, 3, 10, 7), NY)).toMatchObject({ day: 10, minutes: 3 * 60 });
    expect(utcOffsetSeconds(utc(2024, 3, 10, 6), NY)).toBe(-5 * 3600);
    expect(utcOffsetSeconds(utc(2024, 3, 10, 8), NY)).toBe(-4 * 3600);
  });

  it('follows New York through the repeated hour in the autumn', () => {
    expect(localParts(utc(2024, 11, 3, 5, 30), NY)).toMatchObject({ day: 3, minutes: 90 });
    expect(localParts(utc(2024, 11, 3, 6, 30), NY)).toMatchObject({ day: 3, minutes: 90 });
    expect(utcOffsetSeconds(utc(2024, 11, 3, 5, 30), NY)).toBe(-4 * 3600);
    expect(utcOffsetSeconds(utc(2024, 11, 3, 6, 30), NY)).toBe(-5 * 3600);
  });

  it('refuses unknown zones and unrepresentable times', () => {
    expect(() => localParts(0, 'Asia/Atlantis')).toThrow(RangeError);
    expect(() => localParts(Number.NaN, SH)).toThrow(RangeError);
    expect(() => localParts(Number.POSITIVE_INFINITY, SH)).toThrow(RangeError);
    expect(() => localParts(9e12, SH)).toThrow(RangeError);
    expect(isValidTimeZone(SH)).toBe(true);
    expect(isValidTimeZone(NY)).toBe(true);
    expect(isValidTimeZone('Asia/Atlantis')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });

  it('localDate gives the local calendar date', () => {
    expect(localDate(utc(2024, 12, 31, 16), SH)).toEqual({ year: 2025, month: 1, day: 1 });
    expect(localDate(utc(2025, 1, 1, 3), NY)).toEqual({ year: 2024, month: 12, day: 31 });
  });
});

describe('epochFromLocal', () => {
  it('inverts localParts in Shanghai exactly (property)', () => {
    fc.assert(
      fc.property(sinceNoDst, (t) => {
        const p = localParts(t, SH);
        expect(epochFromLocal(p, p.minutes, SH, p.seconds)).toBe(t);
      }),
      { numRuns: 500 },
    );
  });

  it('inverts localParts in New York, choosing the earlier of a repeated time (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: utc(2000, 1, 1), max: utc(2040, 1, 1) }), (t) => {
        const p = localParts(t, NY);
        const back = epochFromLocal(p, p.minutes, NY, p.seconds);
        expect(back === t || back === t - 3600).toBe(true);
        expect(localParts(back, NY)).toEqual(p);
      }),
      { numRuns: 500 },
    );
  });

  it('moves a wall time inside the spring gap forward by the gap', () => {
    // 02:30 does not exist on 10 March 2024 in New York; 03:30 EDT is 07:30 UTC.
    expect(epochFromLocal({ year: 2024, month: 3, day: 10 }, 150, NY)).toBe(
      utc(2024, 3, 10, 7, 30),
    );
  });

  it('gives the first of the two 01:30s in the autumn', () => {
    expect(epochFromLocal({ year: 2024, month: 11, day: 3 }, 90, NY)).toBe(utc(2024, 11, 3, 5, 30));
  });

  it('rolls minutes of 1440 and more into the next day', () => {
    expect(epochFromLocal({ year: 2024, month: 12, day: 31 }, 1440, SH)).toBe(sh(2025, 1, 1));
  });

  it('refuses negative or fractional minutes and seconds', () => {
    const d = { year: 2024, month: 1, day: 1 };
    expect(() => epochFromLocal(d, -1, SH)).toThrow(RangeError);
    expect(() => epochFromLocal(d, 1.5, SH)).toThrow(RangeError);
    expect(() => epochFromLocal(d, 0, SH, -1)).toThrow(RangeError);
    expect(() => epochFromLocal({ year: 2023, month: 2, day: 29 }, 0, SH)).toThrow(RangeError);
  });
});

describe('startOfLocalDay and addLocalDays', () => {
  it('finds local midnight in Shanghai', () => {
    expect(startOfLocalDay(sh(2024, 2, 29, 13, 45, 12), SH)).toBe(sh(2024, 2, 29));
    expect(startOfLocalDay(sh(2024, 2, 29), SH)).toBe(sh(2024, 2, 29));
    expect(startOfLocalDay(sh(2024, 2, 29, 23, 59, 59), SH)).toBe(sh(2024, 2, 29));
  });

  it('makes the DST days in New York 23 and 25 hours long', () => {
    const spring = startOfLocalDay(utc(2024, 3, 10, 16), NY);
    expect(spring).toBe(utc(2024, 3, 10, 5));
    expect(startOfLocalDay(utc(2024, 3, 11, 16), NY) - spring).toBe(23 * 3600);
    const autumn = startOfLocalDay(utc(2024, 11, 3, 16), NY);
    expect(autumn).toBe(utc(2024, 11, 3, 4));
    expect(startOfLocalDay(utc(2024, 11, 4, 16), NY) - autumn).toBe(25 * 3600);
  });

  it('starts a day whose midnight does not exist at the first instant it has', () => {
    // Santiago, 8 September 2024: 00:00 jumps to 01:00 (UTC−3), i.e. 04:00 UTC.
    expect(startOfLocalDay(utc(2024, 9, 8, 15), 'America/Santiago')).toBe(utc(2024, 9, 8, 4));
    // Havana, 3 November 2024: 00:00–00:59 happens twice; the day starts at the first.
    expect(startOfLocalDay(utc(2024, 11, 3, 15), 'America/Havana')).toBe(utc(2024, 11, 3, 4));
  });

  it('adds local days keeping the wall-clock time across DST', () => {
    // Saturday 12:00 EST + 1 day = Sunday 12:00 EDT: 23 hours later.
    expect(addLocalDays(utc(2024, 3, 9, 17), 1, NY)).toBe(utc(2024, 3, 10, 16));
    expect(addLocalDays(utc(2024, 3, 10, 16), -1, NY)).toBe(utc(2024, 3, 9, 17));
    // 02:30 on the day before the gap + 1 day: 02:30 does not exist, 03:30 EDT.
    expect(addLocalDays(utc(2024, 3, 9, 7, 30), 1, NY)).toBe(utc(2024, 3, 10, 7, 30));
    expect(addLocalDays(sh(2024, 2, 28, 9), 1, SH)).toBe(sh(2024, 2, 29, 9));
    expect(addLocalDays(sh(2024, 12, 31, 9), 1, SH)).toBe(sh(2025, 1, 1, 9));
  });

  it('adds exactly n·86 400 seconds in Shanghai (property)', () => {
    fc.assert(
      fc.property(sinceNoDst, fc.integer({ min: -400, max: 400 }), (t, n) => {
        fc.pre(t + n * 86_400 >= Date.UTC(1992, 0, 1) / 1000);
        expect(addLocalDays(t, n, SH)).toBe(t + n * 86_400);
      }),
      { numRuns: 300 },
    );
  });
});

/**
 * Reference model of a window: the week as 10 080 minutes from Monday 00:00; each allowed day d
 * contributes the interval starting at its start minute and lasting (end − start) minutes, or
 * (end − start + 1440) when the window crosses midnight, or a whole day when start == end; the
 * week wraps from Sunday to Monday.
 */
function modelWithin(w: CardWindow, weekday: Weekday, minutes: number): boolean {
  const at = (weekday - 1) * 1440 + minutes;
  const s = w.startQuarter * 15;
  const e = w.endQuarter * 15;
  for (let d = 0; d < 7; d++) {
    if (((w.weekdays >> d) & 1) === 0) continue;
    const begin = d * 1440 + (s === e ? 0 : s);
    const length = s === e ? 1440 : e > s ? e - s : e - s + 1440;
    const offset = (((at - begin) % 10_080) + 10_080) % 10_080;
    if (offset < length) return true;
  }
  return false;
}

const windowArb = fc.record({
  weekdays: fc.integer({ min: 1, max: 127 }),
  startQuarter: fc.integer({ min: 0, max: 96 }),
  endQuarter: fc.integer({ min: 0, max: 96 }),
});
const weekdayArb = fc.integer({ min: 1, max: 7 }).map((d) => d as Weekday);

const MON = 1,
  TUE = 2,
  SAT = 32,
  SUN = 64,
  WORKDAYS = 31,
  ALL = 127;
const hm = (h: number, m = 0) => h * 60 + m;

describe('isWithinWindow', () => {
  const office: CardWindow = { weekdays: WORKDAYS, startQuarter: 32, endQuarter: 72 }; // 08:00–18:00

  it('admits from the start up to, not including, the end', () => {
    expect(isWithinWindowAt(office, 1, hm(7, 59))).toBe(false);
    expect(isWithinWindowAt(office, 1, hm(8))).toBe(true);
    expect(isWithinWindowAt(office, 5, hm(17, 59))).toBe(true);
    expect(isWithinWindowAt(office, 5, hm(18))).toBe(false);
    expect(isWithinWindowAt(office, 6, hm(12))).toBe(false);
    expect(isWithinWindowAt(office, 7, hm(12))).toBe(false);
  });

  it('counts a window across midnight for the day it started', () => {
    const mondayNight: CardWindow = { weekdays: MON, startQuarter: 88, endQuarter: 24 }; // 22:00–06:00
    expect(isWithinWindowAt(mondayNight, 1, hm(21, 59))).toBe(false);
    expect(isWithinWindowAt(mondayNight, 1, hm(22))).toBe(true);
    expect(isWithinWindowAt(mondayNight, 1, hm(23, 59))).toBe(true);
    expect(isWithinWindowAt(mondayNight, 2, hm(0))).toBe(true);
    expect(isWithinWindowAt(mondayNight, 2, hm(5, 59))).toBe(true);
    expect(isWithinWindowAt(mondayNight, 2, hm(6))).toBe(false);
    // Monday early morning belongs to Sunday night; Tuesday night is not allowed.
    expect(isWithinWindowAt(mondayNight, 1, hm(5))).toBe(false);
    expect(isWithinWindowAt(mondayNight, 2, hm(23))).toBe(false);
  });

  it('wraps Sunday night into Monday morning', () => {
    const sundayNight: CardWindow = { weekdays: SUN, startQuarter: 88, endQuarter: 24 };
    expect(isWithinWindowAt(sundayNight, 1, hm(5))).toBe(true);
    expect(isWithinWindowAt(sundayNight, 7, hm(5))).toBe(false);
    expect(isWithinWindowAt(sundayNight, 7, hm(23))).toBe(true);
  });

  it('treats start == end, and 0–96, as the whole of each allowed day', () => {
    for (const q of [0, 32, 96]) {
      const w: CardWindow = { weekdays: SAT | SUN, startQuarter: q, endQuarter: q };
      expect(isWithinWindowAt(w, 6, 0)).toBe(true);
      expect(isWithinWindowAt(w, 7, 1439)).toBe(true);
      expect(isWithinWindowAt(w, 1, 0)).toBe(false);
      expect(isWithinWindowAt(w, 5, 1439)).toBe(false);
    }
    const full: CardWindow = { weekdays: TUE, startQuarter: 0, endQuarter: 96 };
    expect(isWithinWindowAt(full, 2, 0)).toBe(true);
    expect(isWithinWindowAt(full, 2, 1439)).toBe(true);
    expect(isWithinWindowAt(full, 3, 0)).toBe(false);
  });

  it('reads a start of 96 as the next midnight', () => {
    const w: CardWindow = { weekdays: MON, startQuarter: 96, endQuarter: 8 }; // Mon 24:00–Tue 02:00
    expect(isWithinWindowAt(w, 1, 1439)).toBe(false);
    expect(isWithinWindowAt(w, 2, hm(1, 59))).toBe(true);
    expect(isWithinWindowAt(w, 2, hm(2))).toBe(false);
  });

  it('agrees with the reference model for every window and time (property)', () => {
    fc.assert(
      fc.property(windowArb, weekdayArb, fc.integer({ min: 0, max: 1439 }), (w, d, m) => {
        expect(isWithinWindowAt(w, d, m)).toBe(modelWithin(w, d, m));
      }),
      { numRuns: 5000 },
    );
  });

  it('admits everything with every day and all day (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 96 }), u32, (q, t) => {
        expect(isWithinWindow({ weekdays: ALL, startQuarter: q, endQuarter: q }, t, SH)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('judges instants by Shanghai local time (property against the +8 h oracle)', () => {
    fc.assert(
      fc.property(windowArb, sinceNoDst, (w, t) => {
        const o = shanghaiOracle(t);
        expect(isWithinWindow(w, t, SH)).toBe(modelWithin(w, o.weekday, o.minutes));
      }),
      { numRuns: 1000 },
    );
  });

  it('uses the Monday 22:00–06:00 example on real instants', () => {
    const mondayNight: CardWindow = { weekdays: MON, startQuarter: 88, endQuarter: 24 };
    // 2025-06-02 is a Monday.
    expect(isWithinWindow(mondayNight, sh(2025, 6, 2, 22, 30), SH)).toBe(true);
    expect(isWithinWindow(mondayNight, sh(2025, 6, 3, 5), SH)).toBe(true);
    expect(isWithinWindow(mondayNight, sh(2025, 6, 2, 5), SH)).toBe(false);
    expect(isWithinWindow(mondayNight, sh(2025, 6, 3, 22, 30), SH)).toBe(false);
  });

  it('follows the wall clock where there is DST (New York)', () => {
    const sundayMorning: CardWindow = { weekdays: SUN, startQuarter: 32, endQuarter: 36 }; // 08:00–09:00
    // 12:30 UTC on Sunday 10 March 2024 is 08:30 EDT (it would be 07:30 at the winter offset).
    expect(isWithinWindow(sundayMorning, utc(2024, 3, 10, 12, 30), NY)).toBe(true);
    // A week earlier, 12:30 UTC is 07:30 EST: outside; 13:30 UTC is 08:30 EST: inside.
    expect(isWithinWindow(sundayMorning, utc(2024, 3, 3, 12, 30), NY)).toBe(false);
    expect(isWithinWindow(sundayMorning, utc(2024, 3, 3, 13, 30), NY)).toBe(true);
    // The same instant is Sunday evening in New York but Monday morning in Shanghai.
    expect(isWithinWindow(sundayMorning, utc(2024, 3, 11, 0, 30), NY)).toBe(false);
    expect(
      isWithinWindow(
        { weekdays: MON, startQuarter: 32, endQuarter: 36 },
        utc(2024, 3, 11, 0, 30),
        SH,
      ),
    ).toBe(true);
  });

  it('refuses windows outside the GP1 limits', () => {
    for (const w of [
      { weekdays: 0, startQuarter: 0, endQuarter: 96 },
      { weekdays: 128, startQuarter: 0, endQuarter: 96 },
      { weekdays: 1, startQuarter: -1, endQuarter: 96 },
      { weekdays: 1, startQuarter: 0, endQuarter: 97 },
      { weekdays: 1, startQuarter: 1.5, endQuarter: 96 },
    ]) {
      expect(() => isWithinWindowAt(w, 1, 0), JSON.stringify(w)).toThrow(RangeError);
      expect(() => describeWindow(w)).toThrow(RangeError);
    }
  });
});

describe('cardWindowProblems', () => {
  it('names each field out of range', () => {
    expect(cardWindowProblems({ weekdays: 31, startQuarter: 32, endQuarter: 72 })).toEqual([]);
    expect(cardWindowProblems({ weekdays: 0, startQuarter: 97, endQuarter: -1 })).toEqual([
      'weekdays',
      'startQuarter',
      'endQuarter',
    ]);
    expect(cardWindowProblems({ weekdays: 127, startQuarter: 96, endQuarter: 0 })).toEqual([]);
  });
});

describe('describeWindow', () => {
  it('describes working days, office hours', () => {
    expect(describeWindow({ weekdays: WORKDAYS, startQuarter: 33, endQuarter: 70 })).toEqual({
      weekdays: [1, 2, 3, 4, 5],
      dayRuns: [{ from: 1, to: 5 }],
      everyDay: false,
      allDay: false,
      start: { hour: 8, minute: 15 },
      end: { hour: 17, minute: 30 },
      crossesMidnight: false,
    });
  });

  it('splits days into Monday-first runs', () => {
    const d = describeWindow({ weekdays: MON | 2 | 8 | SAT | SUN, startQuarter: 0, endQuarter: 0 });
    expect(d.weekdays).toEqual([1, 2, 4, 6, 7]);
    expect(d.dayRuns).toEqual([
      { from: 1, to: 2 },
      { from: 4, to: 4 },
      { from: 6, to: 7 },
    ]);
  });

  it('describes every day, all day, with 00:00–24:00', () => {
    for (const [s, e] of [
      [0, 0],
      [0, 96],
      [40, 40],
    ]) {
      const d = describeWindow({ weekdays: ALL, startQuarter: s!, endQuarter: e! });
      expect(d).toMatchObject({
        everyDay: true,
        allDay: true,
        start: { hour: 0, minute: 0 },
        end: { hour: 24, minute: 0 },
        crossesMidnight: false,
      });
      expect(d.dayRuns).toEqual([{ from: 1, to: 7 }]);
    }
  });

  it('marks a night window as crossing midnight', () => {
    expect(describeWindow({ weekdays: MON, startQuarter: 88, endQuarter: 24 })).toMatchObject({
      start: { hour: 22, minute: 0 },
      end: { hour: 6, minute: 0 },
      crossesMidnight: true,
    });
  });
});
