import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cardIssueSchema,
  cardRulesOf,
  cardsToSuspend,
  cardState,
  defaultCardDates,
  lastDayOf,
  validUntilForLastDay,
  type CardIssueContext,
} from '../../../src/domain/card';
import { decodeBody, encodeBody } from '../../../src/domain/credential/body';
import {
  DEFAULT_CARD_VALIDITY_RULES,
  proposeRenewal,
  validateRenewal,
} from '../../../src/domain/rules/card-validity';
import { isWithinWindow } from '../../../src/domain/rules/time-window';
import { ID_NUMBERS, residentId } from '../../support/cards';

const SH = 'Asia/Shanghai';
/** Shanghai wall time (UTC+8). */
const sh = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) =>
  Date.UTC(y, mo - 1, d, h, mi, s) / 1000 - 8 * 3600;
const DAY = 86_400;

const ctx = (now = sh(2026, 11, 28, 10, 23), notAcrossYearEnd = false): CardIssueContext => ({
  now,
  timeZone: SH,
  rules: { ...DEFAULT_CARD_VALIDITY_RULES, notAcrossYearEnd },
});

const input = (over: Record<string, unknown> = {}) => ({
  holderName: ' 王秀英 ',
  role: 'hourly',
  idType: 'resident_card',
  idNumber: ID_NUMBERS.a,
  phone: '',
  householdIds: ['h1'],
  window: { weekdays: 0x1f, startQuarter: 32, endQuarter: 72 },
  ...defaultCardDates(ctx()),
  photo: 'AAAA',
  ...over,
});

const problems = (r: ReturnType<ReturnType<typeof cardIssueSchema>['safeParse']>) =>
  r.success
    ? []
    : r.error.issues.map((i) => [
        i.path.join('.'),
        (i as { params?: { reason?: string } }).params?.reason ?? i.code,
      ]);

describe('the card form and the issuing route share one schema', () => {
  it('accepts a good card, normalising the ID number and the phone', () => {
    const r = cardIssueSchema(ctx()).safeParse(
      input({ idNumber: ` ${ID_NUMBERS.a.toLowerCase()}`, phone: '+86 138-1234-5678' }),
    );
    expect(r.success).toBe(true);
    if (!r.success) return;
    expect(r.data).toMatchObject({
      holderName: '王秀英',
      idNumber: ID_NUMBERS.a,
      holderKey: ID_NUMBERS.a,
      phone: '13812345678',
      roleLabel: '',
      depositNote: '',
    });
  });

  it('reports every problem at once, shape and rules together, so a form can show them all', () => {
    const { validFrom } = defaultCardDates(ctx());
    const r = cardIssueSchema(ctx()).safeParse(
      input({
        holderName: '',
        idNumber: '110105194912310021',
        phone: '0755-1234567',
        householdIds: [],
        validUntil: validFrom + 120 * DAY,
      }),
    );
    expect(problems(r).sort()).toEqual(
      [
        ['holderName', 'too_small'],
        ['householdIds', 'too_small'],
        ['idNumber', 'checksum'],
        ['phone', 'prefix'],
        ['validUntil', 'exceeds_max_months'],
      ].sort(),
    );
  });

  it('holds a card to three calendar months, not to 90 days', () => {
    // From 30 November the limit is 28 February: 90 days would be 28 February too, 91 is over.
    const c = ctx(sh(2026, 11, 30, 9));
    const from = sh(2026, 11, 30);
    const ok = cardIssueSchema(c).safeParse(
      input({ validFrom: from, validUntil: sh(2027, 2, 28) }),
    );
    expect(ok.success).toBe(true);
    const over = cardIssueSchema(c).safeParse(
      input({ validFrom: from, validUntil: sh(2027, 2, 28) + 1 }),
    );
    expect(problems(over)).toEqual([['validUntil', 'exceeds_max_months']]);
    // From 31 January three months end on 30 April, earlier than 90 days (1 May).
    const jan = ctx(sh(2027, 1, 31, 9));
    expect(defaultCardDates(jan)).toEqual({
      validFrom: sh(2027, 1, 31),
      validUntil: sh(2027, 4, 30),
    });
  });

  it('keeps cards within the year when the community says so, and the form can pick 31 December', () => {
    const c = ctx(sh(2026, 11, 28, 10), true);
    const { validFrom, validUntil } = defaultCardDates(c);
    expect(validUntil).toBe(sh(2026, 12, 31, 23, 59, 59));
    expect(lastDayOf(validUntil, SH)).toEqual({ year: 2026, month: 12, day: 31 });
    const picked = validUntilForLastDay(validFrom, { year: 2026, month: 12, day: 31 }, c);
    expect(picked).toBe(validUntil);
    expect(cardIssueSchema(c).safeParse(input({ validFrom, validUntil: picked })).success).toBe(
      true,
    );
    const january = validUntilForLastDay(validFrom, { year: 2027, month: 1, day: 1 }, c);
    expect(
      problems(cardIssueSchema(c).safeParse(input({ validFrom, validUntil: january }))),
    ).toEqual([['validUntil', 'crosses_year_end']]);
    // Without the rule, 31 December ends at midnight.
    expect(validUntilForLastDay(validFrom, { year: 2026, month: 12, day: 31 }, ctx())).toBe(
      sh(2027, 1, 1),
    );
    expect(cardRulesOf({ cardsEndWithYear: true }).notAcrossYearEnd).toBe(true);
  });

  it('checks the ID number against today: a birth date in the future is refused', () => {
    const bornNewYear = residentId('11010520270101123');
    const r = cardIssueSchema(ctx()).safeParse(input({ idNumber: bornNewYear }));
    expect(problems(r)).toContainEqual(['idNumber', 'birth_date']);
  });
});

describe('a card window across midnight, as the gate judges it from the signed body', () => {
  it('admits a Monday-to-Friday night worker on the night the window started, not after Friday night', () => {
    const window = { weekdays: 0x1f, startQuarter: 88, endQuarter: 24 }; // 22:00–06:00
    const body = decodeBody(
      encodeBody({
        type: 'card',
        communityId: 1,
        keyId: new Uint8Array(4),
        serial: 7,
        ...{ notBefore: sh(2026, 11, 30), expires: sh(2027, 2, 28) },
        window,
      }),
    );
    if (body.type !== 'card') throw new Error('not a card');
    const at = (d: number, h: number) => isWithinWindow(body.window, sh(2026, 11, d, h), SH);
    // 30 November 2026 is a Monday.
    expect(at(30, 23)).toBe(true); // Monday night
    expect(at(30, 5)).toBe(false); // Sunday night's tail
    expect(isWithinWindow(body.window, sh(2026, 12, 5, 5), SH)).toBe(true); // Friday night's tail
    expect(isWithinWindow(body.window, sh(2026, 12, 5, 23), SH)).toBe(false); // Saturday night
    expect(at(30, 12)).toBe(false); // midday
  });
});

describe('renewal', () => {
  it('never leaves two live cards: the old one stops exactly when the new one starts (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: sh(2026, 1, 1), max: sh(2027, 12, 1) }),
        fc.integer({ min: 30, max: 89 }),
        fc.integer({ min: 0, max: 10 * DAY }),
        (from, days, beforeEnd) => {
          const old = { validFrom: from, validUntil: from + days * DAY };
          const now = old.validUntil - Math.min(beforeEnd, 7 * DAY);
          const c = ctx(now);
          const proposal = proposeRenewal(old, c);
          const check = validateRenewal(old, proposal, c);
          if (!check.ok) return false;
          const renewed = { validFrom: proposal.validFrom, validUntil: proposal.validUntil };
          const stopped = { validFrom: old.validFrom, validUntil: check.oldStopsAt };
          const live = (card: { validFrom: number; validUntil: number }, t: number) =>
            t >= card.validFrom && t < card.validUntil;
          // No instant has both cards live, and no instant between them has neither.
          for (const t of [check.oldStopsAt - 1, check.oldStopsAt, check.oldStopsAt + 1]) {
            if (live(stopped, t) && live(renewed, t)) return false;
            if (
              t >= old.validFrom &&
              t < renewed.validUntil &&
              !live(stopped, t) &&
              !live(renewed, t)
            )
              return false;
          }
          return cardState({ status: 'active', ...renewed }, now) === 'valid';
        },
      ),
    );
  });
});

describe('moved-out suspension', () => {
  const cards = [
    { serial: 1, status: 'active' as const, householdIds: ['a'] },
    { serial: 2, status: 'active' as const, householdIds: ['b', 'a'] },
    { serial: 3, status: 'active' as const, householdIds: ['c'] },
    { serial: 4, status: 'revoked' as const, householdIds: ['a'] },
    { serial: 5, status: 'suspended' as const, householdIds: ['a'] },
  ];

  it('suspends every active card that lists a household that moved out, and no other', () => {
    expect(cardsToSuspend(cards, new Set(['a']))).toEqual([1, 2]);
    expect(cardsToSuspend(cards, new Set(['c', 'x']))).toEqual([3]);
    expect(cardsToSuspend(cards, new Set())).toEqual([]);
  });
});

describe('cardState', () => {
  it('tells not yet valid, valid and expired apart for an active card, and passes other statuses', () => {
    const card = { status: 'active' as const, validFrom: 100, validUntil: 200 };
    expect(cardState(card, 99)).toBe('not_yet_valid');
    expect(cardState(card, 100)).toBe('valid');
    expect(cardState(card, 200)).toBe('expired');
    expect(cardState({ ...card, status: 'suspended' }, 150)).toBe('suspended');
  });
});
