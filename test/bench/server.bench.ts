/**
 * Server benchmarks (server issue): event ingest in batches of 200 with durable commits, and a
 * fresh kiosk's full pull of 100,000 card rows, paging included, on SQLite and on PostgreSQL.
 * In-process through the real app (routing, validation, JSON, database); no sockets.
 *
 * PostgreSQL is the server at BENCH_DATABASE_URL or TEST_DATABASE_URL; without one the figures
 * come from PGlite and the report says so (they are not a PostgreSQL server's figures).
 */
import { randomBytes } from 'node:crypto';
import { ulid } from '../../src/domain/ids';
import { pullResponseSchema } from '../../src/domain/sync/protocol';
import { SyncWriter } from '../../src/server/store/sync-rows';
import { cardRow } from '../fixtures/cards';
import { createTestServer, enrollKiosk, seedCommunity, type TestServer } from '../support/server';
import { openTestStore, type EngineName } from '../support/stores';
import { median, type Metrics } from './report';
import type { BenchSuite } from './run';

const RUNS = 3;
const BATCH = 200;
const EVENTS_PER_RUN = 10_000;
const CARDS = 100_000;

async function setup(engine: EngineName) {
  if (engine === 'postgres' && process.env.BENCH_DATABASE_URL)
    process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL;
  const server = await createTestServer(engine, await openTestStore(engine));
  const seeded = await seedCommunity(server);
  const kiosk = await enrollKiosk(server, seeded.as('admin'), seeded.community.id);
  return { server, kiosk, communityId: seeded.community.id };
}

async function ingestRun(server: TestServer, auth: Record<string, string>): Promise<number> {
  const installationId = ulid(Date.now(), randomBytes(10));
  const batches = Array.from({ length: EVENTS_PER_RUN / BATCH }, (_, b) =>
    Array.from({ length: BATCH }, (_, i) => ({
      id: ulid(Date.now(), randomBytes(10)),
      seq: b * BATCH + i + 1,
      type: 'kiosk.note',
      at: Date.now(),
      tzOffset: 480,
      payload: { text: '夜班交接：东门一切正常' },
    })),
  );
  const t0 = performance.now();
  for (const events of batches) {
    const res = await server.request('/api/sync/push', {
      method: 'POST',
      headers: auth,
      json: { installationId, events },
    });
    if (res.status !== 200) throw new Error(`push ${res.status}`);
    await res.json();
  }
  return EVENTS_PER_RUN / ((performance.now() - t0) / 1000);
}

async function seedCards(server: TestServer, communityId: number): Promise<void> {
  const nowS = Math.floor(server.clock.now / 1000);
  // Several transactions, as an office's imports and issuing would write them.
  for (let start = 1; start <= CARDS; start += 10_000) {
    await server.store.db.transaction().execute(async (trx) => {
      const w = await SyncWriter.open(trx, communityId, server.clock.now);
      const rows = Array.from({ length: 10_000 }, (_, i) => ({
        id: String(start + i),
        data: cardRow(start + i, nowS),
      }));
      await w.put('card', rows);
    });
  }
}

async function pullRun(server: TestServer, auth: Record<string, string>): Promise<number> {
  const t0 = performance.now();
  let cursor = { version: 0, table: '', id: '' };
  let epoch = '';
  let cards = 0;
  for (;;) {
    const q = new URLSearchParams({
      epoch,
      version: String(cursor.version),
      table: cursor.table,
      id: cursor.id,
    });
    const res = await server.request(`/api/sync/pull?${q}`, { headers: auth });
    const page = pullResponseSchema.parse(await res.json());
    if (page.kind !== 'changes') throw new Error('reset during the bench');
    epoch = page.epoch;
    cards += page.changes.filter((c) => c.table === 'card').length;
    cursor = page.next;
    if (!page.hasMore) break;
  }
  if (cards !== CARDS) throw new Error(`pulled ${cards} cards`);
  return (performance.now() - t0) / 1000;
}

async function engineFigures(engine: EngineName): Promise<Metrics> {
  const { server, kiosk, communityId } = await setup(engine);
  const where =
    engine === 'sqlite'
      ? 'SQLite file, WAL, synchronous=FULL'
      : process.env.TEST_DATABASE_URL
        ? 'PostgreSQL server, synchronous_commit=on'
        : 'PGlite (no PostgreSQL server given: not a server figure)';
  try {
    const ingest: number[] = [];
    for (let i = 0; i < RUNS; i++) ingest.push(Math.round(await ingestRun(server, kiosk.auth)));
    await seedCards(server, communityId);
    const pulls: number[] = [];
    for (let i = 0; i < RUNS; i++)
      pulls.push(Number((await pullRun(server, kiosk.auth)).toFixed(2)));
    return {
      [`server.ingest_events_per_s.${engine}`]: {
        value: Math.round(median(ingest)),
        unit: 'events/s',
        runs: ingest,
        target: { value: 5000, direction: 'min' },
        note: `${EVENTS_PER_RUN} events a run in batches of ${BATCH}, one kiosk, each batch one durable commit; ${where}`,
      },
      [`server.pull_100k_cards_s.${engine}`]: {
        value: median(pulls),
        unit: 's',
        runs: pulls,
        target: { value: 5, direction: 'max' },
        note: `a fresh kiosk's full pull of ${CARDS} card rows in default pages, responses parsed; ${where}`,
      },
    };
  } finally {
    await server.close();
  }
}

export const serverBench: BenchSuite = {
  name: 'server',
  async run() {
    return { ...(await engineFigures('sqlite')), ...(await engineFigures('postgres')) };
  },
};
