/**
 * The key-household list (重点户), procedure 4.1–4.2. Every change is dated, attributed and kept
 * (4.2.5: the change table goes to the security team), and projected to the gates as
 * instructions only: the category never leaves the office.
 */
import {
  instructionsFor,
  type KeyHouseholdCategory,
  type KeyHouseholdInput,
} from '../../domain/key-household';
import { BulkValidationError, type RowError } from '../../domain/bulk';
import { householdLabel } from '../../domain/household';
import type { KeyHouseholdCsvRow } from '../../domain/key-household-csv';
import { newId } from '../context';
import type { Db } from './db';
import type { SyncWriter } from './sync-rows';

export interface KeyHouseholdChange {
  householdId: string;
  categories: KeyHouseholdCategory[];
  note: string;
}

export async function applyKeyHouseholdChanges(
  trx: Db,
  writer: SyncWriter,
  now: number,
  changes: readonly KeyHouseholdChange[],
  by: string,
  source: 'office' | 'integration',
): Promise<{ set: number; removed: number }> {
  const communityId = writer.communityId;
  let set = 0;
  let removed = 0;
  for (const c of changes) {
    const categories = [...new Set(c.categories)];
    const current = await trx
      .selectFrom('key_household')
      .select(['categories', 'note'])
      .where('community_id', '=', communityId)
      .where('household_id', '=', c.householdId)
      .executeTakeFirst();
    if (categories.length === 0) {
      if (!current) continue;
      await trx
        .deleteFrom('key_household')
        .where('community_id', '=', communityId)
        .where('household_id', '=', c.householdId)
        .execute();
      await writer.delete('keyHousehold', [c.householdId]);
      removed++;
    } else {
      if (current && current.categories === JSON.stringify(categories) && current.note === c.note)
        continue;
      const instructions = instructionsFor(categories);
      const values = {
        categories: JSON.stringify(categories),
        instruction: JSON.stringify(instructions),
        note: c.note,
        source,
        updated_at: now,
        updated_by: by,
      };
      await trx
        .insertInto('key_household')
        .values({ community_id: communityId, household_id: c.householdId, ...values })
        .onConflict((oc) => oc.columns(['community_id', 'household_id']).doUpdateSet(values))
        .execute();
      await writer.put('keyHousehold', [
        { id: c.householdId, data: { householdId: c.householdId, instructions, note: c.note } },
      ]);
      set++;
    }
    await trx
      .insertInto('key_household_change')
      .values({
        id: newId(now),
        community_id: communityId,
        household_id: c.householdId,
        action: categories.length === 0 ? 'removed' : current ? 'changed' : 'added',
        categories: JSON.stringify(categories),
        instruction: c.note,
        at: now,
        by,
      })
      .execute();
  }
  return { set, removed };
}

/** The main system names households by its own ids; every unknown id is a row error. */
export async function resolveKeyHouseholdInputs(
  db: Db,
  communityId: number,
  inputs: readonly KeyHouseholdInput[],
): Promise<KeyHouseholdChange[]> {
  const households = await db
    .selectFrom('household')
    .select(['id', 'external_id'])
    .where('community_id', '=', communityId)
    .where('external_id', 'is not', null)
    .execute();
  const byExternal = new Map(households.map((h) => [h.external_id!, h.id]));
  const errors: RowError[] = [];
  const out: KeyHouseholdChange[] = [];
  inputs.forEach((k, row) => {
    const householdId = byExternal.get(k.householdExternalId);
    if (!householdId)
      errors.push({
        row,
        field: 'householdExternalId',
        message: 'no household with this external id',
      });
    else out.push({ householdId, categories: k.categories, note: k.note });
  });
  if (errors.length) throw new BulkValidationError(errors);
  return out;
}

/** The change table names households by building-unit-room; an unknown address is a row error. */
export async function resolveKeyHouseholdCsvRows(
  db: Db,
  communityId: number,
  rows: readonly KeyHouseholdCsvRow[],
): Promise<KeyHouseholdChange[]> {
  const households = await db
    .selectFrom('household')
    .select(['id', 'building', 'unit', 'room'])
    .where('community_id', '=', communityId)
    .execute();
  const byLabel = new Map(households.map((h) => [householdLabel(h), h.id]));
  const errors: RowError[] = [];
  const out: KeyHouseholdChange[] = [];
  rows.forEach((r, row) => {
    const householdId = byLabel.get(householdLabel(r));
    if (!householdId)
      errors.push({ row, field: 'room', message: `no household ${householdLabel(r)}` });
    else out.push({ householdId, categories: r.categories, note: r.note });
  });
  if (errors.length) throw new BulkValidationError(errors);
  return out;
}

/** Who a change is attributed to, for people: a staff member's name or the API key's. */
export async function attributionNames(
  db: Db,
  communityId: number,
  by: readonly string[],
): Promise<Map<string, string>> {
  const keyIds = by.filter((b) => b.startsWith('api_key:')).map((b) => b.slice(8));
  const staffIds = by.filter((b) => !b.startsWith('api_key:'));
  const names = new Map<string, string>();
  if (staffIds.length)
    for (const s of await db
      .selectFrom('staff')
      .select(['id', 'display_name'])
      .where('id', 'in', staffIds)
      .execute())
      names.set(s.id, s.display_name);
  if (keyIds.length)
    for (const k of await db
      .selectFrom('api_key')
      .select(['id', 'name'])
      .where('community_id', '=', communityId)
      .where('id', 'in', keyIds)
      .execute())
      names.set(`api_key:${k.id}`, k.name);
  return names;
}

export async function listKeyHouseholds(db: Db, communityId: number) {
  const rows = await db
    .selectFrom('key_household as k')
    .innerJoin('household as h', (j) =>
      j.onRef('h.id', '=', 'k.household_id').onRef('h.community_id', '=', 'k.community_id'),
    )
    .select([
      'k.household_id',
      'k.categories',
      'k.instruction',
      'k.note',
      'k.source',
      'k.updated_at',
      'k.updated_by',
      'h.building',
      'h.unit',
      'h.room',
    ])
    .where('k.community_id', '=', communityId)
    .orderBy('h.building')
    .orderBy('h.unit')
    .orderBy('h.room')
    .execute();
  const names = await attributionNames(db, communityId, [
    ...new Set(rows.map((r) => r.updated_by)),
  ]);
  return rows.map((r) => ({
    householdId: r.household_id,
    label: householdLabel(r),
    categories: JSON.parse(r.categories) as KeyHouseholdCategory[],
    instructions: JSON.parse(r.instruction) as ReturnType<typeof instructionsFor>,
    note: r.note,
    source: r.source as 'office' | 'integration',
    updatedAt: r.updated_at,
    updatedBy: names.get(r.updated_by) ?? r.updated_by,
  }));
}

/** The change history (dated, attributed), newest first, of one household or all. */
export async function listKeyHouseholdChanges(
  db: Db,
  communityId: number,
  q: { householdId?: string; from?: number; to?: number; limit: number },
) {
  let query = db
    .selectFrom('key_household_change as c')
    .leftJoin('household as h', (j) =>
      j.onRef('h.id', '=', 'c.household_id').onRef('h.community_id', '=', 'c.community_id'),
    )
    .select([
      'c.id',
      'c.household_id',
      'c.action',
      'c.categories',
      'c.instruction',
      'c.at',
      'c.by',
      'h.building',
      'h.unit',
      'h.room',
    ])
    .where('c.community_id', '=', communityId)
    .orderBy('c.at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(q.limit);
  if (q.householdId) query = query.where('c.household_id', '=', q.householdId);
  if (q.from !== undefined) query = query.where('c.at', '>=', q.from);
  if (q.to !== undefined) query = query.where('c.at', '<', q.to);
  const rows = await query.execute();
  const names = await attributionNames(db, communityId, [...new Set(rows.map((r) => r.by))]);
  return rows.map((r) => ({
    id: r.id,
    householdId: r.household_id,
    label:
      r.building === null
        ? ''
        : householdLabel({ building: r.building, unit: r.unit!, room: r.room! }),
    action: r.action as 'added' | 'changed' | 'removed',
    categories: JSON.parse(r.categories) as KeyHouseholdCategory[],
    /** The note for the guards as it was after the change. */
    note: r.instruction,
    at: r.at,
    by: names.get(r.by) ?? r.by,
  }));
}
