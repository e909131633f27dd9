/**
 * A kiosk's data layer in Node (fake-indexeddb) against the in-process server: a community made
 * through the store (fast: no staff accounts), enrollment codes, a fetch that calls the app, and
 * helpers to read what the server and the kiosk hold.
 */
import { createCommunity } from '../../src/server/store/communities';
import { createEnrollmentCode } from '../../src/server/store/devices';
import type { Db } from '../../src/server/store/db';
import { SyncWriter } from '../../src/server/store/sync-rows';
import { KioskDb } from '../../src/data/db';
import { allRows } from '../../src/data/synced-rows';
import type { PassageInput } from '../../src/data/passages';
import { SyncEngine, type EngineDeps } from '../../src/data/sync/engine';
import type { FetchLike } from '../../src/data/sync/transport';
import type { SyncedRow, SyncedTable } from '../../src/domain/sync/tables';
import { SYNCED_TABLE_NAMES } from '../../src/domain/sync/tables';
import type { TestServer } from './server';

export const BASE_URL = 'http://gatepost.test';

let dbCounter = 0;
export function uniqueDbName(prefix = 'kiosk'): string {
  return `${prefix}-${process.pid}-${++dbCounter}-${Math.random().toString(36).slice(2, 8)}`;
}

/** The app as a fetch: every request handled in-process. */
export function appFetch(server: TestServer): FetchLike {
  return async (input, init) => server.app.request(input, init);
}

export async function newCommunity(server: TestServer, name = '阳光花园') {
  return createCommunity(server.deps.store.db, server.deps.masterKey, server.clock.now, { name });
}

export async function enrollmentCode(server: TestServer, communityId: number, name = '东门') {
  return createEnrollmentCode(server.deps.store.db, server.clock.now, communityId, name, 'test');
}

export function engineFor(
  server: TestServer,
  db: KioskDb,
  extra: Partial<EngineDeps> = {},
): SyncEngine {
  return new SyncEngine({
    db,
    fetch: appFetch(server),
    baseUrl: BASE_URL,
    now: () => server.clock.now,
    appVersion: 'test',
    ...extra,
  });
}

/** Writes office data the way the server's own writers do. */
export async function officeWrite(
  server: TestServer,
  communityId: number,
  write: (w: SyncWriter, trx: Db) => Promise<void>,
) {
  await server.deps.store.db.transaction().execute(async (trx) => {
    await write(await SyncWriter.open(trx, communityId, server.clock.now), trx);
  });
}

export function cardRow(serial: number, extra: Partial<SyncedRow<'card'>> = {}): SyncedRow<'card'> {
  return {
    serial,
    holderName: `持卡人${serial}`,
    role: 'hourly',
    roleLabel: '',
    householdIds: [`H${serial % 50}`],
    photoHash: null,
    validFrom: 1_790_000_000,
    validUntil: 1_797_000_000,
    window: { weekdays: 0x7f, startQuarter: 24, endQuarter: 80 },
    status: 'active',
    statusReason: '',
    statusAt: null,
    idMasked: '',
    ...extra,
  };
}

/** The server's live rows of a community, as `table:id → data JSON`. */
export async function serverState(server: TestServer, communityId: number) {
  const rows = await server.deps.store.db
    .selectFrom('sync_row')
    .select(['tbl', 'id', 'data'])
    .where('community_id', '=', communityId)
    .where('deleted', '=', 0)
    .execute();
  const out = new Map<string, string>();
  for (const r of rows) {
    const table = r.tbl as SyncedTable;
    out.set(`${table}:${r.id}`, JSON.stringify(JSON.parse(r.data!)));
  }
  return out;
}

/** The kiosk's active set, in the same form as serverState. */
export async function kioskState(db: KioskDb) {
  const feed = await db.getMeta('feed');
  const set = feed?.activeSet ?? 'a';
  const out = new Map<string, string>();
  for (const table of SYNCED_TABLE_NAMES) {
    for (const row of await allRows(db, table, set)) {
      out.set(`${table}:${row.id}`, JSON.stringify(row.d));
    }
  }
  return out;
}

export function openKiosk(name: string) {
  return new KioskDb(name);
}

/** A passage as the gate records it after a green verdict; `over` changes what a test needs. */
export const passage = (over: Partial<PassageInput> = {}): PassageInput => ({
  serial: 7,
  credentialType: 'card',
  manual: false,
  direction: 'in',
  verdict: 'allow',
  reason: 'ok',
  decision: 'admitted',
  override: null,
  householdIds: ['H7'],
  holderName: '王阿姨',
  guardId: null,
  ...over,
});
