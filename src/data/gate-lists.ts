/**
 * What the gate reads of the office's outing record: the residents under it with their state,
 * merged from the office's row and this kiosk's own register; and households by the unit a guard
 * types.
 */
import { outingState, type LocalOutingRecord, type OutingState } from '../domain/care';
import { householdLabel } from '../domain/household';
import type { SyncedRow } from '../domain/sync/tables';
import type { KioskDb, OutingRow } from './db';

async function activeSet(db: KioskDb) {
  return (await db.getMeta('feed'))?.activeSet ?? 'a';
}

async function labels(db: KioskDb, set: 'a' | 'b', ids: readonly string[]) {
  const rows = await db.synced('household', set).bulkGet([...ids]);
  return new Map(
    rows.flatMap((r) => (r ? [[r.id, householdLabel(r.d as SyncedRow<'household'>)]] : [])),
  );
}

export interface CareResident extends OutingState {
  id: string;
  householdId: string;
  householdLabel: string;
  label: string;
  notSeenDays: number;
  reminder: { from: string; until: string } | null;
}

function localRecord(r: OutingRow): LocalOutingRecord {
  return r.kind === 'out'
    ? {
        kind: 'out',
        outingId: r.outingId,
        at: r.at,
        expectedBack: r.expectedBack ?? r.at,
        takenBy: r.takenBy,
        note: r.note,
      }
    : { kind: 'back', outingId: r.outingId, at: r.at };
}

/** Every resident under the outing record, by household, with their state at `now`. */
export async function careResidents(db: KioskDb, now: number): Promise<CareResident[]> {
  const set = await activeSet(db);
  const rows = await db.synced('careResident', set).toArray();
  const names = await labels(
    db,
    set,
    rows.map((r) => (r.d as SyncedRow<'careResident'>).householdId),
  );
  const local = await db.outings.toArray();
  return rows
    .map((r) => {
      const c = r.d as SyncedRow<'careResident'>;
      const mine = local.filter((o) => o.residentId === r.id).map(localRecord);
      return {
        id: r.id,
        householdId: c.householdId,
        householdLabel: names.get(c.householdId) ?? '',
        label: c.label,
        notSeenDays: c.notSeenDays,
        reminder: c.reminder,
        ...outingState(c, mine, c.notSeenDays, now),
      };
    })
    .sort((a, b) => a.householdLabel.localeCompare(b.householdLabel, 'zh'));
}

/** The household a guard typed as building-unit-room ("3-2-1201"), if there is one. */
export async function householdByLabel(db: KioskDb, label: string): Promise<string | null> {
  const wanted = label.replace(/\s+/g, '');
  if (!wanted) return null;
  const set = await activeSet(db);
  const found = await db
    .synced('household', set)
    .filter((r) => householdLabel(r.d as SyncedRow<'household'>) === wanted)
    .first();
  return found?.id ?? null;
}
