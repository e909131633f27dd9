/**
 * A seeded, model-based test of the whole sync loop: the kiosk's engine (fake-indexeddb) against
 * the in-process server (SQLite), through a fetch that drops requests, drops answers after the
 * server committed, delivers twice, holds requests back to deliver them later (out of order), and
 * crashes the kiosk between any two steps (the engine and the database connection are dropped and
 * the database is opened again). The office meanwhile writes, deletes, purges tombstones and
 * restores an older backup (with a new epoch).
 *
 * Checked while it runs: an event leaves the outbox only once the server holds it; the feed
 * cursor never goes back within an epoch. Checked once quiet: the kiosk's active tables equal the
 * server's rows; every event the kiosk reported saved is on the server exactly once; the outbox is
 * empty.
 *
 * GATEPOST_SYNC_RUNS sets the number of seeds (default 200). A failure prints fast-check's seed,
 * path and the step list; replay it with GATEPOST_SYNC_SEED=<seed> GATEPOST_SYNC_PATH=<path>.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KioskDb } from '../../../src/data/db';
import { enroll } from '../../../src/data/enrollment';
import { recordEvent, recordNote } from '../../../src/data/outbox';
import type { FetchLike } from '../../../src/data/sync/transport';
import type { Cursor } from '../../../src/domain/sync/protocol';
import { renewEpoch } from '../../../src/server/store/communities';
import { purgeTombstones } from '../../../src/server/store/sync-rows';
import { createTestServer, type TestServer } from '../../support/server';
import {
  BASE_URL,
  cardRow,
  engineFor,
  enrollmentCode,
  kioskState,
  newCommunity,
  officeWrite,
  serverState,
  uniqueDbName,
} from '../../support/kiosk';

const RUNS = Number(process.env.GATEPOST_SYNC_RUNS ?? 200);
const SEED = process.env.GATEPOST_SYNC_SEED ? Number(process.env.GATEPOST_SYNC_SEED) : undefined;
const PATH = process.env.GATEPOST_SYNC_PATH;

type Fault = 'ok' | 'dropRequest' | 'dropAnswer' | 'twice' | 'hold' | 'crashBefore' | 'crashAfter';

type Step =
  | { do: 'putCards'; serials: number[]; status: 'active' | 'suspended' }
  | { do: 'deleteCards'; serials: number[] }
  | { do: 'revoke'; serial: number }
  | { do: 'unrevoke'; serial: number }
  | { do: 'households'; ids: number[]; movedOut: boolean }
  | { do: 'purgeTombstones' }
  | { do: 'backup' }
  | { do: 'restoreBackup' }
  | { do: 'record'; n: number }
  | { do: 'recordRejected' }
  | { do: 'sync'; faults: Fault[]; crashAtStep: number | null; pageLimit: number }
  | { do: 'deliverHeld' }
  | { do: 'crash' };

const serial = fc.integer({ min: 1, max: 25 });
const fault = fc.constantFrom<Fault>(
  'ok',
  'ok',
  'ok',
  'dropRequest',
  'dropAnswer',
  'twice',
  'hold',
  'crashBefore',
  'crashAfter',
);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    do: fc.constant('putCards' as const),
    serials: fc.array(serial, { minLength: 1, maxLength: 6 }),
    status: fc.constantFrom('active' as const, 'suspended' as const),
  }),
  fc.record({
    do: fc.constant('deleteCards' as const),
    serials: fc.array(serial, { minLength: 1, maxLength: 4 }),
  }),
  fc.record({ do: fc.constant('revoke' as const), serial }),
  fc.record({ do: fc.constant('unrevoke' as const), serial }),
  fc.record({
    do: fc.constant('households' as const),
    ids: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }),
    movedOut: fc.boolean(),
  }),
  fc.constant({ do: 'purgeTombstones' as const }),
  fc.constant({ do: 'backup' as const }),
  fc.constant({ do: 'restoreBackup' as const }),
  fc.record({ do: fc.constant('record' as const), n: fc.integer({ min: 1, max: 4 }) }),
  fc.constant({ do: 'recordRejected' as const }),
  {
    arbitrary: fc.record({
      do: fc.constant('sync' as const),
      faults: fc.array(fault, { maxLength: 8 }),
      crashAtStep: fc.option(fc.integer({ min: 0, max: 6 }), { nil: null }),
      pageLimit: fc.constantFrom(1, 3, 50),
    }),
    weight: 4,
  },
  fc.constant({ do: 'deliverHeld' as const }),
  fc.constant({ do: 'crash' as const }),
);

class Crash extends Error {
  override name = 'Crash';
}

const COMMUNITY_TABLES = ['sync_row', 'event', 'installation', 'dead_letter'] as const;

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer('sqlite');
});
afterAll(() => server.close());

async function snapshot(communityId: number) {
  const db = server.deps.store.db;
  const tables: Record<string, unknown[]> = {};
  for (const t of COMMUNITY_TABLES) {
    tables[t] = await db
      .selectFrom(t)
      .selectAll()
      .where('community_id', '=', communityId)
      .execute();
  }
  const community = await db
    .selectFrom('community')
    .select(['version', 'event_version', 'gc_horizon'])
    .where('id', '=', communityId)
    .executeTakeFirstOrThrow();
  return { tables, community };
}

async function restore(communityId: number, snap: Awaited<ReturnType<typeof snapshot>>) {
  await server.deps.store.db.transaction().execute(async (trx) => {
    for (const t of COMMUNITY_TABLES) {
      await trx.deleteFrom(t).where('community_id', '=', communityId).execute();
      const rows = snap.tables[t]!;
      for (let i = 0; i < rows.length; i += 200) {
        // Rows read back from the same table: their shape is the table's by construction.
        await trx
          .insertInto(t)
          .values(rows.slice(i, i + 200) as never)
          .execute();
      }
    }
    await trx.updateTable('community').set(snap.community).where('id', '=', communityId).execute();
  });
  await renewEpoch(server.deps.store.db, communityId);
}

const cmp = (a: Cursor, b: Cursor) =>
  a.version !== b.version
    ? a.version - b.version
    : a.table !== b.table
      ? a.table < b.table
        ? -1
        : 1
      : a.id < b.id
        ? -1
        : a.id > b.id
          ? 1
          : 0;

async function runScenario(steps: Step[]) {
  const community = await newCommunity(server, `模型${Math.random()}`);
  const communityId = community.id;
  const { code } = await enrollmentCode(server, communityId);
  const dbName = uniqueDbName('model');
  let db = new KioskDb(dbName);
  const base: FetchLike = async (url, init) => server.app.request(url, init);
  const enrolled = await enroll(
    db,
    { fetch: base, baseUrl: BASE_URL, now: server.clock.now, appVersion: 'model' },
    { code, fingerprint: null },
  );
  if (!enrolled.ok) throw new Error(enrolled.message);

  const saved = new Set<string>();
  const rejectedSaved = new Set<string>();
  const held: Array<{ url: string; init: RequestInit | undefined }> = [];
  let backup: Awaited<ReturnType<typeof snapshot>> | null = null;
  const lastFeed = new Map<string, Cursor>();
  const violations: string[] = [];

  async function onServer(ids: readonly string[]) {
    if (ids.length === 0) return { events: 0, dead: 0 };
    const q = server.deps.store.db;
    const events = await q
      .selectFrom('event')
      .select('id')
      .where('id', 'in', [...ids])
      .execute();
    const dead = await q
      .selectFrom('dead_letter')
      .select('id')
      .where('id', 'in', [...ids])
      .execute();
    return { events: events.length, dead: dead.length, eventIds: events, deadIds: dead };
  }

  async function checkFeedMonotonic() {
    const feed = await db.getMeta('feed');
    if (!feed) return;
    const prev = lastFeed.get(feed.epoch);
    if (prev && cmp(feed.cursor, prev) < 0) {
      violations.push(
        `feed cursor went back in epoch ${feed.epoch}: ${JSON.stringify(prev)} → ${JSON.stringify(feed.cursor)}`,
      );
    }
    if (!prev || cmp(feed.cursor, prev) > 0) lastFeed.set(feed.epoch, feed.cursor);
  }

  async function sync(faults: Fault[], crashAtStep: number | null, pageLimit: number) {
    const plan = [...faults];
    const faulty: FetchLike = async (url, init) => {
      const f = plan.shift() ?? 'ok';
      switch (f) {
        case 'ok':
          return base(url, init);
        case 'dropRequest':
          throw new TypeError('fetch failed: request dropped');
        case 'dropAnswer':
          await base(url, init);
          throw new TypeError('fetch failed: answer dropped');
        case 'twice':
          await base(url, init);
          return base(url, init);
        case 'hold':
          held.push({ url, init });
          throw new TypeError('fetch failed: request held back');
        case 'crashBefore':
          throw new Crash('crash before the request');
        case 'crashAfter':
          await base(url, init);
          throw new Crash('crash after the server answered');
      }
    };
    let steps = 0;
    const engine = engineFor(server, db, {
      fetch: faulty,
      pageLimit,
      pushBatch: 3,
      step: async (name, detail) => {
        if (name === 'push.acked') {
          const ids = detail as string[];
          const found = await onServer(ids);
          if (found.events + found.dead !== ids.length) {
            violations.push(`events left the outbox before the server held them: ${ids.join(',')}`);
          }
        }
        await checkFeedMonotonic();
        if (crashAtStep !== null && steps++ === crashAtStep) throw new Crash(`crash after ${name}`);
      },
    });
    try {
      await engine.round();
    } catch (e) {
      if (e instanceof Crash) await reopen();
      else if ((e as Error).name !== 'NetworkError') throw e;
    }
    await checkFeedMonotonic();
  }

  async function reopen() {
    db.close();
    db = new KioskDb(dbName);
    await db.open();
  }

  async function deliverHeld() {
    for (const h of held.splice(0)) await base(h.url, h.init);
  }

  for (const s of steps) {
    switch (s.do) {
      case 'putCards':
        await officeWrite(server, communityId, (w) =>
          w.put(
            'card',
            [...new Set(s.serials)].map((n) => ({
              id: String(n),
              data: cardRow(n, { status: s.status }),
            })),
          ),
        );
        break;
      case 'deleteCards':
        await officeWrite(server, communityId, (w) => w.delete('card', s.serials.map(String)));
        break;
      case 'revoke':
        await officeWrite(server, communityId, (w) =>
          w.put('revocation', [
            {
              id: `card:${s.serial}`,
              data: {
                type: 'card',
                serial: s.serial,
                revokedAt: 1_790_000_000,
                reason: 'lost',
                note: '',
              },
            },
          ]),
        );
        break;
      case 'unrevoke':
        await officeWrite(server, communityId, (w) => w.delete('revocation', [`card:${s.serial}`]));
        break;
      case 'households':
        await officeWrite(server, communityId, (w) =>
          w.put(
            'household',
            [...new Set(s.ids)].map((n) => ({
              id: `H${n}`,
              data: {
                building: '1',
                unit: '2',
                room: String(100 + n),
                occupancy: 'owner',
                movedOut: s.movedOut,
                surnames: [],
              },
            })),
          ),
        );
        break;
      case 'purgeTombstones':
        server.clock.advance(1000);
        await purgeTombstones(server.deps.store.db, communityId, server.clock.now);
        break;
      case 'backup':
        backup = await snapshot(communityId);
        break;
      case 'restoreBackup':
        if (backup) await restore(communityId, backup);
        break;
      case 'record':
        for (let i = 0; i < s.n; i++) {
          const r = await recordNote(db, `记录 ${saved.size}`, server.clock.now, -480);
          saved.add(r.id);
        }
        break;
      case 'recordRejected': {
        const r = await recordEvent(
          db,
          { type: 'no.such' as 'kiosk.note', payload: {} },
          server.clock.now,
          -480,
        );
        rejectedSaved.add(r.id);
        break;
      }
      case 'sync':
        await sync(s.faults, s.crashAtStep, s.pageLimit);
        break;
      case 'deliverHeld':
        await deliverHeld();
        break;
      case 'crash':
        await reopen();
        break;
    }
  }

  // Quiet: late requests arrive, then rounds without faults until one completes.
  await deliverHeld();
  let quiet = false;
  for (let i = 0; i < 4 && !quiet; i++) {
    try {
      await engineFor(server, db).round();
      quiet = true;
    } catch (e) {
      violations.push(`a fault-free round failed: ${(e as Error).message}`);
    }
  }
  const kiosk = await kioskState(db);
  const office = await serverState(server, communityId);
  expect(Object.fromEntries(kiosk)).toEqual(Object.fromEntries(office));

  const all = [...saved, ...rejectedSaved];
  const found = await onServer(all);
  const eventIds = new Set(found.eventIds?.map((r) => r.id));
  const deadIds = new Set(found.deadIds?.map((r) => r.id));
  for (const id of saved) {
    if (!eventIds.has(id)) violations.push(`saved event ${id} never reached the server`);
    if (deadIds.has(id)) violations.push(`saved event ${id} is both accepted and dead`);
  }
  for (const id of rejectedSaved) {
    if (!deadIds.has(id))
      violations.push(`rejected event ${id} is not in the server's dead letter`);
  }
  const serverCount = await server.deps.store.db
    .selectFrom('event')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('community_id', '=', communityId)
    .executeTakeFirstOrThrow();
  if (Number(serverCount.n) !== saved.size) {
    violations.push(`server holds ${serverCount.n} events, the kiosk saved ${saved.size}`);
  }
  if ((await db.outbox.count()) !== 0) violations.push('the outbox is not empty once quiet');
  db.close();
  expect(violations).toEqual([]);
}

// The time limit only guards against a hang: 200 seeds take 10–45 s alone on this 2-core machine
// and several times that while other suites share the cores.
it(`the sync loop converges and loses nothing under faults (${RUNS} seeds)`, async () => {
  await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30 }), runScenario), {
    numRuns: RUNS,
    ...(SEED !== undefined ? { seed: SEED } : {}),
    ...(PATH ? { path: PATH } : {}),
    endOnFailure: !process.env.GATEPOST_SYNC_SHRINK,
    // One scenario takes well under a second; one that runs on is a kiosk that never settles (a
    // reset loop), reported with its seed instead of hanging the run.
    timeout: 20_000,
  });
}, 1_800_000);
