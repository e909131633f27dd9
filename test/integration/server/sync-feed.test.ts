import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  pullResponseSchema,
  type Change,
  type Cursor,
  type PullResponse,
} from '../../../src/domain/sync/protocol';
import { SyncWriter, purgeTombstones } from '../../../src/server/store/sync-rows';
import { ENGINES } from '../../support/stores';
import {
  apiKey,
  createTestServer,
  enrollKiosk,
  seedCommunity,
  type TestServer,
} from '../../support/server';

async function pull(
  server: TestServer,
  auth: Record<string, string>,
  q: Record<string, string | number>,
) {
  const qs = new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)]));
  const res = await server.request(`/api/sync/pull?${qs}`, { headers: auth });
  expect(res.status).toBe(200);
  return pullResponseSchema.parse(await res.json());
}

/** Pulls every page after a cursor, as a kiosk does; returns the changes and the final cursor. */
async function pullAll(
  server: TestServer,
  auth: Record<string, string>,
  epoch: string,
  from: Cursor,
  limit = 1000,
) {
  const changes: Change[] = [];
  let cursor = from;
  for (let pages = 0; pages < 1000; pages++) {
    const page = await pull(server, auth, {
      epoch,
      version: cursor.version,
      table: cursor.table,
      id: cursor.id,
      horizon: cursor.horizon ?? 0,
      limit,
    });
    if (page.kind !== 'changes') throw new Error(`unexpected reset: ${page.reason}`);
    changes.push(...page.changes);
    cursor = page.next;
    if (!page.hasMore) return { changes, cursor, epoch: page.epoch, head: page.head };
  }
  throw new Error('never finished');
}

const households = (n: number, offset = 0) =>
  Array.from({ length: n }, (_, i) => ({
    externalId: `H${i + offset}`,
    building: String(1 + Math.floor((i + offset) / 200)),
    unit: String(1 + (Math.floor((i + offset) / 20) % 10)),
    room: String(101 + ((i + offset) % 20)),
    occupancy: (i + offset) % 3 === 0 ? 'tenant' : 'owner',
  }));

describe.each(ENGINES)('office → gate feed on %s', (engine) => {
  let server: TestServer;
  let kiosk: Awaited<ReturnType<typeof enrollKiosk>>;
  let integration: Awaited<ReturnType<typeof apiKey>>;
  let communityId: number;

  beforeEach(async () => {
    server = await createTestServer(engine);
    const seeded = await seedCommunity(server);
    communityId = seeded.community.id;
    kiosk = await enrollKiosk(server, seeded.as('admin'), communityId);
    integration = await apiKey(server, seeded.as('admin'), communityId, [
      'households:write',
      'residents:write',
      'key_households:write',
    ]);
  });
  afterEach(() => server.close());

  it('a new kiosk receives the settings and the signed key list first', async () => {
    const page = await pull(server, kiosk.auth, { limit: 10 });
    expect(page.kind).toBe('changes');
    if (page.kind !== 'changes') return;
    expect(page.changes.map((c) => c.table).sort()).toEqual(['keyList', 'settings']);
    expect(page.hasMore).toBe(false);
    expect(page.next.version).toBe(page.head);
  });

  it('pages through thousands of rows written in one transaction, each exactly once', async () => {
    const put = await server.request('/api/integration/v1/households', {
      method: 'PUT',
      headers: integration.auth,
      json: { households: households(2500) },
    });
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ created: 2500, updated: 0, unchanged: 0 });

    const all = await pullAll(server, kiosk.auth, '', { version: 0, table: '', id: '' }, 700);
    const homes = all.changes.filter((c) => c.table === 'household');
    expect(homes).toHaveLength(2500);
    expect(new Set(homes.map((c) => c.id)).size).toBe(2500);
    // All 2,500 rows carry the one version of the transaction that wrote them.
    expect(new Set(homes.map((c) => c.version)).size).toBe(1);
    expect(all.cursor.version).toBe(all.head);

    // Nothing new: an empty page, the cursor stays.
    const again = await pull(server, kiosk.auth, { epoch: all.epoch, ...all.cursor });
    expect(again.kind === 'changes' && again.changes).toEqual([]);

    // An update reaches the kiosk alone, with a newer version.
    const moved = { ...households(1)[0], movedOut: true };
    await server.request('/api/integration/v1/households', {
      method: 'PUT',
      headers: integration.auth,
      json: { households: [moved] },
    });
    const delta = await pullAll(server, kiosk.auth, all.epoch, all.cursor);
    expect(delta.changes).toHaveLength(1);
    expect(delta.changes[0]).toMatchObject({
      table: 'household',
      deleted: false,
      data: { movedOut: true, building: '1', unit: '1', room: '101' },
    });
    expect(delta.changes[0]!.version).toBeGreaterThan(homes[0]!.version);
  });

  it('a re-sent, unchanged bulk call writes nothing new', async () => {
    await server.request('/api/integration/v1/households', {
      method: 'PUT',
      headers: integration.auth,
      json: { households: households(5) },
    });
    const before = await pullAll(server, kiosk.auth, '', { version: 0, table: '', id: '' });
    const res = await server.request('/api/integration/v1/households', {
      method: 'PUT',
      headers: integration.auth,
      json: { households: households(5) },
    });
    expect(await res.json()).toEqual({ created: 0, updated: 0, unchanged: 5 });
    const after = await pullAll(server, kiosk.auth, before.epoch, before.cursor);
    expect(after.changes).toEqual([]);
    expect(after.head).toBe(before.head);
  });

  it('the gate learns what to do for a key household, never its category; removal arrives as a deletion', async () => {
    await server.request('/api/integration/v1/households', {
      method: 'PUT',
      headers: integration.auth,
      json: { households: households(3) },
    });
    const set = await server.request('/api/integration/v1/key-households', {
      method: 'PUT',
      headers: integration.auth,
      json: {
        keyHouseholds: [
          {
            householdExternalId: 'H1',
            categories: ['under_watch', 'rental'],
            note: '留意夜间来访',
          },
        ],
      },
    });
    expect(await set.json()).toEqual({ set: 1, removed: 0 });
    const res = await server.request(`/api/sync/pull?limit=100`, { headers: kiosk.auth });
    const text = await res.text();
    for (const word of [
      'under_watch',
      'rental',
      'troublemaker',
      'vulnerable',
      'bad_credit',
      'categor',
    ]) {
      expect(text).not.toContain(word);
    }
    const page = pullResponseSchema.parse(JSON.parse(text)) as Extract<
      PullResponse,
      { kind: 'changes' }
    >;
    const marker = page.changes.find((c) => c.table === 'keyHousehold');
    expect(marker?.data).toEqual({
      householdId: marker?.id,
      instructions: [
        'goods_need_slip_with_consent',
        'note_visitors_and_times',
        'report_to_supervisor',
      ],
      note: '留意夜间来访',
    });

    await server.request('/api/integration/v1/key-households', {
      method: 'PUT',
      headers: integration.auth,
      json: { keyHouseholds: [{ householdExternalId: 'H1', categories: [] }] },
    });
    const delta = await pullAll(server, kiosk.auth, page.epoch, page.next);
    expect(delta.changes).toEqual([
      expect.objectContaining({ table: 'keyHousehold', id: marker!.id, deleted: true }),
    ]);
    expect(delta.changes[0]!.data).toBeUndefined();
  });

  it('answers reset for another epoch, a cursor ahead of the head, and a cursor below the tombstone horizon', async () => {
    const first = await pullAll(server, kiosk.auth, '', { version: 0, table: '', id: '' });
    const epochReset = await pull(server, kiosk.auth, {
      epoch: 'an-older-epoch',
      version: first.cursor.version,
    });
    expect(epochReset).toMatchObject({ kind: 'reset', reason: 'epoch', epoch: first.epoch });

    const ahead = await pull(server, kiosk.auth, { epoch: first.epoch, version: first.head + 5 });
    expect(ahead).toMatchObject({ kind: 'reset', reason: 'ahead' });

    // A key household set then removed leaves a tombstone; purging it raises the horizon.
    await server.request('/api/integration/v1/households', {
      method: 'PUT',
      headers: integration.auth,
      json: { households: households(1) },
    });
    await server.request('/api/integration/v1/key-households', {
      method: 'PUT',
      headers: integration.auth,
      json: { keyHouseholds: [{ householdExternalId: 'H0', categories: ['rental'] }] },
    });
    await server.request('/api/integration/v1/key-households', {
      method: 'PUT',
      headers: integration.auth,
      json: { keyHouseholds: [{ householdExternalId: 'H0', categories: [] }] },
    });
    server.clock.advance(1000);
    const purged = await purgeTombstones(server.store.db, communityId, server.clock.now);
    expect(purged).toBe(1);
    const behind = await pull(server, kiosk.auth, { epoch: first.epoch, ...first.cursor });
    expect(behind).toMatchObject({ kind: 'reset', reason: 'horizon' });
    // A kiosk that rebuilds from the start is served normally, without the purged row, even a
    // row a page: its cursors stay below the horizon until the last page, which never moved.
    const rebuilt = await pullAll(
      server,
      kiosk.auth,
      first.epoch,
      { version: 0, table: '', id: '' },
      1,
    );
    expect(rebuilt.changes.length).toBeGreaterThan(2);
    expect(rebuilt.changes.some((c) => c.table === 'keyHousehold')).toBe(false);
    expect(rebuilt.cursor.version).toBe(rebuilt.head);
  });

  it('serves the revocation stream alone when asked, so revocations can travel first', async () => {
    await server.request('/api/integration/v1/households', {
      method: 'PUT',
      headers: integration.auth,
      json: { households: households(50) },
    });
    await server.store.db.transaction().execute(async (trx) => {
      const w = await SyncWriter.open(trx, communityId, server.clock.now);
      await w.put('revocation', [
        {
          id: 'card:17',
          data: { type: 'card', serial: 17, revokedAt: 1_790_000_000, reason: 'lost', note: '' },
        },
      ]);
    });
    const page = await pull(server, kiosk.auth, { tables: 'revocation', limit: 10 });
    expect(page.kind === 'changes' && page.changes.map((c) => `${c.table}:${c.id}`)).toEqual([
      'revocation:card:17',
    ]);
    const bad = await server.request('/api/sync/pull?tables=revocation,secrets', {
      headers: kiosk.auth,
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('query.tables');
  });
});
