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
import { retentionCutoff } from '../domain/visitor/retention';
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

/**
 * Deletes what is due at `now` (ms); resolves with how many rows went. It runs with every sync
 * round, so the outbox and the dead letter are read only when some row is old enough.
 */
export async function purgeRegisters(db: KioskDb, now: number, days: number): Promise<number> {
  const tables = REGISTERS.map((t) => db.table<{ id: string; at: number }, string>(t));
  return db.transaction('rw', [...tables, db.outbox, db.deadLetter], async () => {
    const shift = await currentShift(db);
    const before = Math.min(retentionCutoff(now, days), shift?.startedAt ?? Infinity);
    const due = await Promise.all(tables.map((t) => t.where('at').below(before).primaryKeys()));
    if (due.every((ids) => ids.length === 0)) return 0;
    const held = new Set([
      ...(await db.outbox.toCollection().primaryKeys()),
      ...(await db.deadLetter.toCollection().primaryKeys()),
    ]);
    let purged = 0;
    for (const [i, table] of tables.entries()) {
      const ids = due[i]!.filter((id) => !held.has(id));
      await table.bulkDelete(ids);
      purged += ids.length;
    }
    return purged;
  });
}
