/**
 * Two server instances on one PostgreSQL: writers go through both at once, a kiosk pulls from
 * each in turn. The kiosk must see every change exactly once, in version order, and end with the
 * server's state; events pushed through both are stored once.
 *
 * With TEST_DATABASE_URL (CI) the instances are two server processes on a real PostgreSQL, so
 * their transactions really run concurrently. Without it they are two in-process instances on one
 * PGlite database: no state shared but the database, though PGlite runs one transaction at a time.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { ulid } from '../../../src/domain/ids';
import { pullResponseSchema, type Change } from '../../../src/domain/sync/protocol';
import { createApp } from '../../../src/server/app';
import { masterKeyFrom } from '../../../src/server/crypto/secrets';
import { openStore } from '../../../src/server/store/open';
import { startServer, type ServerHandle } from '../../e2e/support/server';
import {
  createPostgresDatabase,
  openTestStore,
  realPostgresUrl,
  type TestStore,
} from '../../support/stores';
import { ensureFirstCommunity } from '../../../src/server/main';
import { createStaff } from '../../../src/server/store/staff';

interface Answer {
  status: number;
  body: unknown;
  setCookie: string;
}
type Fetcher = (path: string, init?: RequestInit & { json?: unknown }) => Promise<Answer>;

async function answerOf(res: Response): Promise<Answer> {
  const text = await res.text();
  return {
    status: res.status,
    body: text ? (JSON.parse(text) as unknown) : null,
    setCookie: res.headers.get('set-cookie') ?? '',
  };
}

function fetcher(
  request: (url: string, init: RequestInit) => Promise<Response>,
  base: string,
): Fetcher {
  return async (path, init = {}) => {
    const { json, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (json !== undefined) headers.set('content-type', 'application/json');
    return answerOf(
      await request(`${base}${path}`, {
        ...rest,
        headers,
        ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
      }),
    );
  };
}

const cleanups: Array<() => Promise<void>> = [];
let instances: Fetcher[] = [];
let readState: () => Promise<Map<string, unknown>>;

beforeAll(async () => {
  const masterKey = randomBytes(32);
  const pgUrl = realPostgresUrl();
  if (pgUrl) {
    const database = await createPostgresDatabase(pgUrl);
    cleanups.push(() => database.drop());
    const env = {
      DATABASE_URL: database.url,
      GATEPOST_MASTER_KEY: masterKey.toString('base64url'),
      GATEPOST_BOOTSTRAP_ADMIN: 'admin:scale-out-password',
    };
    const a: ServerHandle = await startServer({ env });
    const b: ServerHandle = await startServer({ env });
    cleanups.push(
      () => a.stop(),
      () => b.stop(),
    );
    instances = [a, b].map((h) => fetcher(fetch, h.url));
    const store = await openStore({ dataDir: '', databaseUrl: database.url });
    cleanups.push(() => store.close());
    readState = () => stateOf(store);
  } else {
    const store: TestStore = await openTestStore('postgres');
    cleanups.push(() => store.close());
    let now = Date.now();
    const deps = { store, masterKey: masterKeyFrom(masterKey), now: () => now++, version: 'test' };
    await ensureFirstCommunity(deps);
    await createStaff(store.db, now, {
      username: 'admin',
      displayName: 'admin',
      password: 'scale-out-password',
      roles: [{ communityId: 1, role: 'admin' }],
    });
    instances = [createApp(deps), createApp(deps)].map((app) =>
      fetcher(async (url, init) => app.request(url, init), 'http://local'),
    );
    readState = () => stateOf(store);
  }
}, 120_000);

afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function stateOf(store: Pick<TestStore, 'db'>): Promise<Map<string, unknown>> {
  const rows = await store.db
    .selectFrom('sync_row')
    .select(['tbl', 'id', 'data'])
    .where('community_id', '=', 1)
    .where('deleted', '=', 0)
    .execute();
  return new Map(rows.map((r) => [`${r.tbl}/${r.id}`, JSON.parse(r.data!) as unknown]));
}

it('concurrent writers through both instances; a kiosk alternating between them sees each change once', async () => {
  const [a, b] = instances as [Fetcher, Fetcher];
  // Sign in and enroll through instance A, then use the session and token on B: nothing is held in a process.
  const login = await a('/api/auth/sign-in', {
    method: 'POST',
    json: { username: 'admin', password: 'scale-out-password' },
  });
  expect(login.status).toBe(200);
  const cookie = { cookie: `gp_session=${/gp_session=([^;]+)/.exec(login.setCookie)![1]}` };
  const keyRes = await b('/api/communities/1/api-keys', {
    method: 'POST',
    headers: cookie,
    json: { name: 'main', scopes: ['households:write', 'key_households:write'] },
  });
  expect(keyRes.status).toBe(201);
  const api = { authorization: `Bearer ${(keyRes.body as { key: string }).key}` };
  const code = await a('/api/communities/1/devices/enrollments', {
    method: 'POST',
    headers: cookie,
    json: { name: '东门' },
  });
  const enrolled = await b('/api/enroll', {
    method: 'POST',
    json: { code: (code.body as { code: string }).code },
  });
  const kiosk = { authorization: `Bearer ${(enrolled.body as { token: string }).token}` };

  // Writers: 24 bulk calls, half through each instance, overlapping on the same households.
  const writes = Array.from({ length: 24 }, (_, i) => {
    const via = i % 2 === 0 ? a : b;
    const households = Array.from({ length: 40 }, (_, k) => {
      const n = (i * 25 + k) % 400; // overlapping ranges: later calls update earlier rows
      return {
        externalId: `H${n}`,
        building: String(1 + Math.floor(n / 100)),
        unit: '1',
        room: String(100 + (n % 100)),
        occupancy: i % 3 === 0 ? 'tenant' : 'owner',
      };
    });
    return via('/api/integration/v1/households', {
      method: 'PUT',
      headers: api,
      json: { households },
    });
  });

  // The kiosk pulls while the writers run, alternating instances, until quiet.
  const delivered = new Set<string>();
  const kioskState = new Map<string, unknown>();
  let cursor = { version: 0, table: '', id: '' };
  let epoch = '';
  let lastVersion = 0;
  let writersDone = false;
  const allWrites = Promise.all(writes).then((r) => {
    writersDone = true;
    return r;
  });
  for (let turn = 0; ; turn++) {
    const via = turn % 2 === 0 ? a : b;
    // Quiet means: every write had been answered before this pull began, and it found nothing.
    const quietBefore = writersDone;
    const q = new URLSearchParams({
      epoch,
      version: String(cursor.version),
      table: cursor.table,
      id: cursor.id,
      limit: '300',
    });
    const res = await via(`/api/sync/pull?${q}`, { headers: kiosk });
    expect(res.status).toBe(200);
    const page = pullResponseSchema.parse(res.body);
    if (page.kind !== 'changes') throw new Error(`unexpected reset ${page.reason}`);
    epoch = page.epoch;
    for (const c of page.changes as Change[]) {
      const key = `${c.table}/${c.id}@${c.version}`;
      expect(delivered.has(key), `${key} delivered twice`).toBe(false);
      delivered.add(key);
      expect(c.version).toBeGreaterThanOrEqual(lastVersion);
      lastVersion = c.version;
      if (c.deleted) kioskState.delete(`${c.table}/${c.id}`);
      else kioskState.set(`${c.table}/${c.id}`, c.data);
    }
    expect(page.next.version).toBeGreaterThanOrEqual(cursor.version);
    cursor = page.next;
    if (quietBefore && !page.hasMore && page.changes.length === 0) break;
    if (turn > 5000) throw new Error('the kiosk never caught up');
  }
  for (const w of await allWrites) expect(w.status, JSON.stringify(w.body)).toBe(200);
  expect(kioskState).toEqual(await readState());
  expect([...kioskState.keys()].filter((k) => k.startsWith('household/'))).toHaveLength(400);

  // Events pushed through both instances at once, each batch twice: stored once each.
  const installationId = ulid(Date.now(), randomBytes(10));
  const batches = Array.from({ length: 6 }, (_, i) =>
    Array.from({ length: 30 }, (_, k) => ({
      id: ulid(Date.now(), randomBytes(10)),
      seq: i * 30 + k + 1,
      type: 'kiosk.note',
      at: Date.now(),
      tzOffset: 480,
      payload: { text: 'x' },
    })),
  );
  const answers = await Promise.all(
    batches.flatMap((events) =>
      [a, b].map((via) =>
        via('/api/sync/push', { method: 'POST', headers: kiosk, json: { installationId, events } }),
      ),
    ),
  );
  const accepted = answers
    .flatMap((r) => (r.body as { results: Array<{ status: string }> }).results)
    .filter((r) => r.status === 'accepted');
  expect(accepted).toHaveLength(180);
  const gaps = await b(
    `/api/communities/1/devices/${(enrolled.body as { deviceId: string }).deviceId}/gaps`,
    { headers: cookie },
  );
  expect(gaps.body).toMatchObject({
    installations: [{ id: installationId, maxSeq: 180, gaps: [] }],
  });
}, 300_000);
