/**
 * Reading the kiosk's copy to judge a card: everything the verdict needs about one serial (the
 * card, its revocation, its households and key-household markers) in one read transaction over
 * both table sets, so a switch to a rebuilt set can never give half of one and half of the other;
 * households' key-household rows for the marker; finding a holder by hand (name prefix, or the
 * phone's keyed hash); the holder's photo.
 */
import type { CardLookup } from '../domain/verdict/card';
import type { SyncedRow } from '../domain/sync/tables';
import type { KioskDb } from './db';
import { activeSet, findRows, getRow, getRows } from './synced-rows';

const LOOKUP_TABLES = ['card', 'revocation', 'household', 'keyHousehold'] as const;

/** What the kiosk holds about a card serial. */
export async function readCardLookup(db: KioskDb, serial: number): Promise<CardLookup> {
  const stores = LOOKUP_TABLES.flatMap((t) => [db.synced(t, 'a'), db.synced(t, 'b')]);
  return db.transaction('r', [db.meta, ...stores], async () => {
    const set = await activeSet(db);
    const [card, revocation] = await Promise.all([
      getRow(db, 'card', set, String(serial)),
      getRow(db, 'revocation', set, `card:${serial}`),
    ]);
    const ids = card?.d.householdIds ?? [];
    const [households, markers] = await Promise.all([
      getRows(db, 'household', set, ids),
      getRows(db, 'keyHousehold', set, ids),
    ]);
    return {
      card: card?.d,
      revocation: revocation?.d,
      households: households.map((h) => ({ ...h.d, id: h.id })),
      keyHouseholds: markers.map((k) => k.d),
    };
  });
}

/** A household's address as the guard says it (building-unit-room), by id. */
export async function householdsById(
  db: KioskDb,
  ids: readonly string[],
): Promise<Map<string, SyncedRow<'household'>>> {
  const rows = await getRows(db, 'household', await activeSet(db), ids);
  return new Map(rows.map((r) => [r.id, r.d]));
}

/**
 * The key-household rows of these households (those on the office's list), for the guard's marker
 * (domain/key-household.ts `gateMarker`) on a visitor's entry or a slip.
 */
export async function keyHouseholdRows(
  db: KioskDb,
  ids: readonly string[],
): Promise<Array<SyncedRow<'keyHousehold'>>> {
  if (ids.length === 0) return [];
  const set = await activeSet(db);
  return (await getRows(db, 'keyHousehold', set, ids)).map((r) => r.d);
}

/** Cards whose holder's name starts with `prefix`, in name order (at most `limit`). */
export async function findCardsByName(
  db: KioskDb,
  prefix: string,
  limit: number,
): Promise<Array<SyncedRow<'card'>>> {
  const name = prefix.trim();
  if (name === '') return [];
  const rows = await findRows(
    db,
    'card',
    await activeSet(db),
    'holderName',
    { prefix: name },
    limit,
  );
  return rows.map((r) => r.d);
}

/** Cards whose holder's mobile number has this keyed hash (tables.ts `phoneMatch`). */
export async function findCardsByPhoneMatch(
  db: KioskDb,
  phoneMatch: string,
  limit: number,
): Promise<Array<SyncedRow<'card'>>> {
  const set = await activeSet(db);
  const rows = await findRows(db, 'card', set, 'phoneMatch', { equals: phoneMatch }, limit);
  return rows.map((r) => r.d);
}

/** The photo with this content hash, when the kiosk has fetched it. */
export async function photoBlob(db: KioskDb, hash: string): Promise<Blob | null> {
  const photo = await db.photos.get(hash);
  return photo ? new Blob([photo.bytes], { type: photo.type }) : null;
}
