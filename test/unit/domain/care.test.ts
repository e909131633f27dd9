import { describe, expect, it } from 'vitest';
import {
  careResidentInputSchema,
  inReminderWindow,
  outingState,
  reminderWindow,
  type KnownOuting,
} from '../../../src/domain/care';

const H = 3600_000;
const DAY = 24 * H;
const T0 = Date.UTC(2026, 4, 1, 8);

const known = (lastOuting: KnownOuting | null, lastSeenAt: number | null = null) => ({
  lastOuting,
  lastSeenAt,
  since: T0 - 30 * DAY,
});
const out = (outingId: string, at: number, back = 2 * H) => ({
  kind: 'out' as const,
  outingId,
  at,
  expectedBack: at + back,
  takenBy: '女儿',
  note: '',
});

describe('the outing state of a vulnerable resident', () => {
  it('is overdue once the expected return has passed, and closed by a back-in at this gate', () => {
    const local = [out('A', T0)];
    expect(outingState(known(null), local, 2, T0 + H)).toMatchObject({
      open: { outingId: 'A' },
      overdue: false,
    });
    expect(outingState(known(null), local, 2, T0 + 2 * H + 1)).toMatchObject({ overdue: true });
    const back = [...local, { kind: 'back' as const, outingId: 'A', at: T0 + 3 * H }];
    expect(outingState(known(null), back, 2, T0 + 4 * H)).toMatchObject({
      open: null,
      overdue: false,
      lastSeenAt: T0 + 3 * H,
    });
  });

  it('takes an outing recorded at another gate from the office, and its return too', () => {
    const away: KnownOuting = {
      outingId: 'B',
      outAt: T0,
      expectedBack: T0 + H,
      takenBy: '',
      note: '',
      backAt: null,
    };
    expect(outingState(known(away, T0), [], 2, T0 + 2 * H)).toMatchObject({
      open: { outingId: 'B' },
      overdue: true,
    });
    // Returned at this gate before the office heard of it.
    const local = [{ kind: 'back' as const, outingId: 'B', at: T0 + 30 * 60_000 }];
    expect(outingState(known(away, T0), local, 2, T0 + 2 * H).open).toBeNull();
    // Returned at the other gate.
    expect(
      outingState(known({ ...away, backAt: T0 + H }, T0 + H), [], 2, T0 + 2 * H).open,
    ).toBeNull();
  });

  it('a newer outing here wins over an older one the office knows', () => {
    const old: KnownOuting = {
      outingId: 'B',
      outAt: T0 - DAY,
      expectedBack: T0 - DAY + H,
      takenBy: '',
      note: '',
      backAt: T0 - DAY + H,
    };
    expect(outingState(known(old, T0 - DAY + H), [out('C', T0)], 2, T0 + H).open?.outingId).toBe(
      'C',
    );
  });

  it('is "not seen" after N days without a sighting, counted from the consent when never seen, and never while on an outing', () => {
    expect(outingState(known(null, T0), [], 2, T0 + 2 * DAY - 1).notSeen).toBe(false);
    expect(outingState(known(null, T0), [], 2, T0 + 2 * DAY + 1).notSeen).toBe(true);
    expect(outingState(known(null), [], 3, T0 - 26 * DAY).notSeen).toBe(true);
    expect(outingState(known(null), [out('D', T0, 5 * DAY)], 2, T0 + 3 * DAY)).toMatchObject({
      notSeen: false,
      overdue: false,
    });
  });
});

describe('the delivery reminder', () => {
  it('runs from a week before the due date to a week after, across month ends', () => {
    expect(reminderWindow('2026-03-03')).toEqual({ from: '2026-02-24', until: '2026-03-10' });
    const w = reminderWindow('2026-06-15');
    expect(inReminderWindow(w, '2026-06-07')).toBe(false);
    expect(inReminderWindow(w, '2026-06-08')).toBe(true);
    expect(inReminderWindow(w, '2026-06-22')).toBe(true);
    expect(inReminderWindow(w, '2026-06-23')).toBe(false);
    expect(inReminderWindow(null, '2026-06-15')).toBe(false);
  });
});

describe('the outing record input', () => {
  it('needs the consent and who gave it, and a real due date', () => {
    const good = {
      householdId: 'h1',
      label: '王奶奶',
      consentBy: 'resident',
      consentNote: '本人签字',
    };
    expect(careResidentInputSchema.safeParse(good).success).toBe(true);
    const { consentBy: _c, ...noConsent } = good;
    expect(careResidentInputSchema.safeParse(noConsent).error?.issues[0]?.path).toEqual([
      'consentBy',
    ]);
    expect(
      careResidentInputSchema.safeParse({ ...good, dueDate: '2026-02-30' }).error?.issues[0]?.path,
    ).toEqual(['dueDate']);
  });
});
