/**
 * Issuing rules for the temporary access card (临时《出入卡》). Procedure 4.4.2: "临时《出入卡》
 * 有效期最长不超过三个月" (valid for at most three months). Times are seconds since the Unix epoch,
 * as in the GP1 body; calendar rules are applied in the community's time zone.
 *
 * Decisions, stated precisely:
 * - At most three calendar months: validUntil ≤ the instant that shows, on the community's wall
 *   clock, the same time of day as validFrom on the same day of the month three months later,
 *   clamped to the end of that month. From 2024-11-30 10:00 the limit is 2025-02-28 10:00; from
 *   2023-11-30 10:00 it is 2024-02-29 10:00; from 2024-01-31 it is 2024-04-30. (A calendar rule,
 *   not "90 days": three months are 89 to 92 days.)
 * - The default validity is 90 days (same wall-clock time 90 local days later), cut to the
 *   three-month limit where three months are shorter (from 31 January: 30 April, not 1 May) and
 *   to the year end when that setting is on.
 * - Optional community setting `notAcrossYearEnd`: validUntil ≤ 31 December 23:59:59 local time
 *   of validFrom's year.
 * - validFrom < validUntil, strictly: the GP1 body requires expires > notBefore (credential/body.ts),
 *   and a card valid for no time is a mistake.
 * - validUntil must be in the future (after `now`): issuing an expired card is a mistake.
 * - validFrom may lie in the past by at most `maxPastDays` local calendar days: validFrom ≥
 *   00:00 local of (today − maxPastDays). With 0, any time today is allowed (a card issued at
 *   10:23 "from today" usually starts at 00:00). Future starts are allowed (a card prepared ahead).
 * - Both times must fit the GP1 body: integers from 0 to 2^32 − 1.
 * - Renewal (续期): a renewal is a new card whose validFrom is the moment the old card stops; the
 *   old card's validity is cut to that moment (`oldStopsAt`), so a person never holds two live
 *   cards. That moment lies within the old card's validity [validFrom, validUntil]: at the
 *   latest the old card's own expiry (seamless continuation), at the earliest its start. The
 *   proposal is "now" (clamped into that range): the old card stops when the new one is handed
 *   over, and the three months of the new card count from then. A renewal after the old card
 *   expired therefore continues from its expiry, which the maxPastDays rule bounds; beyond that,
 *   issue a new card instead.
 * - When a renewal may be made: a community setting, `renewalOpensDaysBeforeExpiry`: from that
 *   many local days before the old card's expiry (default 7), or null for any time. The window
 *   is about when the renewal is made (`now`), not about its start.
 * - Errors name the field ('validFrom' or 'validUntil') with a stable reason code and, where
 *   there is one, the bound that was crossed (`limit`, epoch seconds) for the message; at most one
 *   error per field, the most useful one.
 */
import { addDays, addMonthsClamped } from './civil-date';
import { addLocalDays, epochFromLocal, localDate, localParts } from './time-window';

/** Procedure 4.4.2: "最长不超过三个月". */
export const MAX_CARD_MONTHS = 3;
export const DEFAULT_CARD_DAYS = 90;
const U32_MAX = 0xffffffff;

export interface CardValidityRules {
  /** Cards never run into the next year: validUntil ≤ 31 Dec 23:59:59 local of validFrom's year. */
  notAcrossYearEnd: boolean;
  /** How many local days before today validFrom may lie (0: from today's 00:00). */
  maxPastDays: number;
  /** Renewals may be made from this many local days before the old card's expiry; null: any time. */
  renewalOpensDaysBeforeExpiry: number | null;
}

export const DEFAULT_CARD_VALIDITY_RULES: CardValidityRules = {
  notAcrossYearEnd: false,
  maxPastDays: 7,
  renewalOpensDaysBeforeExpiry: 7,
};

export interface CardValidity {
  validFrom: number;
  validUntil: number;
}

export interface CardRuleContext {
  /** The current time (epoch seconds). */
  now: number;
  /** The community's IANA time zone, e.g. 'Asia/Shanghai'. */
  timeZone: string;
  rules?: CardValidityRules;
}

export type CardValidityField = 'validFrom' | 'validUntil';

export type CardValidityReason =
  /** Not an integer from 0 to 2^32 − 1 (either field). */
  | 'not_a_time'
  /** validFrom earlier than 00:00 of today − maxPastDays. */
  | 'too_far_in_past'
  /** validUntil not after validFrom. */
  | 'not_after_from'
  /** validUntil not after now. */
  | 'already_expired'
  /** validUntil beyond three calendar months from validFrom. */
  | 'exceeds_max_months'
  /** validUntil in the next year while the community forbids it. */
  | 'crosses_year_end'
  /** Renewal: made earlier than the renewal window opens before the old card's expiry. */
  | 'renewal_too_early'
  /** Renewal: the new card would start before the old one did. */
  | 'renewal_before_old_start'
  /** Renewal: the new card would start after the old one expired (a gap: issue a new card). */
  | 'renewal_after_old_expiry';

export interface CardValidityError {
  field: CardValidityField;
  reason: CardValidityReason;
  /** The bound that was crossed (epoch seconds), for the message; absent for not_a_time. */
  limit?: number;
}

export type CardValidityCheck = { ok: true } | { ok: false; errors: CardValidityError[] };

export type RenewalCheck =
  { ok: true; oldStopsAt: number } | { ok: false; errors: CardValidityError[] };

export interface RenewalProposal extends CardValidity {
  /** The old card's new stop: the renewal's validFrom. */
  oldStopsAt: number;
}

function rulesOf(ctx: { rules?: CardValidityRules }): CardValidityRules {
  const rules = ctx.rules ?? DEFAULT_CARD_VALIDITY_RULES;
  if (!Number.isInteger(rules.maxPastDays) || rules.maxPastDays < 0) {
    throw new RangeError('maxPastDays must be a non-negative integer');
  }
  const opens = rules.renewalOpensDaysBeforeExpiry;
  if (opens !== null && (!Number.isInteger(opens) || opens < 0)) {
    throw new RangeError('renewalOpensDaysBeforeExpiry must be null or a non-negative integer');
  }
  return rules;
}

function isTime(t: number): boolean {
  return Number.isInteger(t) && t >= 0 && t <= U32_MAX;
}

function checkTime(name: string, t: number): void {
  if (!isTime(t)) throw new RangeError(`${name} must be an integer from 0 to ${U32_MAX}`);
}

/** The three-calendar-month limit for a card starting at validFrom (see the module comment). */
export function maxValidUntilByMonths(validFrom: number, timeZone: string): number {
  const p = localParts(validFrom, timeZone);
  return epochFromLocal(addMonthsClamped(p, MAX_CARD_MONTHS), p.minutes, timeZone, p.seconds);
}

/** 31 December 23:59:59 local time of validFrom's year. */
export function yearEndOf(validFrom: number, timeZone: string): number {
  const { year } = localDate(validFrom, timeZone);
  return epochFromLocal({ year: year + 1, month: 1, day: 1 }, 0, timeZone) - 1;
}

/** The latest validUntil the rules allow for a card starting at validFrom. */
export function latestValidUntil(validFrom: number, ctx: Omit<CardRuleContext, 'now'>): number {
  const byMonths = maxValidUntilByMonths(validFrom, ctx.timeZone);
  const rules = rulesOf(ctx);
  return rules.notAcrossYearEnd ? Math.min(byMonths, yearEndOf(validFrom, ctx.timeZone)) : byMonths;
}

/** The earliest validFrom the rules allow now: 00:00 local of (today − maxPastDays). */
export function earliestValidFrom(ctx: CardRuleContext): number {
  const rules = rulesOf(ctx);
  const today = localDate(ctx.now, ctx.timeZone);
  return epochFromLocal(addDays(today, -rules.maxPastDays), 0, ctx.timeZone);
}

/**
 * The default validUntil: 90 local days after validFrom, cut to the rules' latest. (With
 * notAcrossYearEnd and a start at 31 Dec 23:59:59 that is validFrom itself, which validation
 * then refuses as not_after_from: there is no valid card to propose.)
 */
export function defaultValidUntil(validFrom: number, ctx: Omit<CardRuleContext, 'now'>): number {
  checkTime('validFrom', validFrom);
  const ninetyDays = addLocalDays(validFrom, DEFAULT_CARD_DAYS, ctx.timeZone);
  return Math.min(ninetyDays, latestValidUntil(validFrom, ctx));
}

/** Check a card's validity against the issuing rules. */
export function validateCardValidity(
  validity: CardValidity,
  ctx: CardRuleContext,
): CardValidityCheck {
  const rules = rulesOf(ctx);
  checkTime('now', ctx.now);
  const { validFrom, validUntil } = validity;
  const errors: CardValidityError[] = [];
  if (!isTime(validFrom)) errors.push({ field: 'validFrom', reason: 'not_a_time' });
  if (!isTime(validUntil)) errors.push({ field: 'validUntil', reason: 'not_a_time' });
  if (errors.length > 0) return { ok: false, errors };

  const earliest = earliestValidFrom(ctx);
  if (validFrom < earliest) {
    errors.push({ field: 'validFrom', reason: 'too_far_in_past', limit: earliest });
  }

  const byMonths = maxValidUntilByMonths(validFrom, ctx.timeZone);
  const yearEnd = rules.notAcrossYearEnd ? yearEndOf(validFrom, ctx.timeZone) : Infinity;
  if (validUntil <= validFrom) {
    errors.push({ field: 'validUntil', reason: 'not_after_from', limit: validFrom });
  } else if (validUntil <= ctx.now) {
    errors.push({ field: 'validUntil', reason: 'already_expired', limit: ctx.now });
  } else if (validUntil > Math.min(byMonths, yearEnd)) {
    // Name the tighter bound: meeting it meets both.
    errors.push(
      yearEnd < byMonths
        ? { field: 'validUntil', reason: 'crosses_year_end', limit: yearEnd }
        : { field: 'validUntil', reason: 'exceeds_max_months', limit: byMonths },
    );
  }
  return errors.length === 0 ? { ok: true } : { ok: false, errors };
}

function checkOld(old: CardValidity): void {
  checkTime('old.validFrom', old.validFrom);
  checkTime('old.validUntil', old.validUntil);
  if (old.validUntil <= old.validFrom) throw new RangeError('old card: validUntil ≤ validFrom');
}

/** When a renewal of `old` may first be made; null when any time. */
export function renewalOpensAt(
  old: CardValidity,
  ctx: Omit<CardRuleContext, 'now'>,
): number | null {
  checkOld(old);
  const days = rulesOf(ctx).renewalOpensDaysBeforeExpiry;
  return days === null ? null : addLocalDays(old.validUntil, -days, ctx.timeZone);
}

/**
 * The default renewal of `old` made now: it starts, and the old card stops, now (clamped into
 * the old card's validity), and runs for the default validity.
 */
export function proposeRenewal(old: CardValidity, ctx: CardRuleContext): RenewalProposal {
  checkOld(old);
  checkTime('now', ctx.now);
  const start = Math.min(Math.max(ctx.now, old.validFrom), old.validUntil);
  return { validFrom: start, validUntil: defaultValidUntil(start, ctx), oldStopsAt: start };
}

/**
 * Check a renewal of `old`: the ordinary issuing rules for the new card, plus the renewal rules.
 * On success, `oldStopsAt` is the instant to which the old card's validity is cut.
 */
export function validateRenewal(
  old: CardValidity,
  renewal: CardValidity,
  ctx: CardRuleContext,
): RenewalCheck {
  checkOld(old);
  const base = validateCardValidity(renewal, ctx);
  const errors = base.ok ? [] : [...base.errors];
  if (errors.some((e) => e.reason === 'not_a_time')) return { ok: false, errors };

  const opensAt = renewalOpensAt(old, ctx);
  let renewalError: CardValidityError | null = null;
  if (opensAt !== null && ctx.now < opensAt) {
    renewalError = { field: 'validFrom', reason: 'renewal_too_early', limit: opensAt };
  } else if (renewal.validFrom < old.validFrom) {
    renewalError = { field: 'validFrom', reason: 'renewal_before_old_start', limit: old.validFrom };
  } else if (renewal.validFrom > old.validUntil) {
    renewalError = {
      field: 'validFrom',
      reason: 'renewal_after_old_expiry',
      limit: old.validUntil,
    };
  }
  if (renewalError) {
    // One error per field: the renewal rule is the more specific message for validFrom.
    const rest = errors.filter((e) => e.field !== 'validFrom');
    return { ok: false, errors: [renewalError, ...rest] };
  }
  return errors.length === 0 ? { ok: true, oldStopsAt: renewal.validFrom } : { ok: false, errors };
}
