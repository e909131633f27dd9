import { describe, expect, it } from 'vitest';
import {
  MAX_SLIP_DAYS,
  slipIssueBlocks,
  slipIssueSchema,
  slipState,
  slipValidity,
  type SlipFields,
  type SlipHousehold,
} from '../../../src/domain/slip';
import { epochFromLocal } from '../../../src/domain/rules/time-window';
import { ID_NUMBERS } from '../../support/cards';

const TZ = 'Asia/Shanghai';
// Saturday 2026-11-28 10:00 in Shanghai.
const NOW = epochFromLocal({ year: 2026, month: 11, day: 28 }, 10 * 60, TZ);
const ctx = { now: NOW, timeZone: TZ };
const midnight = (day: number) => epochFromLocal({ year: 2026, month: 11, day }, 0, TZ);

const fields = (extra: Partial<SlipFields> = {}): SlipFields => ({
  householdId: 'H1',
  applicantName: '王小明',
  applicantRole: 'tenant',
  applicantPhone: '13812345678',
  applicantIdType: 'resident_card',
  applicantIdNumber: ID_NUMBERS.a,
  items: [{ name: '冰箱', quantity: 1, unit: '台' }],
  firstDay: '2026-11-28',
  ...extra,
});

const household = (extra: Partial<SlipHousehold> = {}): SlipHousehold => ({
  movedOut: false,
  arrears: false,
  underWatch: false,
  mainSystemConsent: false,
  ...extra,
});

const request = (extra: Partial<Parameters<typeof slipIssueBlocks>[0]> = {}) => ({
  applicantRole: 'tenant' as const,
  consent: null,
  arrearsOverride: null,
  watchSignOff: null,
  ...extra,
});

describe('owner consent for a tenant', () => {
  it('blocks a tenant without consent, and no owner', () => {
    expect(slipIssueBlocks(request(), household(), false)).toEqual(['consent_required']);
    expect(slipIssueBlocks(request({ applicantRole: 'owner' }), household(), false)).toEqual([]);
  });

  it('accepts consent signed in person and confirmed by phone', () => {
    for (const way of ['in_person', 'phone'] as const) {
      const consent = { way, ownerName: '李业主', confirmedBy: '张文员', note: '' };
      expect(slipIssueBlocks(request({ consent }), household(), false)).toEqual([]);
    }
  });

  it('accepts consent in the main system only when the main system has confirmed it', () => {
    const consent = { way: 'main_system' as const, ownerName: '', confirmedBy: '', note: '' };
    expect(slipIssueBlocks(request({ consent }), household(), false)).toEqual([
      'consent_not_in_main_system',
    ]);
    expect(
      slipIssueBlocks(request({ consent }), household({ mainSystemConsent: true }), false),
    ).toEqual([]);
  });

  it('wants the name of the clerk who called for consent by phone', () => {
    const r = slipIssueSchema(ctx).safeParse(
      fields({ consent: { way: 'phone', ownerName: '李业主' } }),
    );
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toEqual(['consent.confirmedBy']);
  });
});

describe('arrears', () => {
  const owner = { applicantRole: 'owner' as const };
  it('needs an override with a reason, given by a supervisor', () => {
    expect(slipIssueBlocks(request(owner), household({ arrears: true }), true)).toEqual([
      'arrears_override_required',
    ]);
    const overridden = request({ ...owner, arrearsOverride: { reason: '已约定月底前结清' } });
    expect(slipIssueBlocks(overridden, household({ arrears: true }), true)).toEqual([]);
    expect(slipIssueBlocks(overridden, household({ arrears: true }), false)).toEqual([
      'override_needs_supervisor',
    ]);
  });

  it('refuses an override without a reason', () => {
    const r = slipIssueSchema(ctx).safeParse(fields({ arrearsOverride: { reason: '  ' } }));
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['arrearsOverride', 'reason']);
  });

  it('ignores an override where there are no arrears', () => {
    const overridden = request({ ...owner, arrearsOverride: { reason: 'x' } });
    expect(slipIssueBlocks(overridden, household(), false)).toEqual([]);
  });
});

describe('households under watch', () => {
  const owner = { applicantRole: 'owner' as const };
  it('need a supervisor sign-off', () => {
    expect(slipIssueBlocks(request(owner), household({ underWatch: true }), true)).toEqual([
      'watch_signoff_required',
    ]);
    const signed = request({ ...owner, watchSignOff: { note: '' } });
    expect(slipIssueBlocks(signed, household({ underWatch: true }), true)).toEqual([]);
    expect(slipIssueBlocks(signed, household({ underWatch: true }), false)).toEqual([
      'override_needs_supervisor',
    ]);
  });

  it('lists every block at once, and a moved-out household only that', () => {
    expect(
      slipIssueBlocks(request(), household({ arrears: true, underWatch: true }), false),
    ).toEqual(['consent_required', 'arrears_override_required', 'watch_signoff_required']);
    expect(slipIssueBlocks(request(), household({ movedOut: true, arrears: true }), true)).toEqual([
      'household_moved_out',
    ]);
  });
});

describe('valid days', () => {
  it('runs from 00:00 of the first day for the number of days', () => {
    expect(slipValidity('2026-11-28', 1, ctx)).toEqual({
      ok: true,
      validFrom: midnight(28),
      validUntil: midnight(29),
    });
    expect(slipValidity('2026-11-29', MAX_SLIP_DAYS, ctx)).toEqual({
      ok: true,
      validFrom: midnight(29),
      validUntil: epochFromLocal({ year: 2026, month: 12, day: 2 }, 0, TZ),
    });
  });

  it('refuses a first day in the past, or more than two weeks ahead', () => {
    expect(slipValidity('2026-11-27', 1, ctx)).toEqual({ ok: false, reason: 'in_the_past' });
    expect(slipValidity('2026-12-13', 1, ctx)).toEqual({ ok: false, reason: 'too_far_ahead' });
    expect(slipValidity('2026-12-12', 1, ctx).ok).toBe(true);
  });

  it('allows at most three days, today by default', () => {
    const four = slipIssueSchema(ctx).safeParse(fields({ days: 4 }));
    expect(four.success).toBe(false);
    expect(four.error!.issues.map((i) => i.path.join('.'))).toContain('days');
    const r = slipIssueSchema(ctx).parse(fields());
    expect([r.days, r.trips, r.validFrom, r.validUntil]).toEqual([
      1,
      1,
      midnight(28),
      midnight(29),
    ]);
  });
});

describe('the issuing form', () => {
  it('normalises the phone, plate and ID number', () => {
    const r = slipIssueSchema(ctx).parse(
      fields({
        applicantPhone: '138 1234 5678',
        plate: '粤b·12345',
        applicantIdNumber: ID_NUMBERS.a.toLowerCase(),
      }),
    );
    expect([r.applicantPhone, r.plate, r.applicantIdNumber]).toEqual([
      '13812345678',
      '粤B12345',
      ID_NUMBERS.a.toUpperCase(),
    ]);
  });

  it('names every bad field at once', () => {
    const r = slipIssueSchema(ctx).safeParse(
      fields({
        applicantPhone: '12345',
        plate: 'XYZ',
        applicantIdNumber: '110',
        items: [],
        trips: 0,
      }),
    );
    expect(r.success).toBe(false);
    expect(new Set(r.error!.issues.map((i) => i.path.join('.')))).toEqual(
      new Set(['applicantPhone', 'plate', 'applicantIdNumber', 'items', 'trips']),
    );
  });
});

describe('slip state', () => {
  const slip = { status: 'issued' as const, validUntil: midnight(29) };
  it('follows the gate records, then the clock', () => {
    expect(slipState(slip, [], NOW)).toBe('issued');
    expect(slipState(slip, [{ outcome: 'refuse' }], NOW)).toBe('refused');
    expect(slipState(slip, [{ outcome: 'refuse' }, { outcome: 'pass' }], NOW)).toBe('used');
    expect(slipState(slip, [{ outcome: 'partial' }], NOW)).toBe('partly_used');
    expect(slipState(slip, [], midnight(29))).toBe('expired');
    expect(slipState({ ...slip, status: 'revoked' }, [{ outcome: 'pass' }], NOW)).toBe('revoked');
  });
});
