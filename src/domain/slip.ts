/**
 * The material release slip (《物资搬运放行条》, procedure 4.3.1.4) as the office issues it: the
 * input schema the office form and the server share, the validity (a day, or up to three days,
 * from 00:00 of the first day), and the issuing rules, each with a stable code so the form can
 * explain the one that blocks:
 *
 * - a tenant needs the owner's consent, recorded one of three ways (signed in person; confirmed by
 *   phone by a named clerk; confirmed in the main system through the integration API);
 * - a household the main system flags in arrears needs a supervisor's override, with a reason;
 * - a household under watch (key household, procedure 4.1.2) needs a supervisor's sign-off;
 * - a household that has moved out gets no slip.
 *
 * The rules are a pure function of the request, the household's flags and who is asking; the
 * server applies it inside the issuing transaction, the form applies it as the clerk types.
 */
import { z } from 'zod';
import { ID_DOCUMENT_TYPES, validateIdDocument } from './rules/identity-documents';
import { addDays, compareCivilDates, type CivilDate } from './rules/civil-date';
import { validateMobile } from './rules/phone';
import { validatePlate } from './rules/plate';
import { epochFromLocal, localDate } from './rules/time-window';
import { lineText, noteText } from './text';

export const APPLICANT_ROLES = ['owner', 'tenant', 'shop'] as const;
export type ApplicantRole = (typeof APPLICANT_ROLES)[number];

export const CONSENT_WAYS = ['in_person', 'phone', 'main_system'] as const;
export type ConsentWay = (typeof CONSENT_WAYS)[number];

/** A slip is valid for its day, or for at most this many days from 00:00 of the first. */
export const MAX_SLIP_DAYS = 3;
/** How far ahead a slip may be issued (a move booked for next week), days. */
export const MAX_DAYS_AHEAD = 14;
export const MAX_SLIP_TRIPS = 10;
export const MAX_SLIP_ITEMS = 40;
export const MAX_ITEM_QUANTITY = 9999;

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');

export const slipItemSchema = z
  .object({
    name: lineText(40).pipe(z.string().min(1, 'required')),
    quantity: z.number().int().min(1).max(MAX_ITEM_QUANTITY),
    /** 件, 箱, 台, 套 … */
    unit: lineText(8).pipe(z.string().min(1, 'required')),
    note: lineText(60).default(''),
  })
  .strict();
export type SlipItem = z.output<typeof slipItemSchema>;

export const slipConsentSchema = z
  .object({
    way: z.enum(CONSENT_WAYS),
    /** The owner who consented (in person, or on the phone). */
    ownerName: lineText(40).default(''),
    /** The clerk who made the call (phone); required for that way. */
    confirmedBy: lineText(40).default(''),
    note: lineText(200).default(''),
  })
  .strict();

export const slipFieldsSchema = z
  .object({
    householdId: lineText(64).pipe(z.string().min(1, 'choose the household')),
    applicantName: lineText(40).pipe(z.string().min(1, 'required')),
    applicantRole: z.enum(APPLICANT_ROLES),
    applicantPhone: lineText(32),
    applicantIdType: z.enum(ID_DOCUMENT_TYPES),
    applicantIdNumber: lineText(64),
    items: z.array(slipItemSchema).min(1, 'list at least one item').max(MAX_SLIP_ITEMS),
    /** A mainland plate, or empty (goods carried by hand). */
    plate: lineText(16).default(''),
    carrierName: lineText(40).default(''),
    firstDay: isoDay,
    days: z.number().int().min(1).max(MAX_SLIP_DAYS).default(1),
    trips: z.number().int().min(1).max(MAX_SLIP_TRIPS).default(1),
    consent: slipConsentSchema.nullable().default(null),
    /** A supervisor's override of the arrears flag: why the goods may leave anyway. */
    arrearsOverride: z
      .object({ reason: noteText(200).pipe(z.string().min(1, 'required')) })
      .strict()
      .nullable()
      .default(null),
    /** A supervisor's sign-off for a household under watch. */
    watchSignOff: z
      .object({ note: noteText(200).default('') })
      .strict()
      .nullable()
      .default(null),
    /**
     * When only a supervisor's override or sign-off is missing: keep the slip for a supervisor to
     * approve (it gets its code then), instead of refusing it.
     */
    requestApproval: z.boolean().default(false),
  })
  .strict();
export type SlipFields = z.input<typeof slipFieldsSchema>;

export interface SlipIssueContext {
  /** Seconds since the epoch. */
  now: number;
  timeZone: string;
}

function parseDay(s: string): CivilDate | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } : null;
}

export type SlipValidityReason = 'not_a_date' | 'in_the_past' | 'too_far_ahead';

/**
 * From 00:00 of the first day to 00:00 of the day after the last (seconds, as in the GP1 body).
 * The first day is today or later, at most MAX_DAYS_AHEAD ahead.
 */
export function slipValidity(
  firstDay: string,
  days: number,
  ctx: SlipIssueContext,
): { ok: true; validFrom: number; validUntil: number } | { ok: false; reason: SlipValidityReason } {
  const first = parseDay(firstDay);
  if (!first) return { ok: false, reason: 'not_a_date' };
  const today = localDate(ctx.now, ctx.timeZone);
  if (compareCivilDates(first, today) < 0) return { ok: false, reason: 'in_the_past' };
  if (compareCivilDates(first, addDays(today, MAX_DAYS_AHEAD)) > 0)
    return { ok: false, reason: 'too_far_ahead' };
  let validFrom: number;
  try {
    validFrom = epochFromLocal(first, 0, ctx.timeZone);
  } catch {
    return { ok: false, reason: 'not_a_date' };
  }
  return { ok: true, validFrom, validUntil: epochFromLocal(addDays(first, days), 0, ctx.timeZone) };
}

/** The form's starting point: today, for one day. */
export function todayIso(ctx: SlipIssueContext): string {
  const d = localDate(ctx.now, ctx.timeZone);
  return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/**
 * The field checks that need the clock (validity), the ID number's checksum, the mobile number and
 * the plate. Issues carry `params.reason` so the form can word them.
 */
export function slipIssueSchema(ctx: SlipIssueContext) {
  const today = localDate(ctx.now, ctx.timeZone);
  return slipFieldsSchema
    .superRefine(
      (v, c) => {
        const raw = v as Partial<Record<keyof typeof v, unknown>>;
        const add = (path: string, reason: string, message: string) =>
          c.addIssue({ code: 'custom', path: [path], message, params: { reason } });
        if (
          typeof raw.applicantIdNumber === 'string' &&
          (ID_DOCUMENT_TYPES as readonly unknown[]).includes(raw.applicantIdType)
        ) {
          const id = validateIdDocument(v.applicantIdType, v.applicantIdNumber, today);
          if (!id.ok) add('applicantIdNumber', id.reason, `not a valid number (${id.reason})`);
        }
        if (typeof raw.applicantPhone === 'string') {
          const phone = validateMobile(raw.applicantPhone);
          if (!phone.ok) add('applicantPhone', phone.reason, `not a mobile number`);
        }
        if (typeof raw.plate === 'string' && raw.plate.trim() !== '') {
          const plate = validatePlate(raw.plate);
          if (!plate.ok) add('plate', `plate_${plate.reason}`, 'not a vehicle plate');
        }
        if (typeof raw.firstDay === 'string') {
          const days = typeof raw.days === 'number' ? raw.days : 1;
          const validity = slipValidity(raw.firstDay, days, ctx);
          if (!validity.ok) add('firstDay', validity.reason, validity.reason.replace(/_/g, ' '));
        }
        const consent = raw.consent as { way?: unknown; confirmedBy?: unknown } | null | undefined;
        if (consent?.way === 'phone' && !String(consent.confirmedBy ?? '').trim()) {
          add('consent.confirmedBy', 'consent_clerk_required', 'name the clerk who called');
        }
      },
      { when: () => true },
    )
    .transform((v) => {
      const id = validateIdDocument(v.applicantIdType, v.applicantIdNumber, today);
      const phone = validateMobile(v.applicantPhone);
      const plate = v.plate.trim() === '' ? null : validatePlate(v.plate);
      const validity = slipValidity(v.firstDay, v.days, ctx);
      if (!validity.ok) throw new Error('unreachable: validity checked above');
      return {
        ...v,
        applicantIdNumber: id.ok ? id.value.number : v.applicantIdNumber,
        applicantPhone: phone.ok ? phone.value : v.applicantPhone,
        plate: plate?.ok ? plate.value.plate : '',
        validFrom: validity.validFrom,
        validUntil: validity.validUntil,
      };
    });
}
export type SlipIssueInput = z.output<ReturnType<typeof slipIssueSchema>>;

/** What the issuing rules need to know of the household. */
export interface SlipHousehold {
  movedOut: boolean;
  /** Flagged by the main system (household.arrears). */
  arrears: boolean;
  /** A key household under watch (category `under_watch`). */
  underWatch: boolean;
  /** The main system confirmed the owner's consent for a tenant's move, still valid now. */
  mainSystemConsent: boolean;
}

export const SLIP_BLOCKS = [
  'household_moved_out',
  'consent_required',
  'consent_not_in_main_system',
  'arrears_override_required',
  'watch_signoff_required',
  'override_needs_supervisor',
] as const;
export type SlipBlock = (typeof SLIP_BLOCKS)[number];

/**
 * What stops a slip from being issued now, most basic first. `canOverride`: the person issuing
 * holds `slip.override` (a security supervisor or an administrator). An override or sign-off
 * given by someone without it is itself a block; without one, the arrears and watch blocks are
 * the ones a supervisor can lift (the slip waits for them: `awaitsSupervisor`).
 */
export function slipIssueBlocks(
  request: Pick<SlipIssueInput, 'applicantRole' | 'consent' | 'arrearsOverride' | 'watchSignOff'>,
  household: SlipHousehold,
  canOverride: boolean,
): SlipBlock[] {
  if (household.movedOut) return ['household_moved_out'];
  const blocks: SlipBlock[] = [];
  if (request.applicantRole === 'tenant') {
    if (!request.consent) blocks.push('consent_required');
    else if (request.consent.way === 'main_system' && !household.mainSystemConsent)
      blocks.push('consent_not_in_main_system');
  }
  if (household.arrears && !request.arrearsOverride) blocks.push('arrears_override_required');
  if (household.underWatch && !request.watchSignOff) blocks.push('watch_signoff_required');
  const supervisorPart =
    (household.arrears && request.arrearsOverride) ||
    (household.underWatch && request.watchSignOff);
  if (supervisorPart && !canOverride) blocks.push('override_needs_supervisor');
  return blocks;
}

/** Blocks that a supervisor lifts later (the clerk's slip then waits for approval). */
export const SUPERVISOR_BLOCKS: readonly SlipBlock[] = [
  'arrears_override_required',
  'watch_signoff_required',
];

/** A slip's state on the office's side (the gate sees issued / revoked and the uses). */
export const SLIP_STATES = [
  'awaiting_approval',
  'issued',
  'used',
  'partly_used',
  'refused',
  'expired',
  'revoked',
] as const;
export type SlipState = (typeof SLIP_STATES)[number];

export const SLIP_STATUSES = ['awaiting_approval', 'issued', 'revoked'] as const;
export type SlipStatus = (typeof SLIP_STATUSES)[number];

/**
 * What a slip is now, from its stored status and the gate's records of it: revoked and waiting
 * come first; a trip passed (all items) is used, one passed with items held back partly used; an
 * unused slip past its validity is expired; one refused at the gate and not used since, refused.
 */
export function slipState(
  slip: { status: SlipStatus; validUntil: number },
  uses: ReadonlyArray<{ outcome: 'pass' | 'partial' | 'refuse' }>,
  nowSeconds: number,
): SlipState {
  if (slip.status === 'revoked') return 'revoked';
  if (slip.status === 'awaiting_approval') return 'awaiting_approval';
  if (uses.some((u) => u.outcome === 'partial')) return 'partly_used';
  if (uses.some((u) => u.outcome === 'pass')) return 'used';
  if (nowSeconds >= slip.validUntil) return 'expired';
  if (uses.some((u) => u.outcome === 'refuse')) return 'refused';
  return 'issued';
}

/** A supervisor approves a slip that waited: the override's reason, the sign-off's note. */
export const slipApproveSchema = z
  .object({
    arrearsReason: noteText(200).default(''),
    watchNote: noteText(200).default(''),
  })
  .strict();

export const SLIP_REVOKE_REASONS = ['cancelled', 'misuse', 'other'] as const;
export const slipRevokeSchema = z
  .object({ reason: z.enum(SLIP_REVOKE_REASONS), note: noteText(200).default('') })
  .strict();

/** The main system's confirmation that an owner consents to a tenant's move (integration API). */
export const slipConsentInputSchema = z
  .object({
    householdExternalId: z.string().trim().min(1).max(64),
    /** The main system's own reference of the consent; sending it again changes nothing. */
    reference: z.string().trim().min(1).max(64),
    ownerName: lineText(40).default(''),
    tenantName: lineText(40).default(''),
    /** Milliseconds since the epoch. */
    confirmedAt: z.number().int().min(0),
    /** Until when it may be used for a slip, ms; default three days after confirmation. */
    validUntil: z.number().int().min(0).optional(),
  })
  .strict()
  .refine((c) => c.validUntil === undefined || c.validUntil > c.confirmedAt, {
    message: 'must be after confirmedAt',
    path: ['validUntil'],
  });
export type SlipConsentInput = z.infer<typeof slipConsentInputSchema>;
export const CONSENT_DEFAULT_MS = MAX_SLIP_DAYS * 86_400_000;

/** Closing a duplicate-use alert: what the office found out. */
export const slipAlertResolveSchema = z
  .object({ note: noteText(500).pipe(z.string().min(1, 'required')) })
  .strict();
