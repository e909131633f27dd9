/**
 * Recording outings and incidents at the gate: the register row and its event in one strict
 * transaction (outbox.ts), so "saved" means both are on disk.
 */
import { ulid } from '../domain/ids';
import type { IncidentPayload } from '../domain/incident';
import { incidentPayloadSchema } from '../domain/incident';
import { outingOutPayloadSchema } from '../domain/care';
import type { IncidentRow, KioskDb, OutingRow } from './db';
import { recordEvent } from './outbox';

export interface OutingOut {
  residentId: string;
  householdId: string;
  expectedBack: number;
  takenBy: string;
  note: string;
}

export function recordOutingOut(
  db: KioskDb,
  input: OutingOut,
  now: number,
  tzOffset: number,
  guardId: string | null,
) {
  const payload = outingOutPayloadSchema.parse({
    ...input,
    outingId: ulid(now, crypto.getRandomValues(new Uint8Array(10))),
  });
  return recordEvent<OutingRow>(
    db,
    {
      type: 'outing.out',
      payload,
      guardId,
      register: {
        table: 'outings',
        row: (id) => ({ id, kind: 'out', at: now, guardId, ...payload }),
      },
    },
    now,
    tzOffset,
  );
}

export function recordOutingBack(
  db: KioskDb,
  input: { outingId: string; residentId: string; householdId: string },
  now: number,
  tzOffset: number,
  guardId: string | null,
) {
  return recordEvent<OutingRow>(
    db,
    {
      type: 'outing.back',
      payload: { ...input },
      guardId,
      register: {
        table: 'outings',
        row: (id) => ({
          id,
          kind: 'back',
          at: now,
          expectedBack: null,
          takenBy: '',
          note: '',
          guardId,
          ...input,
        }),
      },
    },
    now,
    tzOffset,
  );
}

/** Throws the schema's error (naming the field) before anything is stored. */
export function recordIncident(
  db: KioskDb,
  input: IncidentPayload,
  unit: string,
  now: number,
  tzOffset: number,
  guardId: string | null,
) {
  const payload = incidentPayloadSchema.parse(input);
  return recordEvent<IncidentRow>(
    db,
    {
      type: 'incident',
      payload,
      guardId,
      register: {
        table: 'incidents',
        row: (id) => ({
          id,
          at: now,
          occurredAt: payload.occurredAt,
          type: payload.type,
          unit,
          guardId,
        }),
      },
    },
    now,
    tzOffset,
  );
}
