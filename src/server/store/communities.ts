/**
 * Communities: the unit of data and of sync. Creating one makes its keys, its epoch and the
 * first rows the gates receive (settings and the key list).
 */
import { randomBytes } from 'node:crypto';
import { toBase64Url } from '../../domain/bytes';
import { communitySettingsSchema, type CommunitySettings } from '../../domain/community';
import type { MasterKey } from '../crypto/secrets';
import type { Db } from './db';
import { createCommunityKeys } from './keys';
import { communitySecrets, type CommunitySecrets } from './community-secrets';
import { SyncWriter } from './sync-rows';
import type { Kysely } from 'kysely';
import type { Database } from './schema';

export interface Community {
  id: number;
  name: string;
  settings: CommunitySettings;
}

export function newEpoch(): string {
  return toBase64Url(randomBytes(12));
}

export async function projectSettings(
  writer: SyncWriter,
  community: Community,
  secrets: CommunitySecrets,
): Promise<void> {
  const s = community.settings;
  await writer.put('settings', [
    {
      id: 'community',
      data: {
        communityId: community.id,
        name: community.name,
        timeZone: s.timeZone,
        staleAmberHours: s.staleAmberHours,
        staleDenyHours: s.staleDenyHours,
        offlineAfterMinutes: s.offlineAfterMinutes,
        closingMinutes: s.closingMinutes,
        kioskRetentionDays: s.kioskRetentionDays,
        sealKey: secrets.sealPublicKey,
        matchKey: secrets.matchKey,
      },
    },
  ]);
}

export async function createCommunity(
  db: Kysely<Database>,
  master: MasterKey,
  now: number,
  input: { name: string; settings?: Partial<CommunitySettings> },
): Promise<Community> {
  return db.transaction().execute(async (trx) => {
    const max = await trx
      .selectFrom('community')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirst();
    const id = Number(max?.id ?? 0) + 1;
    const settings = communitySettingsSchema.parse(input.settings ?? {});
    await trx
      .insertInto('community')
      .values({
        id,
        name: input.name,
        time_zone: settings.timeZone,
        version: 0,
        event_version: 0,
        epoch: newEpoch(),
        gc_horizon: 0,
        settings: JSON.stringify(settings),
        created_at: now,
      })
      .execute();
    const community = { id, name: input.name, settings };
    const writer = await SyncWriter.open(trx, id, now);
    await createCommunityKeys(trx, master, writer, now);
    await projectSettings(writer, community, await communitySecrets(trx, master, id, now));
    return community;
  });
}

export async function getCommunity(db: Db, id: number): Promise<Community | undefined> {
  const row = await db
    .selectFrom('community')
    .select(['id', 'name', 'settings'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    name: row.name,
    settings: communitySettingsSchema.parse(JSON.parse(row.settings)),
  };
}

export async function listCommunities(db: Db, ids?: readonly number[]): Promise<Community[]> {
  let q = db.selectFrom('community').select(['id', 'name', 'settings']).orderBy('id');
  if (ids) {
    if (ids.length === 0) return [];
    q = q.where('id', 'in', ids);
  }
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    settings: communitySettingsSchema.parse(JSON.parse(r.settings)),
  }));
}

export async function updateCommunity(
  trx: Db,
  master: MasterKey,
  now: number,
  id: number,
  patch: { name?: string | undefined; settings?: Partial<CommunitySettings> | undefined },
): Promise<Community> {
  const writer = await SyncWriter.open(trx, id, now);
  const current = await getCommunity(trx, id);
  if (!current) throw new Error(`no community ${id}`);
  const next: Community = {
    id,
    name: patch.name ?? current.name,
    settings: communitySettingsSchema.parse({ ...current.settings, ...patch.settings }),
  };
  await trx
    .updateTable('community')
    .set({
      name: next.name,
      time_zone: next.settings.timeZone,
      settings: JSON.stringify(next.settings),
    })
    .where('id', '=', id)
    .execute();
  await projectSettings(writer, next, await communitySecrets(trx, master, id, now));
  return next;
}

/**
 * A new epoch: every kiosk of the community rebuilds its copy. Used after a restore from backup,
 * when the server's data may be older than what kiosks hold.
 */
export async function renewEpoch(db: Db, id: number): Promise<string> {
  const epoch = newEpoch();
  await db.updateTable('community').set({ epoch }).where('id', '=', id).execute();
  return epoch;
}
