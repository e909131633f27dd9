/**
 * Vulnerable residents (弱势客户, procedure 4.3.3.3): the outing record (出门备案) kept only for
 * residents whose consent (or their family's) is on file, the overdue return, the "not seen for
 * N days" prompt for a door visit, and the reminder around an expected delivery date (the office
 * reminds the resident to go to hospital in the week before and after it).
 *
 * Times are milliseconds; dates are local calendar days 'YYYY-MM-DD'. Pure: `now` is passed in.
 */
import { z } from 'zod';
import { ULID_PATTERN } from './ids';
import { lineText } from './text';

const DAY_MS = 24 * 60 * 60 * 1000;
export const REMINDER_DAYS = 7;

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => {
    const t = Date.parse(`${s}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().startsWith(s);
  }, 'must be a real date');

const id = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/);

/** What the office records for a resident under the outing record. */
export const careResidentInputSchema = z
  .object({
    householdId: id,
    /** How the guards know the resident ("王奶奶"), not a full name: the gate needs no more. */
    label: lineText(20).pipe(z.string().min(1, 'label is required')),
    /** Who agreed to the outing record (procedure: the resident or their family). */
    consentBy: z.enum(['resident', 'family']),
    /** Who signed, and where the signed form is kept. */
    consentNote: lineText(200).pipe(z.string().min(1, 'say who consented and where the form is')),
    /** Days without being seen at the gate after which the guards knock on the door. */
    notSeenDays: z.number().int().min(1).max(30).default(2),
    /** Expected delivery date (预产期), for the reminder; null for everyone else. */
    dueDate: isoDate.nullable().default(null),
  })
  .strict();
export type CareResidentInput = z.infer<typeof careResidentInputSchema>;

export const outingOutPayloadSchema = z
  .object({
    outingId: z.string().regex(ULID_PATTERN, 'must be a ULID'),
    residentId: id,
    householdId: id,
    /** When the resident said they would be back, milliseconds. */
    expectedBack: z.number().int().min(0),
    /** Who went with them or came for them ("daughter", "taxi"). */
    takenBy: lineText(40),
    note: lineText(200),
  })
  .strict();
export type OutingOutPayload = z.infer<typeof outingOutPayloadSchema>;

export const outingBackPayloadSchema = z
  .object({
    outingId: z.string().regex(ULID_PATTERN, 'must be a ULID'),
    residentId: id,
    householdId: id,
  })
  .strict();
export type OutingBackPayload = z.infer<typeof outingBackPayloadSchema>;

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The days the gate is reminded of an expected delivery: a week before to a week after. */
export function reminderWindow(dueDate: string): { from: string; until: string } {
  return { from: addDays(dueDate, -REMINDER_DAYS), until: addDays(dueDate, REMINDER_DAYS) };
}

export function inReminderWindow(
  window: { from: string; until: string } | null,
  today: string,
): boolean {
  return window !== null && window.from <= today && today <= window.until;
}

/** The latest outing the office knows of for a resident, open (backAt null) or closed. */
export interface KnownOuting {
  outingId: string;
  outAt: number;
  expectedBack: number;
  takenBy: string;
  note: string;
  backAt: number | null;
}

/** An outing record on this kiosk, not yet necessarily known to the office. */
export type LocalOutingRecord =
  | {
      kind: 'out';
      outingId: string;
      at: number;
      expectedBack: number;
      takenBy: string;
      note: string;
    }
  | { kind: 'back'; outingId: string; at: number };

export interface OutingState {
  /** The outing in progress, if any. */
  open: Omit<KnownOuting, 'backAt'> | null;
  overdue: boolean;
  /** The last time the gate saw the resident (out or back), null if never. */
  lastSeenAt: number | null;
  /** Not seen for the resident's N days: knock on the door. */
  notSeen: boolean;
}

/**
 * One resident's state from what the office sent (its latest outing and last sighting) and what
 * this kiosk recorded since: the latest outing wins; it is closed by a back-in recorded here or
 * known to the office. `since` (consent recorded) starts the not-seen count when nothing else has.
 */
export function outingState(
  known: { lastOuting: KnownOuting | null; lastSeenAt: number | null; since: number },
  local: readonly LocalOutingRecord[],
  notSeenDays: number,
  now: number,
): OutingState {
  const outs: Array<Omit<KnownOuting, 'backAt'>> = local.flatMap((r) =>
    r.kind === 'out'
      ? [
          {
            outingId: r.outingId,
            outAt: r.at,
            expectedBack: r.expectedBack,
            takenBy: r.takenBy,
            note: r.note,
          },
        ]
      : [],
  );
  const closed = new Set(local.filter((r) => r.kind === 'back').map((r) => r.outingId));
  if (known.lastOuting) {
    const { backAt, ...o } = known.lastOuting;
    outs.push(o);
    if (backAt !== null) closed.add(o.outingId);
  }
  const latest = outs.reduce<Omit<KnownOuting, 'backAt'> | null>(
    (a, o) => (a === null || o.outAt > a.outAt ? o : a),
    null,
  );
  const open = latest && !closed.has(latest.outingId) ? latest : null;
  const sightings = [known.lastSeenAt ?? 0, ...local.map((r) => r.at)];
  const seen = Math.max(...sightings);
  const lastSeenAt = seen > 0 ? seen : null;
  return {
    open,
    overdue: open !== null && now > open.expectedBack,
    lastSeenAt,
    // Out of the community on a recorded outing is not "unseen": the overdue alert covers it.
    notSeen: open === null && now - (lastSeenAt ?? known.since) > notSeenDays * DAY_MS,
  };
}
