/**
 * Visitor invitations: the office (or the main system) registers a visitor before they come and
 * sends them a signed `GP1:` code of type invitation; at the gate the code fills the entry and the
 * guard confirms with one tap. An invitation admits once, within its days.
 *
 * The code holds only serial, validity and the number of people (credential/body.ts); the name,
 * unit and plate come from the synced invitation row.
 */
import { z } from 'zod';
import { addDays, compareCivilDates, type CivilDate } from '../rules/civil-date';
import { validateMobile } from '../rules/phone';
import { validatePlate } from '../rules/plate';
import { epochFromLocal, localDate } from '../rules/time-window';
import type { SyncedRow } from '../sync/tables';
import type { VerifyResult } from '../credential/verify';
import { lineText } from '../text';
import { householdIdSchema, NAME_MAX, PERSONS_MAX } from './entry';

/** How far ahead an invitation may start, and how many days it may cover. */
export const INVITATION_MAX_AHEAD_DAYS = 90;
export const INVITATION_MAX_DAYS = 31;

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .transform((s, ctx) => {
    const [year, month, day] = s.split('-').map(Number) as [number, number, number];
    const d = { year, month, day };
    const check = new Date(Date.UTC(year, month - 1, day));
    if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
      ctx.addIssue({ code: 'custom', message: 'no such date' });
      return z.NEVER;
    }
    return d;
  });

/** The invitation as the office form and the integration API send it. */
export const invitationFieldsSchema = z
  .object({
    name: lineText(NAME_MAX).pipe(z.string().min(1, 'required')),
    householdId: householdIdSchema,
    /** First and last day, both included, in the community's time zone. */
    firstDay: isoDate,
    lastDay: isoDate,
    persons: z.number().int().min(1).max(PERSONS_MAX).default(1),
    plate: lineText(20)
      .default('')
      .transform((s, ctx) => {
        if (s.trim() === '') return '';
        const r = validatePlate(s);
        if (r.ok) return r.value.plate;
        ctx.addIssue({ code: 'custom', message: `not a plate number (${r.reason})` });
        return z.NEVER;
      }),
    phone: lineText(20)
      .default('')
      .transform((s, ctx) => {
        if (s.trim() === '') return '';
        const r = validateMobile(s);
        if (r.ok) return r.value;
        ctx.addIssue({ code: 'custom', message: `not a mobile number (${r.reason})` });
        return z.NEVER;
      }),
    note: lineText(200).default(''),
  })
  .strict();
export type InvitationFields = z.output<typeof invitationFieldsSchema>;

export type InvitationDayProblem = { field: 'firstDay' | 'lastDay'; message: string };

/** The days must be in order, not over, not too far ahead, and not too many. */
export function invitationDayProblems(
  first: CivilDate,
  last: CivilDate,
  today: CivilDate,
): InvitationDayProblem[] {
  const problems: InvitationDayProblem[] = [];
  if (compareCivilDates(first, today) < 0)
    problems.push({ field: 'firstDay', message: 'lies in the past' });
  if (compareCivilDates(first, addDays(today, INVITATION_MAX_AHEAD_DAYS)) > 0)
    problems.push({
      field: 'firstDay',
      message: `at most ${INVITATION_MAX_AHEAD_DAYS} days ahead`,
    });
  if (compareCivilDates(last, first) < 0)
    problems.push({ field: 'lastDay', message: 'before the first day' });
  else if (compareCivilDates(last, addDays(first, INVITATION_MAX_DAYS - 1)) > 0)
    problems.push({ field: 'lastDay', message: `at most ${INVITATION_MAX_DAYS} days` });
  return problems;
}

/** The code's validity: from 00:00 of the first day to 00:00 after the last (seconds). */
export function invitationValidity(
  first: CivilDate,
  last: CivilDate,
  timeZone: string,
): { validFrom: number; validUntil: number } {
  return {
    validFrom: epochFromLocal(first, 0, timeZone),
    validUntil: epochFromLocal(addDays(last, 1), 0, timeZone),
  };
}

export const isoOf = (d: CivilDate) =>
  `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

export const todayIn = (nowSeconds: number, timeZone: string) => localDate(nowSeconds, timeZone);

/** What the gate makes of a scanned invitation. */
export type InvitationJudgement =
  | { kind: 'admit'; invitation: SyncedRow<'invitation'>; serial: number; persons: number }
  /** The visitor it admitted is still inside: scanning again signs them out. */
  | { kind: 'sign_out'; serial: number; entryId: string }
  | {
      kind: 'refused';
      serial: number | null;
      reason:
        | 'not_an_invitation'
        | 'invalid'
        | 'not_yet_valid'
        | 'expired'
        | 'unknown'
        | 'cancelled'
        | 'used';
    };

/**
 * Judges a verified (or refused) code against the synced invitation row and this gate's own
 * register (an entry made here before the office heard of it). The signature is what makes the
 * code genuine; the row says whether the office still stands by it.
 */
export function judgeInvitation(
  verified: VerifyResult,
  row: SyncedRow<'invitation'> | undefined,
  local: { usedHere: boolean; insideEntryId: string | null },
): InvitationJudgement {
  const credential = verified.credential;
  if (credential && credential.type !== 'invitation')
    return { kind: 'refused', serial: null, reason: 'not_an_invitation' };
  if (!verified.ok) {
    if (verified.reason === 'not_yet_valid' || verified.reason === 'expired') {
      // Leaving after midnight on the last day still signs out.
      if (verified.reason === 'expired' && local.insideEntryId !== null && credential)
        return { kind: 'sign_out', serial: credential.serial, entryId: local.insideEntryId };
      return { kind: 'refused', serial: credential?.serial ?? null, reason: verified.reason };
    }
    return { kind: 'refused', serial: null, reason: 'invalid' };
  }
  if (verified.credential.type !== 'invitation')
    return { kind: 'refused', serial: null, reason: 'not_an_invitation' };
  const serial = verified.credential.serial;
  if (local.insideEntryId !== null)
    return { kind: 'sign_out', serial, entryId: local.insideEntryId };
  if (!row) return { kind: 'refused', serial, reason: 'unknown' };
  if (row.status === 'cancelled') return { kind: 'refused', serial, reason: 'cancelled' };
  if (row.status === 'used' || local.usedHere) return { kind: 'refused', serial, reason: 'used' };
  return { kind: 'admit', invitation: row, serial, persons: verified.credential.persons };
}
