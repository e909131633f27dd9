/**
 * The passage register: every verdict at the gate, with what the guard did, as a row of the
 * kiosk's register and a `passage` event in the outbox, in one strict transaction (outbox.ts).
 */
import type { PassagePayload } from '../domain/events';
import type { KioskDb, PassageRow } from './db';
import { recordEvent } from './outbox';

export interface PassageInput extends PassagePayload {
  holderName: string;
  guardId: string | null;
}

export function recordPassage(
  db: KioskDb,
  input: PassageInput,
  now: number,
  tzOffset: number,
): Promise<{ id: string; seq: number }> {
  const { holderName, guardId, ...payload } = input;
  return recordEvent<PassageRow>(
    db,
    {
      type: 'passage',
      payload: { ...payload },
      guardId,
      register: {
        table: 'passages',
        row: (id) => ({ id, at: now, guardId, holderName, ...payload }),
      },
    },
    now,
    tzOffset,
  );
}

/** The latest passages, newest first, for the guard's list. */
export function recentPassages(db: KioskDb, limit: number): Promise<PassageRow[]> {
  return db.passages.orderBy('at').reverse().limit(limit).toArray();
}
