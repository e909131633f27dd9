/**
 * Photos (the 1-inch portraits on access cards, later also load and incident photos), stored by
 * content hash per community. Cards name a photo by its hash; a kiosk fetches each once, in the
 * background, after the rows.
 */
import { createHash } from 'node:crypto';
import type { Db } from './db';

export const PHOTO_TYPES = ['image/jpeg'] as const;

export function photoHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Idempotent: storing the same bytes twice keeps one copy. Returns the hash. */
export async function storePhoto(
  db: Db,
  now: number,
  communityId: number,
  bytes: Uint8Array,
  contentType: string,
): Promise<string> {
  const hash = photoHash(bytes);
  await db
    .insertInto('photo')
    .values({ community_id: communityId, hash, content_type: contentType, bytes, created_at: now })
    .onConflict((oc) => oc.columns(['community_id', 'hash']).doNothing())
    .execute();
  return hash;
}

export async function readPhoto(db: Db, communityId: number, hash: string) {
  return db
    .selectFrom('photo')
    .select(['content_type', 'bytes'])
    .where('community_id', '=', communityId)
    .where('hash', '=', hash)
    .executeTakeFirst();
}

/**
 * Deletes the photos stored before `createdBefore` that no card, slip record or goods refusal
 * names any more (a load photo outlives its record only until the next run). The age bound keeps
 * a photo being stored right now for a record not yet written.
 */
export async function purgeUnreferencedPhotos(
  db: Db,
  communityId: number,
  createdBefore: number,
): Promise<void> {
  const named = (table: 'card' | 'slip_use' | 'goods_refusal') =>
    db
      .selectFrom(table)
      .select('photo_hash')
      .where('community_id', '=', communityId)
      .where('photo_hash', 'is not', null);
  await db
    .deleteFrom('photo')
    .where('community_id', '=', communityId)
    .where('created_at', '<', createdBefore)
    .where('hash', 'not in', named('card'))
    .where('hash', 'not in', named('slip_use'))
    .where('hash', 'not in', named('goods_refusal'))
    .execute();
}
