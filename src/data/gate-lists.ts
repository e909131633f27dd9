/**
 * What the gate reads of the office's outing record: the residents under it with their state,
 * merged from the office's row and this kiosk's own register; and households by the unit a guard
 * types.
 */
import { outingState, type LocalOutingRecord, type OutingState } from '../domain/care';
import { householdLabel } from '../domain/household';
import type { KioskDb, OutingRow } from './db';
import { activeSet, allRows, getRows } from './synced-rows';
import type { TableSet } from './synced-stores';

async function labels(db: KioskDb, set: TableSet, ids: readonly string[]) {
  const rows = await getRows(db, 'household', set, ids);
  return new Map(rows.map((r) => [r.id, householdLabel(r.d)]));
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
  const rows = await allRows(db, 'careResident', set);
  const names = await labels(
    db,
    set,
    rows.map((r) => r.d.householdId),
  );
  const local = await db.outings.toArray();
  return rows
    .map((r) => {
      const c = r.d;
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
  const [found] = await allRows(db, 'household', set, {
    where: (r) => householdLabel(r.d) === wanted,
    limit: 1,
  });
  return found?.id ?? null;
}
