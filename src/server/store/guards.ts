/**
 * Gate guards and supervisors: the office's `guard` table and its projection to the gates (the
 * `guard` sync row: a name, a role, whether active, and the PIN's PBKDF2 hash with its own salt).
 * A PIN comes in, is hashed with a fresh salt, and is gone: nothing here returns or stores it.
 * Every write publishes the row in the caller's transaction through its SyncWriter.
 */
import { randomBytes } from 'node:crypto';
import { toBase64Url } from '../../domain/bytes';
import type { GuardChange } from '../../domain/guard';
import { hashPin, PIN_ITERATIONS, PIN_PATTERN } from '../../domain/pin';
import type { GuardRole, SyncedRow } from '../../domain/sync/tables';
import type { Db } from './db';
import type { Row } from './schema';
import type { SyncWriter } from './sync-rows';

export interface GuardInput {
  id: string;
  name: string;
  role: GuardRole;
  pin: string;
  active?: boolean;
}

export interface GuardView {
  id: string;
  name: string;
  role: GuardRole;
  active: boolean;
  pinSetAt: number;
  createdAt: number;
  updatedAt: number;
}

async function hashedPin(pin: string, iterations: number) {
  if (!PIN_PATTERN.test(pin)) throw new RangeError('a PIN is 4 to 6 digits');
  const salt = new Uint8Array(randomBytes(16));
  return {
    pin_hash: await hashPin(pin, salt, iterations),
    pin_salt: toBase64Url(salt),
    pin_iterations: iterations,
  };
}

function gateRow(r: Row<'guard'>): SyncedRow<'guard'> {
  return {
    name: r.name,
    role: r.role as GuardRole,
    pinHash: r.pin_hash,
    pinSalt: r.pin_salt,
    pinIterations: r.pin_iterations,
    active: r.active === 1,
  };
}

function view(r: Row<'guard'>): GuardView {
  return {
    id: r.id,
    name: r.name,
    role: r.role as GuardRole,
    active: r.active === 1,
    pinSetAt: r.pin_set_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function getGuard(db: Db, communityId: number, id: string) {
  return db
    .selectFrom('guard')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('id', '=', id)
    .executeTakeFirst();
}

async function publish(trx: Db, writer: SyncWriter, ids: readonly string[]) {
  const rows = await trx
    .selectFrom('guard')
    .selectAll()
    .where('community_id', '=', writer.communityId)
    .where('id', 'in', [...ids])
    .execute();
  await writer.put(
    'guard',
    rows.map((r) => ({ id: r.id, data: gateRow(r) })),
  );
}

/**
 * Adds guards (or replaces them whole, by id) and publishes them. `iterations` is lowered only by
 * tests that hash many PINs; the kiosk reads the count from the row.
 */
export async function saveGuards(
  trx: Db,
  writer: SyncWriter,
  now: number,
  by: string,
  guards: readonly GuardInput[],
  iterations = PIN_ITERATIONS,
) {
  if (guards.length === 0) return;
  for (const g of guards) {
    const values = {
      name: g.name,
      role: g.role,
      active: g.active === false ? 0 : 1,
      ...(await hashedPin(g.pin, iterations)),
      pin_set_at: now,
      updated_at: now,
      updated_by: by,
    };
    await trx
      .insertInto('guard')
      .values({
        id: g.id,
        community_id: writer.communityId,
        created_at: now,
        created_by: by,
        ...values,
      })
      .onConflict((oc) => oc.column('id').doUpdateSet(values))
      .execute();
  }
  await publish(
    trx,
    writer,
    guards.map((g) => g.id),
  );
}

/** Renames, changes the role, or (de)activates a guard; the gates follow. Null: no such guard. */
export async function changeGuard(
  trx: Db,
  writer: SyncWriter,
  now: number,
  by: string,
  id: string,
  change: GuardChange,
): Promise<{ before: GuardView; after: GuardView } | null> {
  const current = await getGuard(trx, writer.communityId, id);
  if (!current) return null;
  await trx
    .updateTable('guard')
    .set({
      ...(change.name !== undefined ? { name: change.name } : {}),
      ...(change.role !== undefined ? { role: change.role } : {}),
      ...(change.active !== undefined ? { active: change.active ? 1 : 0 } : {}),
      updated_at: now,
      updated_by: by,
    })
    .where('community_id', '=', writer.communityId)
    .where('id', '=', id)
    .execute();
  await publish(trx, writer, [id]);
  return { before: view(current), after: view((await getGuard(trx, writer.communityId, id))!) };
}

/** Sets a new PIN (a fresh salt too); false when there is no such guard. */
export async function setGuardPin(
  trx: Db,
  writer: SyncWriter,
  now: number,
  by: string,
  id: string,
  pin: string,
): Promise<boolean> {
  const r = await trx
    .updateTable('guard')
    .set({
      ...(await hashedPin(pin, PIN_ITERATIONS)),
      pin_set_at: now,
      updated_at: now,
      updated_by: by,
    })
    .where('community_id', '=', writer.communityId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) return false;
  await publish(trx, writer, [id]);
  return true;
}

const byName = new Intl.Collator('zh-Hans-CN-u-co-pinyin');

/** Every guard of the community, active ones first, by name in pinyin order (as on a roster). */
export async function listGuards(db: Db, communityId: number): Promise<GuardView[]> {
  const rows = await db
    .selectFrom('guard')
    .selectAll()
    .where('community_id', '=', communityId)
    .execute();
  return rows
    .map(view)
    .sort((a, b) => Number(b.active) - Number(a.active) || byName.compare(a.name, b.name));
}
