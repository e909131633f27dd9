/**
 * Households and residents, as the office and the main system maintain them, and their
 * projection to the gates (address, occupancy, moved-out flag and surnames only).
 */
import { sql } from 'kysely';
import {
  householdLabel,
  surnameOf,
  type HouseholdInput,
  type Occupancy,
  type ResidentInput,
} from '../../domain/household';
import { BulkValidationError, type RowError } from '../../domain/bulk';
import { newId } from '../context';
import type { MasterKey } from '../crypto/secrets';
import type { Actor } from './audit';
import { suspendCardsOfMovedOut } from './cards';
import { flag, type Db } from './db';
import type { SyncWriter } from './sync-rows';

const addressKey = (h: { building: string; unit: string; room: string }) =>
  `${h.building}\u0000${h.unit}\u0000${h.room}`;

/** Writes the gate's view of these households (surnames of residents still living there). */
export async function projectHouseholds(
  db: Db,
  writer: SyncWriter,
  ids: readonly string[],
): Promise<void> {
  if (ids.length === 0) return;
  const communityId = writer.communityId;
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 500) {
    const part = unique.slice(i, i + 500);
    const households = await db
      .selectFrom('household')
      .selectAll()
      .where('community_id', '=', communityId)
      .where('id', 'in', part)
      .execute();
    const residents = await db
      .selectFrom('resident')
      .select(['household_id', 'name'])
      .where('community_id', '=', communityId)
      .where('household_id', 'in', part)
      .where('moved_out', '=', 0)
      .execute();
    const surnames = new Map<string, Set<string>>();
    for (const r of residents) {
      const set = surnames.get(r.household_id) ?? new Set();
      set.add(surnameOf(r.name));
      surnames.set(r.household_id, set);
    }
    await writer.put(
      'household',
      households.map((h) => ({
        id: h.id,
        data: {
          building: h.building,
          unit: h.unit,
          room: h.room,
          occupancy: h.occupancy as 'owner' | 'tenant' | 'vacant' | 'shop',
          movedOut: h.moved_out === 1,
          surnames: [...(surnames.get(h.id) ?? [])].slice(0, 20),
        },
      })),
    );
  }
}

export interface UpsertResult {
  created: number;
  updated: number;
  unchanged: number;
  ids: string[];
  /** Households whose moved-out flag was just set: their workers' cards need review. */
  movedOut: string[];
}

/**
 * Creates or updates households, matched by external id when one is given, else by address.
 * All-or-nothing: every conflict is reported before anything is written.
 */
export async function upsertHouseholds(
  trx: Db,
  writer: SyncWriter,
  now: number,
  inputs: readonly HouseholdInput[],
): Promise<UpsertResult> {
  const communityId = writer.communityId;
  const existing = await trx
    .selectFrom('household')
    .selectAll()
    .where('community_id', '=', communityId)
    .execute();
  const byExternal = new Map(existing.filter((h) => h.external_id).map((h) => [h.external_id!, h]));
  const byAddress = new Map(existing.map((h) => [addressKey(h), h]));

  type Existing = (typeof existing)[number];
  const errors: RowError[] = [];
  const targets: Array<Existing | undefined> = [];
  const seenExternal = new Map<string, number>();
  const seenAddress = new Map<string, number>();
  inputs.forEach((h, row) => {
    const key = addressKey(h);
    if (h.externalId !== undefined) {
      const first = seenExternal.get(h.externalId);
      if (first !== undefined)
        errors.push({ row, field: 'externalId', message: `same external id as row ${first}` });
      seenExternal.set(h.externalId, row);
    }
    const firstAddress = seenAddress.get(key);
    if (firstAddress !== undefined)
      errors.push({ row, field: 'room', message: `same address as row ${firstAddress}` });
    seenAddress.set(key, row);

    // Which household this row is: by external id; else the one at the address. A household
    // imported without an external id is adopted by the first external id that names its address.
    const occupant = byAddress.get(key);
    let target: Existing | undefined;
    if (h.externalId === undefined) target = occupant;
    else {
      target = byExternal.get(h.externalId);
      if (!target && occupant?.external_id === null) target = occupant;
      if (occupant && occupant.id !== target?.id) {
        errors.push({ row, field: 'room', message: 'another household already has this address' });
      }
    }
    targets.push(target);
  });
  if (errors.length) throw new BulkValidationError(errors);

  const result: UpsertResult = { created: 0, updated: 0, unchanged: 0, ids: [], movedOut: [] };
  for (const [i, h] of inputs.entries()) {
    const target = targets[i];
    const values = {
      building: h.building,
      unit: h.unit,
      room: h.room,
      occupancy: h.occupancy,
      moved_out: flag(h.movedOut),
      arrears: flag(h.arrears),
    };
    if (!target) {
      const id = newId(now);
      await trx
        .insertInto('household')
        .values({
          community_id: communityId,
          id,
          external_id: h.externalId ?? null,
          created_at: now,
          updated_at: now,
          ...values,
        })
        .execute();
      result.created++;
      result.ids.push(id);
      continue;
    }
    const externalId = h.externalId ?? target.external_id;
    const same =
      (Object.keys(values) as Array<keyof typeof values>).every((k) => target[k] === values[k]) &&
      target.external_id === externalId;
    if (same) {
      result.unchanged++;
      continue;
    }
    await trx
      .updateTable('household')
      .set({ ...values, external_id: externalId, updated_at: now })
      .where('community_id', '=', communityId)
      .where('id', '=', target.id)
      .execute();
    if (h.movedOut && target.moved_out === 0) result.movedOut.push(target.id);
    result.updated++;
    result.ids.push(target.id);
  }
  await projectHouseholds(trx, writer, result.ids);
  return result;
}

/**
 * Every path that writes households (the integration API, the office's import and its moved-out
 * switch) comes through here: the same upsert rules, then the moved-out rule for workers' cards
 * (store/cards.ts), in the caller's transaction.
 */
export async function applyHouseholdInputs(
  trx: Db,
  writer: SyncWriter,
  now: number,
  inputs: readonly HouseholdInput[],
  actor: Actor,
  master: MasterKey,
): Promise<UpsertResult & { suspendedCards: number[] }> {
  const result = await upsertHouseholds(trx, writer, now, inputs);
  const suspendedCards = await suspendCardsOfMovedOut(
    trx,
    writer,
    now,
    result.movedOut,
    actor,
    master,
  );
  return { ...result, suspendedCards };
}

export const HOUSEHOLD_SORTS = ['address', 'updated'] as const;

export interface HouseholdQuery {
  /** Matches the building-unit-room label ("3-2-1201", "1201", "3-2") or an occupant's name. */
  q?: string | undefined;
  movedOut?: boolean | undefined;
  sort: (typeof HOUSEHOLD_SORTS)[number];
  desc: boolean;
  offset: number;
  limit: number;
}

/** LIKE pattern for a literal substring: the wildcards and the escape character are escaped. */
export function likeSubstring(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A page of households for the office, with their current occupants and active cards. */
export async function listHouseholds(db: Db, communityId: number, query: HouseholdQuery) {
  let base = db.selectFrom('household').where('household.community_id', '=', communityId);
  if (query.movedOut !== undefined) base = base.where('moved_out', '=', flag(query.movedOut));
  const q = query.q?.trim();
  if (q) {
    const pattern = likeSubstring(q.toLowerCase());
    base = base.where((eb) =>
      eb.or([
        eb(sql`lower(building || '-' || unit || '-' || room)`, 'like', sql`${pattern} escape '\\'`),
        eb.exists(
          eb
            .selectFrom('resident')
            .select('resident.id')
            .whereRef('resident.community_id', '=', 'household.community_id')
            .whereRef('resident.household_id', '=', 'household.id')
            .where('resident.moved_out', '=', 0)
            .where(sql`lower(resident.name)`, 'like', sql`${pattern} escape '\\'`),
        ),
      ]),
    );
  }
  const total = await base
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const dir = query.desc ? 'desc' : 'asc';
  let page = base.selectAll('household');
  if (query.sort === 'updated') page = page.orderBy('updated_at', dir);
  else {
    // Natural order of numbers written as text: shorter first, so 2 comes before 10.
    for (const col of ['building', 'unit', 'room'] as const) {
      page = page.orderBy(sql`length(${sql.ref(col)})`, dir).orderBy(col, dir);
    }
  }
  const rows = await page.orderBy('id').offset(query.offset).limit(query.limit).execute();
  const ids = rows.map((r) => r.id);
  const residents = ids.length
    ? await db
        .selectFrom('resident')
        .select(['household_id', 'name', 'relation'])
        .where('community_id', '=', communityId)
        .where('household_id', 'in', ids)
        .where('moved_out', '=', 0)
        .orderBy('name')
        .execute()
    : [];
  const cards = ids.length
    ? await db
        .selectFrom('card_household')
        .innerJoin('card', (j) =>
          j
            .onRef('card.community_id', '=', 'card_household.community_id')
            .onRef('card.serial', '=', 'card_household.serial'),
        )
        .select(['card_household.household_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('card_household.community_id', '=', communityId)
        .where('card_household.household_id', 'in', ids)
        .where('card.status', '=', 'active')
        .groupBy('card_household.household_id')
        .execute()
    : [];
  const cardCount = new Map(cards.map((c) => [c.household_id, Number(c.n)]));
  return {
    total: Number(total.n),
    items: rows.map((h) => ({
      id: h.id,
      externalId: h.external_id,
      building: h.building,
      unit: h.unit,
      room: h.room,
      label: householdLabel(h),
      occupancy: h.occupancy as Occupancy,
      movedOut: h.moved_out === 1,
      arrears: h.arrears === 1,
      occupants: residents.filter((r) => r.household_id === h.id).map((r) => r.name),
      activeCards: cardCount.get(h.id) ?? 0,
      updatedAt: h.updated_at,
    })),
  };
}

export async function getHousehold(db: Db, communityId: number, id: string) {
  return db
    .selectFrom('household')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function upsertResidents(
  trx: Db,
  writer: SyncWriter,
  now: number,
  inputs: readonly ResidentInput[],
): Promise<{ created: number; updated: number }> {
  const communityId = writer.communityId;
  const households = await trx
    .selectFrom('household')
    .select(['id', 'external_id'])
    .where('community_id', '=', communityId)
    .where('external_id', 'is not', null)
    .execute();
  const householdByExternal = new Map(households.map((h) => [h.external_id!, h.id]));
  const errors: RowError[] = [];
  const seen = new Map<string, number>();
  inputs.forEach((r, row) => {
    if (!householdByExternal.has(r.householdExternalId)) {
      errors.push({
        row,
        field: 'householdExternalId',
        message: 'no household with this external id',
      });
    }
    const first = seen.get(r.externalId);
    if (first !== undefined)
      errors.push({ row, field: 'externalId', message: `same external id as row ${first}` });
    seen.set(r.externalId, row);
  });
  if (errors.length) throw new BulkValidationError(errors);

  const existing = await trx
    .selectFrom('resident')
    .select(['id', 'external_id', 'household_id'])
    .where('community_id', '=', communityId)
    .execute();
  const byExternal = new Map(existing.filter((r) => r.external_id).map((r) => [r.external_id!, r]));
  const touched: string[] = [];
  let created = 0;
  let updated = 0;
  for (const r of inputs) {
    const householdId = householdByExternal.get(r.householdExternalId)!;
    const values = {
      household_id: householdId,
      name: r.name,
      relation: r.relation,
      phone: r.phone,
      moved_out: flag(r.movedOut),
      updated_at: now,
    };
    const current = byExternal.get(r.externalId);
    if (current) {
      await trx
        .updateTable('resident')
        .set(values)
        .where('community_id', '=', communityId)
        .where('id', '=', current.id)
        .execute();
      touched.push(current.household_id);
      updated++;
    } else {
      await trx
        .insertInto('resident')
        .values({ community_id: communityId, id: newId(now), external_id: r.externalId, ...values })
        .execute();
      created++;
    }
    touched.push(householdId);
  }
  await projectHouseholds(trx, writer, touched);
  return { created, updated };
}
