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
