/**
 * What each gate event says. The envelope (id, seq, time, guard) is in sync/protocol.ts; each
 * feature defines its event's payload here, and the server refuses (dead-letters) an event whose
 * payload does not match, rather than storing something the office cannot read.
 */
import { z } from 'zod';
import { fromBase64Url } from './bytes';
import { CredentialType, type CredentialTypeName } from './credential/body';
import { MAX_GATE_PHOTO_CHARS, jpegSize } from './photo';
import { outingBackPayloadSchema, outingOutPayloadSchema } from './care';
import { incidentPayloadSchema } from './incident';
import { shiftEndPayloadSchema, shiftStartPayloadSchema } from './shift';
import { EVENT_TYPES, type EventType } from './sync/protocol';
import { visitorEntryPayloadSchema, visitorExitPayloadSchema } from './visitor/entry';
import { lineText, noteText } from './text';
import { CARD_REASONS } from './verdict/card';
import { SLIP_OUTCOMES, SLIP_REFUSE_REASONS } from './verdict/slip';

/** Free text notes a guard writes; bounded so a stuck key cannot fill the outbox. */
const note = z.string().max(500);

export const kioskNotePayloadSchema = z.object({ text: note }).strict();

const gatePhoto = z
  .string()
  .max(MAX_GATE_PHOTO_CHARS)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be base64url')
  .refine((s) => {
    try {
      return jpegSize(fromBase64Url(s)) !== null;
    } catch {
      return false;
    }
  }, 'must be a JPEG')
  .nullable()
  .default(null);

/**
 * A release slip checked at the gate (procedure 4.3.1.4): the guard's outcome, what was let out
 * line by line (index into the slip's items), the reason for holding back or refusing, and
 * optionally the carrier's name and a photo of the load. A pass or partial record uses one trip.
 */
export const slipUsePayloadSchema = z
  .object({
    serial: z.number().int().min(1).max(0xffffffff),
    outcome: z.enum(SLIP_OUTCOMES),
    lines: z
      .array(
        z
          .object({
            index: z.number().int().min(0).max(39),
            passed: z.number().int().min(0).max(9999),
          })
          .strict(),
      )
      .max(40)
      .default([]),
    reason: z.enum(SLIP_REFUSE_REASONS).nullable().default(null),
    /** Partial: what was held back and why, in the guard's words. */
    note: lineText(200).default(''),
    carrierName: lineText(40).default(''),
    photo: gatePhoto,
    householdId: z.string().max(64).nullable().default(null),
  })
  .strict()
  .refine((p) => p.outcome !== 'refuse' || p.reason !== null, {
    message: 'a refusal has a reason',
    path: ['reason'],
  })
  .refine((p) => p.outcome !== 'partial' || p.note !== '', {
    message: 'a partial release says what was held back',
    path: ['note'],
  });
export type SlipUsePayload = z.input<typeof slipUsePayloadSchema>;

/** Goods leaving without a slip: the attempt, recorded as a refusal the office sees. */
export const goodsRefusedPayloadSchema = z
  .object({
    householdId: z.string().max(64).nullable().default(null),
    /** The unit as said at the gate when it is not one the kiosk knows. */
    unitText: lineText(40).default(''),
    description: noteText(300).pipe(z.string().min(1, 'required')),
    photo: gatePhoto,
  })
  .strict();
export type GoodsRefusedPayload = z.input<typeof goodsRefusedPayloadSchema>;

/**
 * A passage at the gate (procedure 4.4.2/4.4.3: the card is asked for every time): what was shown,
 * what Gatepost said and what the guard did. One event per verdict, recorded with the kiosk's
 * passage register row.
 */
export const passagePayloadSchema = z
  .object({
    /** The card's serial; null when there was none (not a Gatepost code, nobody found by name). */
    serial: z.number().int().min(0).max(0xffffffff).nullable(),
    /** The type of the code shown; null when it was not a Gatepost code. */
    credentialType: z
      .enum(Object.keys(CredentialType) as [CredentialTypeName, ...CredentialTypeName[]])
      .nullable(),
    /** Looked up by hand (serial typed, or found by name or phone) instead of scanned. */
    manual: z.boolean(),
    direction: z.enum(['in', 'out']),
    verdict: z.enum(['allow', 'check', 'deny']),
    reason: z.enum(CARD_REASONS),
    decision: z.enum(['admitted', 'refused']),
    /** The guard decided against the verdict, or admitted on an amber one: why, and on whose word. */
    override: z
      .object({
        reason: lineText(200).pipe(z.string().min(1)),
        by: z.enum(['guard', 'supervisor']),
        /** The supervisor whose PIN allowed admitting on a red verdict. */
        supervisorId: z
          .string()
          .regex(/^[0-9A-Za-z_-]{1,64}$/)
          .nullable()
          .default(null),
      })
      .strict()
      .nullable(),
    householdIds: z.array(z.string().min(1).max(64)).max(10),
  })
  .strict()
  .refine((p) => p.override?.by !== 'supervisor' || p.override.supervisorId !== null, {
    message: 'an override by a supervisor names the supervisor',
    path: ['override', 'supervisorId'],
  });
export type PassagePayload = z.input<typeof passagePayloadSchema>;

/**
 * Payload schemas by event type. A type listed in EVENT_TYPES without a schema here is accepted
 * as any object until its feature defines one.
 */
export const EVENT_PAYLOAD_SCHEMAS: Partial<Record<EventType, z.ZodType<Record<string, unknown>>>> =
  {
    'kiosk.note': kioskNotePayloadSchema,
    'visitor.entry': visitorEntryPayloadSchema,
    'visitor.exit': visitorExitPayloadSchema,
    passage: passagePayloadSchema,
    'slip.use': slipUsePayloadSchema,
    'goods.refused': goodsRefusedPayloadSchema,
    'outing.out': outingOutPayloadSchema,
    'outing.back': outingBackPayloadSchema,
    incident: incidentPayloadSchema,
    'shift.start': shiftStartPayloadSchema,
    'shift.end': shiftEndPayloadSchema,
  };

export type PayloadCheck = { ok: true } | { ok: false; reason: string };

export function checkEventPayload(type: string, payload: unknown): PayloadCheck {
  if (!(EVENT_TYPES as readonly string[]).includes(type))
    return { ok: false, reason: 'unknown_type' };
  const schema = EVENT_PAYLOAD_SCHEMAS[type as EventType] ?? z.record(z.string(), z.unknown());
  const r = schema.safeParse(payload);
  if (r.success) return { ok: true };
  const first = r.error.issues[0];
  return {
    ok: false,
    reason: `invalid_payload: ${first?.path.join('.') || '(payload)'}: ${first?.message ?? ''}`,
  };
}

/**
 * The households an event concerns, by the payload's `householdId` or `householdIds` (every
 * feature names them so), for the office's per-household view of gate events (4.3.2.2).
 */
export function householdIdsOf(payload: Record<string, unknown>): string[] {
  const ids = new Set<string>();
  if (typeof payload.householdId === 'string') ids.add(payload.householdId);
  if (Array.isArray(payload.householdIds))
    for (const h of payload.householdIds) if (typeof h === 'string') ids.add(h);
  return [...ids].filter((h) => h.length > 0 && h.length <= 64);
}

/**
 * What a kiosk keeps of an event once the office has it (the `sent` list, kept for the retention
 * days so the guard can look back): everything, except an incident's account, signatures and
 * photos, which the office holds and a lost tablet must not.
 */
export function keptAfterDelivery(
  type: string,
  payload: Record<string, unknown>,
): Record<string, unknown> {
  if (type !== 'incident') return payload;
  const { type: kind, householdId, place, occurredAt } = payload;
  return { type: kind, householdId, place, occurredAt };
}
