import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enroll, parseEnrollmentText } from '../../../src/data/enrollment';
import { exportUnsent, recordEvent, recordNote } from '../../../src/data/outbox';
import { renewEpoch } from '../../../src/server/store/communities';
import { revokeDevice } from '../../../src/server/store/devices';
import { purgeTombstones } from '../../../src/server/store/sync-rows';
import { storePhoto } from '../../../src/server/store/photos';
import { createTestServer, type TestServer } from '../../support/server';
import {
  appFetch,
  BASE_URL,
  cardRow,
  engineFor,
  enrollmentCode,
  kioskState,
  newCommunity,
  officeWrite,
  openKiosk,
  serverState,
  uniqueDbName,
} from '../../support/kiosk';
import type { FetchLike } from '../../../src/data/sync/transport';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer('sqlite');
});
afterAll(() => server.close());

async function enrolledKiosk(fetch: FetchLike = appFetch(server)) {
  const community = await newCommunity(server);
  const { code } = await enrollmentCode(server, community.id);
  const db = openKiosk(uniqueDbName());
  const r = await enroll(
    db,
    { fetch, baseUrl: BASE_URL, now: server.clock.now, appVersion: 'test' },
    { code, fingerprint: null },
  );
  if (!r.ok) throw new Error(r.message);
  return { db, community, credential: r.credential };
}

async function serverEvents(communityId: number) {
  return server.deps.store.db
    .selectFrom('event')
    .select(['id', 'seq', 'type', 'payload'])
    .where('community_id', '=', communityId)
    .orderBy('seq')
    .execute();
}

describe('kiosk enrollment', () => {
  it('reads the QR URL and typed codes, forgiving case, spaces, dashes and look-alikes', () => {
    expect(parseEnrollmentText('https://gate.example/?enroll=ABCD-EFGH-JK12&fp=xyz')).toEqual({
      code: 'ABCD-EFGH-JK12',
      fingerprint: 'xyz',
    });
    expect(parseEnrollmentText(' abcd efgh jkl2 ')).toEqual({
      code: 'ABCD-EFGH-JK12',
      fingerprint: null,
    });
    expect(parseEnrollmentText('abcdefghjko2')).toEqual({
      code: 'ABCD-EFGH-JK02',
      fingerprint: null,
    });
    expect(parseEnrollmentText('ABCD-EFGH')).toBeNull();
    expect(parseEnrollmentText('https://gate.example/?other=1')).toBeNull();
  });

  it('refuses an expired, a used, an unknown and a foreign code, storing nothing', async () => {
    const community = await newCommunity(server);
    const other = await newCommunity(server, '别的小区');
    const deps = { fetch: appFetch(server), baseUrl: BASE_URL, now: 0, appVersion: 'test' };

    const expired = await enrollmentCode(server, community.id);
    server.clock.advance(31 * 60_000);
    const used = await enrollmentCode(server, community.id);
    const first = openKiosk(uniqueDbName());
    expect((await enroll(first, deps, { code: used.code, fingerprint: null })).ok).toBe(true);

    const foreign = await enrollmentCode(server, community.id);
    const otherFp = await openKioskFp(other.id);

    const db = openKiosk(uniqueDbName());
    const cases = [
      [{ code: expired.code, fingerprint: null }, 'expired'],
      [{ code: used.code, fingerprint: null }, 'used'],
      [{ code: 'ZZZZ-ZZZZ-ZZZZ', fingerprint: null }, 'unknown'],
      [{ code: foreign.code, fingerprint: otherFp }, 'foreign'],
    ] as const;
    for (const [input, reason] of cases) {
      const r = await enroll(db, deps, input);
      expect(r).toMatchObject({ ok: false, reason });
    }
    expect(await db.meta.count()).toBe(0);
  });
});

/** The fingerprint another community's QR would carry. */
async function openKioskFp(communityId: number) {
  const { code } = await enrollmentCode(server, communityId);
  const db = openKiosk(uniqueDbName());
  const r = await enroll(
    db,
    { fetch: appFetch(server), baseUrl: BASE_URL, now: 0, appVersion: 'test' },
    { code, fingerprint: null },
  );
  if (!r.ok) throw new Error(r.message);
  return r.credential.fingerprint;
}

describe('kiosk sync engine', () => {
  it('a first sync builds the copy, verifies the key list and records the time of the pull', async () => {
    const { db, community } = await enrolledKiosk();
    await officeWrite(server, community.id, async (w) => {
      await w.put(
        'card',
        [1, 2, 3].map((s) => ({ id: String(s), data: cardRow(s) })),
      );
    });
    const engine = engineFor(server, db);
    await engine.round();
    expect(await kioskState(db)).toEqual(await serverState(server, community.id));
    expect((await db.getMeta('trustedKeyList'))?.seq).toBe(1);
    expect(await db.getMeta('lastPullAt')).toBe(server.clock.now);
    expect(await db.getMeta('trustedNow')).toBeGreaterThanOrEqual(server.clock.now);
    expect((await db.getMeta('installation'))?.announced).toBe(true);
  });

  it('pushes recorded events once; they leave the outbox only on the answer', async () => {
    const { db, community } = await enrolledKiosk();
    for (let i = 0; i < 5; i++) await recordNote(db, `巡查 ${i}`, server.clock.now, -480);
    expect(await db.outbox.count()).toBe(5);
    expect(await db.notes.count()).toBe(5);
    const engine = engineFor(server, db, { pushBatch: 2 });
    await engine.round();
    expect(await db.outbox.count()).toBe(0);
    expect(await db.sent.count()).toBe(5);
    const events = await serverEvents(community.id);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(JSON.parse(events[0]!.payload)).toEqual({ text: '巡查 0' });
  });

  it('a rejected event goes to the dead letter and does not block the others', async () => {
    const { db, community } = await enrolledKiosk();
    await recordNote(db, 'before', server.clock.now, -480);
    // An event type this server does not know: rejected, not refused.
    await recordEvent(db, { type: 'bogus' as 'kiosk.note', payload: {} }, server.clock.now, -480);
    await recordNote(db, 'after', server.clock.now, -480);
    await engineFor(server, db).round();
    expect(await db.outbox.count()).toBe(0);
    expect((await db.deadLetter.toArray()).map((e) => e.reason)).toEqual(['unknown_type']);
    expect((await serverEvents(community.id)).map((e) => e.seq)).toEqual([1, 3]);
  });

  it('applies a revocation and a delta; a card deletion removes it from the copy', async () => {
    const { db, community } = await enrolledKiosk();
    await officeWrite(server, community.id, async (w) => {
      await w.put('card', [
        { id: '7', data: cardRow(7) },
        { id: '8', data: cardRow(8) },
      ]);
    });
    const engine = engineFor(server, db);
    await engine.round();
    await officeWrite(server, community.id, async (w) => {
      await w.put('revocation', [
        {
          id: 'card:7',
          data: { type: 'card', serial: 7, revokedAt: 1_790_000_000, reason: 'lost', note: '' },
        },
      ]);
    });
    await officeWrite(server, community.id, (w) => w.delete('card', ['8']));
    await engine.round();
    const state = await kioskState(db);
    expect(state.has('revocation:card:7')).toBe(true);
    expect(state.has('card:8')).toBe(false);
    expect(state).toEqual(await serverState(server, community.id));
  });

  it('a first sync in small pages completes after tombstones were purged above its first pages', async () => {
    const { db, community } = await enrolledKiosk();
    await officeWrite(server, community.id, async (w) => {
      await w.put(
        'card',
        [1, 2, 3, 4, 5, 6].map((n) => ({ id: String(n), data: cardRow(n) })),
      );
      await w.put('revocation', [
        {
          id: 'card:2',
          data: { type: 'card', serial: 2, revokedAt: 1_790_000_000, reason: 'lost', note: '' },
        },
      ]);
    });
    await officeWrite(server, community.id, async (w) => {
      await w.delete('card', ['6']);
      await w.delete('revocation', ['card:2']);
    });
    server.clock.advance(1000);
    expect(await purgeTombstones(server.deps.store.db, community.id, server.clock.now)).toBe(2);
    const restarts: string[] = [];
    const engine = engineFor(server, db, {
      pageLimit: 1,
      step: async (name) => {
        if (name === 'priority.reset' || name === 'rebuild.begun') restarts.push(name);
        if (restarts.length > 3) throw new Error(`the sync keeps starting over: ${restarts}`);
      },
    });
    await engine.round();
    expect(restarts).toEqual([]);
    expect(await kioskState(db)).toEqual(await serverState(server, community.id));
  });

  it('a page that fails validation moves no cursor and raises "update required"', async () => {
    const { db, community } = await enrolledKiosk();
    const engine = engineFor(server, db);
    await engine.round();
    const before = await db.getMeta('feed');
    await officeWrite(server, community.id, (w) => w.put('card', [{ id: '9', data: cardRow(9) }]));
    // A newer server's card row this app cannot read.
    await server.deps.store.db
      .updateTable('sync_row')
      .set({ data: JSON.stringify({ ...cardRow(9), status: 'teleported' }) })
      .where('community_id', '=', community.id)
      .where('id', '=', '9')
      .execute();
    await expect(engine.round()).rejects.toThrow(/card 9/);
    expect(await db.getMeta('feed')).toEqual(before);
    expect((await db.getMeta('updateRequired'))?.detail).toMatch(/status/);
    expect(engine.status.stopped).toBe('update_required');
  });

  it('a revoked kiosk stops syncing and keeps its unsent events for export', async () => {
    const { db, community, credential } = await enrolledKiosk();
    await engineFor(server, db).round();
    await revokeDevice(
      server.deps.store.db,
      server.clock.now,
      community.id,
      credential.deviceId,
      'x',
    );
    await recordNote(db, '撤销后', server.clock.now, -480);
    const engine = engineFor(server, db);
    await expect(engine.round()).rejects.toThrow(/revoked/);
    expect(await db.getMeta('deviceState')).toBe('revoked');
    expect(engine.status.stopped).toBe('revoked');
    const exported = await exportUnsent(db, server.clock.now);
    expect(exported.outbox.map((e) => e.payload)).toEqual([{ text: '撤销后' }]);
  });

  it('a new epoch rebuilds the other set while the gate keeps the old one, and re-sends acknowledged events', async () => {
    const { db, community } = await enrolledKiosk();
    await officeWrite(server, community.id, (w) => w.put('card', [{ id: '1', data: cardRow(1) }]));
    await recordNote(db, 'one', server.clock.now, -480);
    const engine = engineFor(server, db);
    await engine.round();
    const activeBefore = (await db.getMeta('feed'))!.activeSet;
    // The server restored from a backup that predates the event.
    await server.deps.store.db
      .deleteFrom('event')
      .where('community_id', '=', community.id)
      .execute();
    await renewEpoch(server.deps.store.db, community.id);
    let sawOldSetDuringRebuild = false;
    const watching = engineFor(server, db, {
      step: async (name) => {
        if (name === 'rebuild.begun') {
          const state = await kioskState(db);
          sawOldSetDuringRebuild = state.has('card:1');
        }
      },
    });
    await watching.round();
    expect(sawOldSetDuringRebuild).toBe(true);
    expect((await db.getMeta('feed'))!.activeSet).not.toBe(activeBefore);
    expect(await kioskState(db)).toEqual(await serverState(server, community.id));
    expect((await serverEvents(community.id)).map((e) => e.seq)).toEqual([1]);
  });

  it('fetches card photos by hash after the rows, and checks their bytes', async () => {
    const { db, community } = await enrolledKiosk();
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 1, 2, 3, 0xff, 0xd9]);
    const hash = await storePhoto(server.deps.store.db, 0, community.id, bytes, 'image/jpeg');
    await officeWrite(server, community.id, (w) =>
      w.put('card', [{ id: '5', data: cardRow(5, { photoHash: hash }) }]),
    );
    await engineFor(server, db).round();
    const photo = await db.photos.get(hash);
    expect(new Uint8Array(photo!.bytes)).toEqual(bytes);
    expect(await db.photoWant.count()).toBe(0);
  });
});
