/**
 * Retention of the kiosk's own registers (notes, passages, slip checks, goods refused, outings,
 * incidents, shifts): a row older than the community's `kioskRetentionDays` is deleted once the
 * office holds its event. The office keeps the record; the tablet at the gate, which anyone near
 * it can read, keeps only what the guard may need to look back on.
 *
 * Kept whatever their age: rows whose event is still in the outbox (not yet delivered) or in the
 * dead letter (refused, for a supervisor to export), and every row since the shift on duty began
 * (its handover sheet counts them; a shift's own start row among them). The visitor register has
 * its own rule (visitors.ts `purgeVisitors`). Every row here has its event's id as its own.
 */
import type { KioskDb } from './db';
import { currentShift } from './shifts';

const REGISTERS = [
  'notes',
  'passages',
  'slipChecks',
  'goodsRefusals',
  'outings',
  'incidents',
  'shifts',
] as const;

const DAY_MS = 86_400_000;

/** Deletes what is due at `now` (ms); resolves with how many rows went. */
export async function purgeRegisters(db: KioskDb, now: number, days: number): Promise<number> {
  const tables = REGISTERS.map((t) => db.table<{ id: string; at: number }, string>(t));
  return db.transaction('rw', [...tables, db.outbox, db.deadLetter], async () => {
    const shift = await currentShift(db);
    const before = Math.min(now - days * DAY_MS, shift?.startedAt ?? Infinity);
    const held = new Set([
      ...(await db.outbox.toCollection().primaryKeys()),
      ...(await db.deadLetter.toCollection().primaryKeys()),
    ]);
    let purged = 0;
    for (const table of tables) {
      const due = await table.where('at').below(before).primaryKeys();
      const ids = due.filter((id) => !held.has(id));
      await table.bulkDelete(ids);
      purged += ids.length;
    }
    return purged;
  });
}
