/**
 * Card photos, fetched in the background after the rows, one by one, by content hash. The wanted
 * list (`photoWant`) is written with the card rows, so fetching resumes where it stopped after a
 * restart, and each photo's bytes are checked against its hash before they are kept.
 */
import { toHex } from '../../domain/bytes';
import type { KioskDb } from '../db';
import { RefusedError, type Transport } from './transport';

async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)));
}

/**
 * Fetches up to `max` wanted photos. Returns how many are still wanted. A photo the server does
 * not have (404) or whose bytes do not match is dropped from the list; network errors go up.
 */
export async function fetchPhotos(
  db: KioskDb,
  transport: Transport,
  now: () => number,
  max: number,
): Promise<number> {
  const wanted = await db.photoWant.limit(max).primaryKeys();
  for (const hash of wanted) {
    if (await db.photos.get(hash)) {
      await db.photoWant.delete(hash);
      continue;
    }
    let photo: { bytes: ArrayBuffer; type: string } | null;
    try {
      photo = await transport.getBytes(`/api/sync/photos/${hash}`);
    } catch (e) {
      if (!(e instanceof RefusedError)) throw e;
      photo = null;
    }
    const good = photo !== null && (await sha256Hex(photo.bytes)) === hash;
    await db.transaction('rw', [db.photos, db.photoWant], async () => {
      if (good && photo) {
        await db.photos.put({ hash, type: photo.type, bytes: photo.bytes, fetchedAt: now() });
      }
      await db.photoWant.delete(hash);
    });
  }
  return db.photoWant.count();
}
