import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runMaintenance, TOMBSTONE_DAYS } from '../../../src/server/maintenance';
import { readHeads, SyncWriter } from '../../../src/server/store/sync-rows';
import { createTestServer, seedCommunity, type TestServer } from '../../support/server';

describe('housekeeping', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer('sqlite');
  });
  afterEach(() => server.close());

  it(`purges deletions older than ${TOMBSTONE_DAYS} days and raises the horizon; recent ones stay`, async () => {
    const { community } = await seedCommunity(server);
    const write = (fn: (w: SyncWriter) => Promise<void>) =>
      server.store.db
        .transaction()
        .execute(async (trx) => fn(await SyncWriter.open(trx, community.id, server.clock.now)));
    await write((w) =>
      w.put('revocation', [
        { id: 'card:1', data: { type: 'card', serial: 1, revokedAt: 1, reason: 'lost', note: '' } },
      ]),
    );
    await write((w) => w.delete('revocation', ['card:1']));
    const oldVersion = (await readHeads(server.store.db, community.id)).head;
    server.clock.advance((TOMBSTONE_DAYS - 1) * 86_400_000);
    await write((w) => w.delete('keyHousehold', ['recent']));

    await runMaintenance(server.deps);
    expect((await readHeads(server.store.db, community.id)).gcHorizon).toBe(0);

    server.clock.advance(2 * 86_400_000);
    await runMaintenance(server.deps);
    const rows = await server.store.db
      .selectFrom('sync_row')
      .select(['tbl', 'id'])
      .where('deleted', '=', 1)
      .execute();
    expect(rows).toEqual([{ tbl: 'keyHousehold', id: 'recent' }]);
    expect((await readHeads(server.store.db, community.id)).gcHorizon).toBe(oldVersion);
  });
});
