/**
 * The temporary access card (临时《出入卡》, procedure 4.4.2) as the office issues it: the input
 * schemas the office console's form and the server's routes share, so a form that validates as
 * the clerk types refuses exactly what the server refuses, and the lifecycle rules that are not
 * about dates (those are rules/card-validity.ts): who is suspended when an employer moves out,
 * and what a card is at a given moment.
 *
 * Two layers of schema: `cardFieldsSchema` checks the shape (it is the route's declared body),
 * `cardIssueSchema(ctx)` adds what needs the clock and the community: the ID number's checksum
 * and birth date, the mobile number, and the validity rules. Custom issues carry a stable
 * `params.reason` (and `params.limit` for a crossed date bound) so the form can word them.
 */
import { z } from 'zod';
import { fromBase64Url } from './bytes';
import {
  DEFAULT_CARD_VALIDITY_RULES,
  defaultValidUntil,
  validateCardValidity,
  yearEndOf,
  type CardValidityRules,
} from './rules/card-validity';
import { addDays, type CivilDate } from './rules/civil-date';
import {
  ID_DOCUMENT_TYPES,
  isIdDocumentType,
  validateIdDocument,
} from './rules/identity-documents';
import { validateMobile } from './rules/phone';
import { epochFromLocal, localDate, startOfLocalDay } from './rules/time-window';
import { MAX_PHOTO_BYTES } from './photo';
import { CARD_ROLES, type CardStatus } from './sync/tables';
import { lineText, noteText } from './text';
import type { CommunitySettings } from './community';

const seconds = z.number().int().min(0).max(0xffffffff);

export const cardWindowSchema = z
  .object({
    /** Bit 0 = Monday … bit 6 = Sunday. */
    weekdays: z.number().int().min(1, 'choose at least one day').max(0x7f),
    /** Quarter-hours since local midnight; end before start crosses midnight; equal: all day. */
    startQuarter: z.number().int().min(0).max(96),
    endQuarter: z.number().int().min(0).max(96),
  })
  .strict();

const householdIds = z
  .array(z.string().min(1).max(64))
  .min(1, 'choose the employer household')
  .max(10)
  .refine((ids) => new Set(ids).size === ids.length, 'a household is listed twice');

/** A base64url JPEG, at most MAX_PHOTO_BYTES once decoded (checked in full by the server). */
export const photoFieldSchema = z
  .string()
  .min(1, 'take or upload the photo')
  .max(Math.ceil((MAX_PHOTO_BYTES * 4) / 3))
  .regex(/^[A-Za-z0-9_-]+$/, 'must be base64url');

export const cardFieldsSchema = z
  .object({
    holderName: lineText(40).pipe(z.string().min(1, 'required')),
    role: z.enum(CARD_ROLES),
    /** The community's own word for the role (settings), or the clerk's for `other`. */
    roleLabel: lineText(20).default(''),
    idType: z.enum(ID_DOCUMENT_TYPES),
    idNumber: z.string().max(64),
    /** A mainland mobile number, or empty. */
    phone: z.string().max(32).default(''),
    householdIds,
    window: cardWindowSchema,
    /** Seconds since the epoch, as in the GP1 body; validUntil is the first second after. */
    validFrom: seconds,
    validUntil: seconds,
    depositNote: noteText(200).default(''),
    photo: photoFieldSchema,
  })
  .strict();
export type CardFields = z.input<typeof cardFieldsSchema>;

export interface CardIssueContext {
  /** Seconds since the epoch. */
  now: number;
  timeZone: string;
  rules: CardValidityRules;
}

/** The card rules of a community: the defaults with its year-end setting. */
export function cardRulesOf(
  settings: Pick<CommunitySettings, 'cardsEndWithYear'>,
): CardValidityRules {
  return { ...DEFAULT_CARD_VALIDITY_RULES, notAcrossYearEnd: settings.cardsEndWithYear };
}

type IssueAdder = (issue: {
  code: 'custom';
  path: (string | number)[];
  message: string;
  params: Record<string, unknown>;
}) => void;

const VALIDITY_MESSAGES: Record<string, string> = {
  not_a_time: 'not a time',
  too_far_in_past: 'starts too far in the past',
  not_after_from: 'must be after the start',
  already_expired: 'already over',
  exceeds_max_months: 'a card is valid for at most three months',
  crosses_year_end: 'cards of this community end with the year',
  renewal_too_early: 'renewal is not open yet',
  renewal_before_old_start: 'starts before the old card',
  renewal_after_old_expiry: 'starts after the old card expired',
};

/** Adds the validity rules' errors as zod issues at their fields. */
export function addValidityIssues(
  errors: ReadonlyArray<{ field: string; reason: string; limit?: number }>,
  add: IssueAdder,
): void {
  for (const e of errors) {
    add({
      code: 'custom',
      path: [e.field],
      message: VALIDITY_MESSAGES[e.reason] ?? e.reason,
      params: e.limit === undefined ? { reason: e.reason } : { reason: e.reason, limit: e.limit },
    });
  }
}

/** The ID number (checksum and birth date for 18-digit numbers) and the phone, checked. */
function checkPerson(
  v: { idType: (typeof ID_DOCUMENT_TYPES)[number]; idNumber: string; phone: string },
  today: CivilDate,
  add: IssueAdder,
): void {
  const id = validateIdDocument(v.idType, v.idNumber, today);
  if (!id.ok) {
    add({
      code: 'custom',
      path: ['idNumber'],
      message: `not a valid number (${id.reason})`,
      params: { reason: id.reason },
    });
  }
  if (v.phone.trim() !== '') {
    const phone = validateMobile(v.phone);
    if (!phone.ok) {
      add({
        code: 'custom',
        path: ['phone'],
        message: `not a mobile number (${phone.reason})`,
        params: { reason: phone.reason },
      });
    }
  }
}

/**
 * The full check of a new card, for the form (with the browser's clock) and the server (with its
 * own). The output carries the ID number and phone normalised, and `holderKey`, the part of the
 * ID number that stays the same across re-issues (for finding a holder's other cards).
 */
export function cardIssueSchema(ctx: CardIssueContext) {
  const today = localDate(ctx.now, ctx.timeZone);
  return cardFieldsSchema
    .superRefine(
      (v, c) => {
        // Runs even when other fields failed (so a form shows every problem at once): each check
        // looks only at fields that have the right shape.
        const add: IssueAdder = (issue) => c.addIssue(issue);
        const raw = v as Partial<Record<keyof typeof v, unknown>>;
        if (isIdDocumentType(raw.idType) && typeof raw.idNumber === 'string') {
          const phone = typeof raw.phone === 'string' ? raw.phone : '';
          checkPerson({ idType: raw.idType, idNumber: raw.idNumber, phone }, today, add);
        }
        const from = seconds.safeParse(raw.validFrom);
        const until = seconds.safeParse(raw.validUntil);
        if (from.success && until.success) {
          const validity = validateCardValidity(
            { validFrom: from.data, validUntil: until.data },
            ctx,
          );
          if (!validity.ok) addValidityIssues(validity.errors, add);
        }
      },
      { when: () => true },
    )
    .transform((v) => {
      const id = validateIdDocument(v.idType, v.idNumber, today);
      const phone = v.phone.trim() === '' ? null : validateMobile(v.phone);
      return {
        ...v,
        idNumber: id.ok ? id.value.number : v.idNumber,
        holderKey: id.ok ? id.value.holderKey : v.idNumber,
        phone: phone?.ok ? phone.value : '',
      };
    });
}
export type CardIssueInput = z.output<ReturnType<typeof cardIssueSchema>>;

/** Renewal: a new code from now (the old card stops then); the clerk may only shorten it. */
export const cardRenewSchema = z
  .object({
    /** The new card's end; default: the rules' default validity from its start. */
    validUntil: seconds.optional(),
  })
  .strict();

/** What the office may give as the reason of a revocation (the gate's row has a few more). */
export const REVOKE_REASONS = ['lost', 'left_job', 'misuse', 'other'] as const;
export type RevokeReason = (typeof REVOKE_REASONS)[number];

export const cardRevokeSchema = z
  .object({ reason: z.enum(REVOKE_REASONS), note: noteText(200).default('') })
  .strict();

export const cardReportLostSchema = z
  .object({
    note: noteText(200).default(''),
    /** Issue a replacement at once: a new code, the same holder, photo and end of validity. */
    replace: z.boolean().default(true),
  })
  .strict();

export const cardReinstateSchema = z
  .object({
    /** The employer households the card keeps; default: those it has (none may have moved out). */
    householdIds: householdIds.optional(),
    note: noteText(200).default(''),
  })
  .strict();

export function decodePhoto(field: string): Uint8Array {
  return fromBase64Url(field);
}

/**
 * Moved-out rule: when an employer household moves out, the worker's card no longer says who
 * they work for, so every active card that lists it is suspended for the office to review
 * (reinstate without that household, or revoke). Returns the serials to suspend.
 */
export function cardsToSuspend(
  cards: ReadonlyArray<{ serial: number; status: CardStatus; householdIds: readonly string[] }>,
  movedOut: ReadonlySet<string>,
): number[] {
  return cards
    .filter((c) => c.status === 'active' && c.householdIds.some((h) => movedOut.has(h)))
    .map((c) => c.serial);
}

/** What a card is at a moment: its status, or for an active card whether it has started or ended. */
export type CardState = Exclude<CardStatus, 'active'> | 'valid' | 'not_yet_valid' | 'expired';

export function cardState(
  card: { status: CardStatus; validFrom: number; validUntil: number },
  now: number,
): CardState {
  if (card.status !== 'active') return card.status;
  if (now < card.validFrom) return 'not_yet_valid';
  if (now >= card.validUntil) return 'expired';
  return 'valid';
}

/**
 * Dates as the office writes them on a card: from the first day to the last day, both included.
 * A card valid through day D ends at 00:00 of the next day; under the year-end rule a card through
 * 31 December ends at the rule's own bound, 23:59:59 (rules/card-validity.ts).
 */
export function validUntilForLastDay(
  validFrom: number,
  lastDay: CivilDate,
  ctx: Omit<CardIssueContext, 'now'>,
): number {
  const next = epochFromLocal(addDays(lastDay, 1), 0, ctx.timeZone);
  if (!ctx.rules.notAcrossYearEnd) return next;
  const yearEnd = yearEndOf(validFrom, ctx.timeZone);
  return next === yearEnd + 1 ? yearEnd : next;
}

/** The last day a card is valid on (the local date of its last second). */
export function lastDayOf(validUntil: number, timeZone: string): CivilDate {
  return localDate(validUntil - 1, timeZone);
}

/** The form's starting point: from today's 00:00 for the default validity. */
export function defaultCardDates(ctx: CardIssueContext): { validFrom: number; validUntil: number } {
  const validFrom = startOfLocalDay(ctx.now, ctx.timeZone);
  return { validFrom, validUntil: defaultValidUntil(validFrom, ctx) };
}
