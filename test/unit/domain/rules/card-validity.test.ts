import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CARD_VALIDITY_RULES,
  defaultValidUntil,
  earliestValidFrom,
  latestValidUntil,
  maxValidUntilByMonths,
  proposeRenewal,
  renewalOpensAt,
  validateCardValidity,
  validateRenewal,
  yearEndOf,
  type CardRuleContext,
  type CardValidityRules,
} from '../../../../src/domain/rules/card-validity';
import { addMonthsClamped } from '../../../../src/domain/rules/civil-date';
import { localParts } from '../../../../src/domain/rules/time-window';

const SH = 'Asia/Shanghai';
const NY = 'America/New_York';
const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) =>
  Date.UTC(y, mo - 1, d, h, mi, s) / 1000;
/** Shanghai wall time (UTC+8, no DST since 1992). */
const sh = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) =>
  utc(y, mo, d, h, mi, s) - 8 * 3600;

const NOW = sh(2025, 6, 1, 10, 23);
const ctx = (over: Partial<CardRuleContext> = {}, rules: Partial<CardValidityRules> = {}) => ({
  now: NOW,
  timeZone: SH,
  rules: { ...DEFAULT_CARD_VALIDITY_RULES, ...rules },
  ...over,
});

describe('three calendar months', () => {
  it('is the same day and time three months later, clamped at the month end', () => {
    const cases: [number, number][] = [
      [sh(2024, 3, 1), sh(2024, 6, 1)],
      [sh(2024, 10, 15, 14, 30), sh(2025, 1, 15, 14, 30)],
      [sh(2024, 11, 30, 10), sh(2025, 2, 28, 10)],
      [sh(2023, 11, 30, 10), sh(2024, 2, 29, 10)],
      [sh(2024, 11, 29, 10), sh(2025, 2, 28, 10)],
      [sh(2024, 1, 31, 9), sh(2024, 4, 30, 9)],
      [sh(2024, 8, 31, 9), sh(2024, 11, 30, 9)],
      [sh(2024, 12, 31, 23, 59, 59), sh(2025, 3, 31, 23, 59, 59)],
      [sh(2024, 2, 29, 12), sh(2024, 5, 29, 12)],
    ];
    for (const [from, limit] of cases) {
      expect(maxValidUntilByMonths(from, SH), new Date(from * 1000).toISOString()).toBe(limit);
    }
  });

  it('keeps the wall-clock time across a DST change (New York: 10:00 EST → 10:00 EDT)', () => {
    expect(maxValidUntilByMonths(utc(2024, 1, 15, 15), NY)).toBe(utc(2024, 4, 15, 14));
    expect(maxValidUntilByMonths(utc(2024, 9, 15, 14), NY)).toBe(utc(2024, 12, 15, 15));
  });

  it('lands on the clamped date at the same wall time, in Shanghai (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: sh(1992, 1, 1), max: sh(2100, 1, 1) }), (from) => {
        const a = localParts(from, SH);
        const b = localParts(maxValidUntilByMonths(from, SH), SH);
        expect({ year: b.year, month: b.month, day: b.day }).toEqual(addMonthsClamped(a, 3));
        expect([b.minutes, b.seconds]).toEqual([a.minutes, a.seconds]);
      }),
    );
  });
});

describe('defaultValidUntil', () => {
  it('is 90 days later when three months are longer', () => {
    expect(defaultValidUntil(sh(2024, 3, 1, 10), ctx())).toBe(sh(2024, 5, 30, 10));
    expect(defaultValidUntil(sh(2024, 12, 1, 9), ctx())).toBe(sh(2025, 3, 1, 9));
  });

  it('is cut to three months when they are shorter than 90 days', () => {
    // 31 Jan 2023 + 90 days = 1 May; three months end on 30 April.
    expect(defaultValidUntil(sh(2023, 1, 31, 9), ctx())).toBe(sh(2023, 4, 30, 9));
  });

  it('is cut to the year end when the community forbids crossing it', () => {
    const c = ctx({}, { notAcrossYearEnd: true });
    expect(defaultValidUntil(sh(2024, 11, 15, 9), c)).toBe(sh(2024, 12, 31, 23, 59, 59));
    expect(defaultValidUntil(sh(2024, 3, 1, 10), c)).toBe(sh(2024, 5, 30, 10));
  });

  it('keeps the wall-clock time in New York (90 local days across the spring change)', () => {
    expect(defaultValidUntil(utc(2024, 1, 15, 15), { timeZone: NY })).toBe(utc(2024, 4, 14, 14));
  });

  it('passes validation when issued now, whatever the start (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: sh(1992, 1, 1), max: sh(2100, 1, 1) }),
        fc.constantFrom(SH, NY),
        fc.boolean(),
        (from, timeZone, notAcrossYearEnd) => {
          const c = {
            now: from,
            timeZone,
            rules: { ...DEFAULT_CARD_VALIDITY_RULES, notAcrossYearEnd },
          };
          const until = defaultValidUntil(from, c);
          fc.pre(until > from); // only the last second of a year has no valid card under the year rule
          expect(validateCardValidity({ validFrom: from, validUntil: until }, c)).toEqual({
            ok: true,
          });
          expect(until).toBeLessThanOrEqual(latestValidUntil(from, c));
        },
      ),
    );
  });

  it('has nothing to offer at the last second of a year under the year rule', () => {
    const from = sh(2024, 12, 31, 23, 59, 59);
    const c = ctx({ now: from }, { notAcrossYearEnd: true });
    expect(defaultValidUntil(from, c)).toBe(from);
    expect(validateCardValidity({ validFrom: from, validUntil: from }, c)).toEqual({
      ok: false,
      errors: [{ field: 'validUntil', reason: 'not_after_from', limit: from }],
    });
  });
});

describe('validateCardValidity', () => {
  const from = sh(2025, 6, 1, 0);

  it('accepts a card up to its three-month limit, to the second', () => {
    const limit = maxValidUntilByMonths(from, SH);
    expect(limit).toBe(sh(2025, 9, 1));
    expect(validateCardValidity({ validFrom: from, validUntil: limit }, ctx())).toEqual({
      ok: true,
    });
    expect(validateCardValidity({ validFrom: from, validUntil: limit + 1 }, ctx())).toEqual({
      ok: false,
      errors: [{ field: 'validUntil', reason: 'exceeds_max_months', limit }],
    });
  });

  it('refuses until ≤ from', () => {
    for (const until of [from, from - 1]) {
      expect(validateCardValidity({ validFrom: from, validUntil: until }, ctx())).toEqual({
        ok: false,
        errors: [{ field: 'validUntil', reason: 'not_after_from', limit: from }],
      });
    }
  });

  it('refuses a card that has already expired', () => {
    const r = validateCardValidity({ validFrom: sh(2025, 5, 28), validUntil: NOW }, ctx());
    expect(r).toEqual({
      ok: false,
      errors: [{ field: 'validUntil', reason: 'already_expired', limit: NOW }],
    });
    expect(
      validateCardValidity({ validFrom: sh(2025, 5, 28), validUntil: NOW + 1 }, ctx()),
    ).toEqual({ ok: true });
  });

  it('allows validFrom back to 00:00 of today − maxPastDays, not a second earlier', () => {
    const earliest = earliestValidFrom(ctx());
    expect(earliest).toBe(sh(2025, 5, 25));
    const until = sh(2025, 7, 1);
    expect(validateCardValidity({ validFrom: earliest, validUntil: until }, ctx())).toEqual({
      ok: true,
    });
    expect(validateCardValidity({ validFrom: earliest - 1, validUntil: until }, ctx())).toEqual({
      ok: false,
      errors: [{ field: 'validFrom', reason: 'too_far_in_past', limit: earliest }],
    });
  });

  it('with maxPastDays 0 allows any time today', () => {
    const c = ctx({}, { maxPastDays: 0 });
    expect(earliestValidFrom(c)).toBe(sh(2025, 6, 1));
    const until = sh(2025, 7, 1);
    expect(validateCardValidity({ validFrom: sh(2025, 6, 1), validUntil: until }, c).ok).toBe(true);
    expect(
      validateCardValidity({ validFrom: sh(2025, 5, 31, 23, 59, 59), validUntil: until }, c).ok,
    ).toBe(false);
  });

  it('allows a start in the future', () => {
    const start = sh(2025, 7, 1);
    expect(validateCardValidity({ validFrom: start, validUntil: sh(2025, 10, 1) }, ctx())).toEqual({
      ok: true,
    });
  });

  it('names both fields when both are wrong', () => {
    const r = validateCardValidity(
      { validFrom: sh(2025, 1, 1), validUntil: sh(2025, 12, 1) },
      ctx(),
    );
    expect(r).toEqual({
      ok: false,
      errors: [
        { field: 'validFrom', reason: 'too_far_in_past', limit: sh(2025, 5, 25) },
        { field: 'validUntil', reason: 'exceeds_max_months', limit: sh(2025, 4, 1) },
      ],
    });
  });

  it('refuses values that do not fit the GP1 body, per field', () => {
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 32, Number.POSITIVE_INFINITY]) {
      expect(validateCardValidity({ validFrom: bad, validUntil: sh(2025, 7, 1) }, ctx())).toEqual({
        ok: false,
        errors: [{ field: 'validFrom', reason: 'not_a_time' }],
      });
      expect(validateCardValidity({ validFrom: from, validUntil: bad }, ctx())).toEqual({
        ok: false,
        errors: [{ field: 'validUntil', reason: 'not_a_time' }],
      });
    }
  });

  describe('with the year-end rule', () => {
    const c = ctx({ now: sh(2024, 12, 1, 9) }, { notAcrossYearEnd: true });
    const start = sh(2024, 12, 1, 9);

    it('allows until 31 December 23:59:59 local, not a second later', () => {
      expect(yearEndOf(start, SH)).toBe(sh(2024, 12, 31, 23, 59, 59));
      const end = sh(2024, 12, 31, 23, 59, 59);
      expect(validateCardValidity({ validFrom: start, validUntil: end }, c)).toEqual({ ok: true });
      expect(validateCardValidity({ validFrom: start, validUntil: end + 1 }, c)).toEqual({
        ok: false,
        errors: [{ field: 'validUntil', reason: 'crosses_year_end', limit: end }],
      });
    });

    it('uses the local year: 1 January 07:00 in Shanghai is still 31 December in UTC', () => {
      const newYearMorning = sh(2025, 1, 1, 7);
      expect(validateCardValidity({ validFrom: start, validUntil: newYearMorning }, c).ok).toBe(
        false,
      );
    });

    it('does not apply without the setting', () => {
      const c2 = ctx({ now: start });
      expect(validateCardValidity({ validFrom: start, validUntil: sh(2025, 2, 1) }, c2)).toEqual({
        ok: true,
      });
    });

    it('names the tighter bound when both are crossed', () => {
      const early = sh(2024, 9, 15);
      const c2 = ctx({ now: early }, { notAcrossYearEnd: true });
      // Three months end on 15 December, before the year end.
      expect(validateCardValidity({ validFrom: early, validUntil: sh(2025, 1, 5) }, c2)).toEqual({
        ok: false,
        errors: [{ field: 'validUntil', reason: 'exceeds_max_months', limit: sh(2024, 12, 15) }],
      });
      // From 15 October the year ends first.
      const later = sh(2024, 10, 15);
      const c3 = ctx({ now: later }, { notAcrossYearEnd: true });
      expect(validateCardValidity({ validFrom: later, validUntil: sh(2025, 1, 5) }, c3)).toEqual({
        ok: false,
        errors: [
          { field: 'validUntil', reason: 'crosses_year_end', limit: sh(2024, 12, 31, 23, 59, 59) },
        ],
      });
    });
  });

  it('refuses nonsense rules and a nonsense now', () => {
    const v = { validFrom: from, validUntil: sh(2025, 7, 1) };
    expect(() => validateCardValidity(v, ctx({}, { maxPastDays: -1 }))).toThrow(RangeError);
    expect(() => validateCardValidity(v, ctx({}, { maxPastDays: 1.5 }))).toThrow(RangeError);
    expect(() => validateCardValidity(v, ctx({}, { renewalOpensDaysBeforeExpiry: -7 }))).toThrow(
      RangeError,
    );
    expect(() => validateCardValidity(v, ctx({ now: -1 }))).toThrow(RangeError);
    expect(() => validateCardValidity(v, ctx({ timeZone: 'Mars/Olympus' }))).toThrow(RangeError);
  });

  it('accepts exactly the until values up to the limit (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: sh(2000, 1, 1), max: sh(2100, 1, 1) }),
        fc.integer({ min: -100_000, max: 100_000 }),
        (start, delta) => {
          const c = { now: start, timeZone: SH };
          const until = maxValidUntilByMonths(start, SH) + delta;
          const r = validateCardValidity({ validFrom: start, validUntil: until }, c);
          expect(r.ok).toBe(delta <= 0);
        },
      ),
    );
  });
});

describe('renewal', () => {
  const old = { validFrom: sh(2025, 3, 10, 9), validUntil: sh(2025, 6, 8, 9) };

  it('opens 7 local days before the old card expires, or at any time if so set', () => {
    expect(renewalOpensAt(old, ctx())).toBe(sh(2025, 6, 1, 9));
    expect(renewalOpensAt(old, ctx({}, { renewalOpensDaysBeforeExpiry: null }))).toBe(null);
    expect(renewalOpensAt(old, ctx({}, { renewalOpensDaysBeforeExpiry: 0 }))).toBe(old.validUntil);
  });

  it('proposes to start now and stop the old card now', () => {
    const p = proposeRenewal(old, ctx());
    expect(p).toEqual({
      validFrom: NOW,
      oldStopsAt: NOW,
      validUntil: defaultValidUntil(NOW, ctx()),
    });
    expect(validateRenewal(old, p, ctx())).toEqual({ ok: true, oldStopsAt: NOW });
  });

  it('refuses a renewal made before the window opens', () => {
    const now = sh(2025, 6, 1, 8, 59, 59);
    const p = proposeRenewal(old, ctx({ now }));
    expect(validateRenewal(old, p, ctx({ now }))).toEqual({
      ok: false,
      errors: [{ field: 'validFrom', reason: 'renewal_too_early', limit: sh(2025, 6, 1, 9) }],
    });
    const anyTime = ctx({ now }, { renewalOpensDaysBeforeExpiry: null });
    expect(validateRenewal(old, p, anyTime)).toEqual({ ok: true, oldStopsAt: now });
  });

  it('allows the new card to start when the old one expires, not later', () => {
    const seamless = { validFrom: old.validUntil, validUntil: sh(2025, 9, 8, 9) };
    expect(validateRenewal(old, seamless, ctx())).toEqual({ ok: true, oldStopsAt: old.validUntil });
    const gap = { validFrom: old.validUntil + 1, validUntil: sh(2025, 9, 8, 9) };
    expect(validateRenewal(old, gap, ctx())).toEqual({
      ok: false,
      errors: [{ field: 'validFrom', reason: 'renewal_after_old_expiry', limit: old.validUntil }],
    });
  });

  it('refuses a renewal starting before the old card did', () => {
    const future = { validFrom: sh(2025, 6, 3), validUntil: sh(2025, 8, 1) };
    const renewal = { validFrom: sh(2025, 6, 2), validUntil: sh(2025, 8, 1) };
    expect(
      validateRenewal(future, renewal, ctx({}, { renewalOpensDaysBeforeExpiry: null })),
    ).toEqual({
      ok: false,
      errors: [{ field: 'validFrom', reason: 'renewal_before_old_start', limit: future.validFrom }],
    });
  });

  it('continues an expired card from its expiry, within maxPastDays', () => {
    const now = sh(2025, 6, 10, 10);
    const p = proposeRenewal(old, ctx({ now }));
    expect(p.validFrom).toBe(old.validUntil);
    expect(p.oldStopsAt).toBe(old.validUntil);
    expect(validateRenewal(old, p, ctx({ now }))).toEqual({ ok: true, oldStopsAt: old.validUntil });
    // A month later the continuation would start too far in the past: issue a new card.
    const later = sh(2025, 7, 10, 10);
    const q = proposeRenewal(old, ctx({ now: later }));
    expect(validateRenewal(old, q, ctx({ now: later }))).toEqual({
      ok: false,
      errors: [{ field: 'validFrom', reason: 'too_far_in_past', limit: sh(2025, 7, 3) }],
    });
  });

  it('starts at the old card start when the old card has not started yet', () => {
    const future = { validFrom: sh(2025, 6, 5), validUntil: sh(2025, 8, 1) };
    const c = ctx({}, { renewalOpensDaysBeforeExpiry: null });
    const p = proposeRenewal(future, c);
    expect(p.validFrom).toBe(future.validFrom);
    expect(validateRenewal(future, p, c)).toEqual({ ok: true, oldStopsAt: future.validFrom });
  });

  it('keeps the ordinary rules for the new card, one error per field', () => {
    const tooLong = { validFrom: NOW, validUntil: sh(2025, 12, 1) };
    expect(validateRenewal(old, tooLong, ctx())).toEqual({
      ok: false,
      errors: [
        {
          field: 'validUntil',
          reason: 'exceeds_max_months',
          limit: maxValidUntilByMonths(NOW, SH),
        },
      ],
    });
    // Too early and too far in the past: the renewal reason wins for validFrom.
    const now = sh(2025, 5, 1);
    const r = validateRenewal(
      old,
      { validFrom: sh(2025, 4, 1), validUntil: sh(2025, 6, 20) },
      ctx({ now }),
    );
    expect(r).toEqual({
      ok: false,
      errors: [{ field: 'validFrom', reason: 'renewal_too_early', limit: sh(2025, 6, 1, 9) }],
    });
  });

  it('reports not_a_time without judging the renewal', () => {
    expect(
      validateRenewal(old, { validFrom: Number.NaN, validUntil: sh(2025, 7, 1) }, ctx()),
    ).toEqual({
      ok: false,
      errors: [{ field: 'validFrom', reason: 'not_a_time' }],
    });
  });

  it('refuses a corrupt old card', () => {
    const bad = { validFrom: sh(2025, 6, 8), validUntil: sh(2025, 6, 8) };
    expect(() => proposeRenewal(bad, ctx())).toThrow(RangeError);
    expect(() => validateRenewal(bad, old, ctx())).toThrow(RangeError);
    expect(() => renewalOpensAt({ validFrom: -1, validUntil: 5 }, ctx())).toThrow(RangeError);
  });

  it('always proposes a start inside the old validity, accepted when the window is open (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: sh(2024, 1, 1), max: sh(2026, 1, 1) }),
        fc.integer({ min: 3600, max: 92 * 86_400 }),
        fc.integer({ min: -100 * 86_400, max: 100 * 86_400 }),
        (start, length, nowOffset) => {
          const card = { validFrom: start, validUntil: start + length };
          const now = start + nowOffset;
          const c = { now, timeZone: SH };
          const p = proposeRenewal(card, c);
          expect(p.validFrom).toBeGreaterThanOrEqual(card.validFrom);
          expect(p.validFrom).toBeLessThanOrEqual(card.validUntil);
          expect(p.oldStopsAt).toBe(p.validFrom);
          const r = validateRenewal(card, p, c);
          const open = now >= renewalOpensAt(card, c)!;
          const recent = p.validFrom >= earliestValidFrom(c);
          const live = p.validUntil > now;
          expect(r.ok).toBe(open && recent && live);
        },
      ),
    );
  });
});
