/**
 * What each gate event says. The envelope (id, seq, time, guard) is in sync/protocol.ts; each
 * feature defines its event's payload here, and the server refuses (dead-letters) an event whose
 * payload does not match, rather than storing something the office cannot read.
 */
import { z } from 'zod';
import { outingBackPayloadSchema, outingOutPayloadSchema } from './care';
import { incidentPayloadSchema } from './incident';
import { EVENT_TYPES, type EventType } from './sync/protocol';

/** Free text notes a guard writes; bounded so a stuck key cannot fill the outbox. */
const note = z.string().max(500);

export const kioskNotePayloadSchema = z.object({ text: note }).strict();

/**
 * Payload schemas by event type. A type listed in EVENT_TYPES without a schema here is accepted
 * as any object until its feature defines one.
 */
export const EVENT_PAYLOAD_SCHEMAS: Partial<Record<EventType, z.ZodType<Record<string, unknown>>>> =
  {
    'kiosk.note': kioskNotePayloadSchema,
    'outing.out': outingOutPayloadSchema,
    'outing.back': outingBackPayloadSchema,
    incident: incidentPayloadSchema,
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
