/**
 * The visitor register in the kiosk's data layer (fake-indexeddb) against the in-process server:
 * an entry leaves nothing on the kiosk that reveals the ID number, the office opens it; the
 * watch list matches offline; a returning visitor is found by phone; sign-out and the end of
 * day; retention purges exactly the acknowledged entries past the period.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBase64Url } from '../../../src/domain/bytes';
import { recordNote } from '../../../src/data/outbox';
import { enroll } from '../../../src/data/enrollment';
import {
  invitationUseHere,
  prepareEntry,
  purgeVisitors,
  recordVisitorEntry,
  recordVisitorExit,
  returningVisitor,
  signOutAtClosing,
  visitorsInside,
} from '../../../src/data/visitors';
import type { KioskDb } from '../../../src/data/db';
import { validateIdDocument } from '../../../src/domain/rules/identity-documents';
import { matchHash, open } from '../../../src/domain/seal';
import {
  ID_SEAL_CONTEXT,
  PHOTO_SEAL_CONTEXT,
  idMatchValue,
  type CheckedVisitor,
} from '../../../src/domain/visitor/entry';
import { portraitBase64 } from '../../support/cards';
import { createTestServer, type TestServer } from '../../support/server';
import {
  BASE_URL,
  appFetch,
  engineFor,
  enrollmentCode,
  newCommunity,
  officeWrite,
  openKiosk,
  uniqueDbName,
} from '../../support/kiosk';
import { communitySecrets, openSealed } from '../../../src/server/store/community-secrets';

const ID = '11010519491231002X';
const DAY = 86_400_000;

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer('sqlite');
});
afterAll(() => server.close());

async function syncedKiosk() {
  const community = await newCommunity(server);
  const { code } = await enrollmentCode(server, community.id);
  const db = openKiosk(uniqueDbName());
  const r = await enroll(
    db,
    { fetch: appFetch(server), baseUrl: BASE_URL, now: server.clock.now, appVersion: 'test' },
    { code, fingerprint: null },
  );
  if (!r.ok) throw new Error(r.message);
  const engine = engineFor(server, db);
  await engine.round();
  return { db, community, engine };
}

function visitor(over: Partial<CheckedVisitor> = {}): CheckedVisitor {
  const id = validateIdDocument('resident_card', ID, { year: 2026, month: 1, day: 1 });
  if (!id.ok) throw new Error('bad fixture');
  return {
    name: '王小明',
    id: id.value,
    phone: '13812345678',
    householdId: 'H1',
    reason: 'visiting',
    persons: 1,
    plate: '',
    ...over,
  };
}

async function everything(db: KioskDb): Promise<string> {
  const dump: Record<string, unknown[]> = {};
  for (const t of db.tables) dump[t.name] = await t.toArray();
  return JSON.stringify(dump);
}

describe('the visitor register on the kiosk', () => {
  it('keeps the ID number only masked, hashed and sealed, and the photo sealed: nothing on the kiosk opens them, the office does', async () => {
    const { db, community } = await syncedKiosk();
    const prepared = await prepareEntry(
      db,
      { kind: 'typed', visitor: visitor() },
      { invitationSerial: null, mode: 'guard', photo: portraitBase64() },
    );
    const id = await recordVisitorEntry(db, prepared, true, server.clock.now, null);
    const stored = await everything(db);
    expect(stored).not.toContain(ID);
    expect(stored).not.toContain(ID.slice(3, 14));
    expect(stored).not.toContain(portraitBase64().slice(0, 64));
    const row = (await db.visitors.get(id))!;
    // The phone travels to the office in the event; the register row keeps only its mask and hash.
    expect(JSON.stringify(row)).not.toContain('13812345678');
    expect(row.idMasked).toBe('110***********002X');
    expect(row.phoneMasked).toBe('138****5678');

    // Every base64url value the kiosk holds, tried as the office's private key: none opens it.
    const candidates = new Set(stored.match(/[A-Za-z0-9_-]{40,}/g));
    expect(candidates.size).toBeGreaterThan(3);
    for (const c of candidates) {
      let key: Uint8Array;
      try {
        key = fromBase64Url(c);
      } catch {
        continue;
      }
      await expect(open(row.idSealed!, key, ID_SEAL_CONTEXT)).rejects.toThrow();
    }
    expect(
      await openSealed(
        server.deps.store.db,
        server.deps.masterKey,
        community.id,
        row.idSealed!,
        ID_SEAL_CONTEXT,
      ),
    ).toBe(ID);
    expect(
      await openSealed(
        server.deps.store.db,
        server.deps.masterKey,
        community.id,
        prepared.payload.photoSealed!,
        PHOTO_SEAL_CONTEXT,
      ),
    ).toBe(portraitBase64());
  });

  it('matches the watch list offline, by ID or by name with phone, the deny entry first', async () => {
    const { db, community, engine } = await syncedKiosk();
    const secrets = await communitySecrets(
      server.deps.store.db,
      server.deps.masterKey,
      community.id,
      server.clock.now,
    );
    const key = fromBase64Url(secrets.matchKey);
    const idHash = await matchHash(
      key,
      'id',
      idMatchValue({ type: 'resident_card', holderKey: ID }),
    );
    await officeWrite(server, community.id, (w) =>
      w.put('watch', [
        {
          id: 'W1',
          data: { level: 'watch', idHash, namePhoneHash: null, instruction: '登记后通知主管' },
        },
      ]),
    );
    await engine.round();
    const hit = await prepareEntry(
      db,
      { kind: 'typed', visitor: visitor() },
      { invitationSerial: null, mode: 'self' },
    );
    expect(hit.watch).toEqual({ level: 'watch', instruction: '登记后通知主管', entryId: 'W1' });
    expect(hit.payload.watch).toEqual({ level: 'watch', instruction: '登记后通知主管' });
    const miss = await prepareEntry(
      db,
      { kind: 'typed', visitor: visitor({ id: null }) },
      { invitationSerial: null, mode: 'guard' },
    );
    expect(miss.watch).toBeNull();
  });

  it('finds a returning visitor by phone, signs out once, and signs out at closing with the flag', async () => {
    const { db } = await syncedKiosk();
    const first = await prepareEntry(
      db,
      { kind: 'typed', visitor: visitor() },
      { invitationSerial: null, mode: 'guard' },
    );
    const a = await recordVisitorEntry(db, first, true, server.clock.now, null);
    expect(await returningVisitor(db, '13812345679')).toBeUndefined();
    const back = (await returningVisitor(db, '13812345678'))!;
    expect(back).toMatchObject({ id: a, name: '王小明', idMasked: '110***********002X' });

    expect(await recordVisitorExit(db, a, 'phone', server.clock.now + 1, null)).toBe(true);
    expect(await recordVisitorExit(db, a, 'tap', server.clock.now + 2, null)).toBe(false);

    // The returning visitor's entry reuses the sealed number without it being typed again.
    const again = await prepareEntry(
      db,
      { kind: 'previous', visitor: visitor({ id: null }), previous: back },
      { invitationSerial: 4, mode: 'guard' },
    );
    expect(again.payload.idSealed).toEqual(back.idSealed);
    const b = await recordVisitorEntry(db, again, true, server.clock.now + 3, null);
    expect(await invitationUseHere(db, 4)).toEqual({ usedHere: true, insideEntryId: b });
    expect((await visitorsInside(db)).map((r) => r.id)).toEqual([b]);

    // START_MS is 10:00 in Shanghai; closing at 22:00 the same day.
    expect(await signOutAtClosing(db, server.clock.now + 11 * 3600_000)).toBe(0);
    expect(await signOutAtClosing(db, server.clock.now + 12 * 3600_000 + 1)).toBe(1);
    expect(await db.visitors.get(b)).toMatchObject({ exitMethod: 'end_of_day' });
    expect((await db.outbox.toArray()).map((e) => e.type)).toEqual([
      'visitor.entry',
      'visitor.exit',
      'visitor.entry',
      'visitor.exit',
    ]);
  });

  it("purges exactly the acknowledged entries older than the retention period, and the other registers' old rows", async () => {
    const { db, engine } = await syncedKiosk();
    const t0 = server.clock.now;
    const record = async (at: number) =>
      recordVisitorEntry(
        db,
        await prepareEntry(
          db,
          { kind: 'typed', visitor: visitor() },
          { invitationSerial: null, mode: 'guard' },
        ),
        true,
        at,
        null,
      );
    const acked = await record(t0 - 40 * DAY);
    const recent = await record(t0 - 5 * DAY);
    // An old entry whose exit has not reached the office yet stays.
    const waiting = await record(t0 - 45 * DAY);
    await recordVisitorExit(db, waiting, 'tap', t0 - 44 * DAY, null);
    expect(await purgeVisitors(db, t0, 30)).toBe(0);

    const oldNote = await recordNote(db, '交班记录', t0 - 40 * DAY, -480);
    const recentNote = await recordNote(db, '交班记录', t0 - 5 * DAY, -480);

    // The sync round sends them, and then purges what the office acknowledged.
    await engine.round();
    expect(await db.outbox.count()).toBe(0);
    expect((await db.visitors.toArray()).map((r) => r.id)).toEqual([recent]);
    expect(await db.notes.toCollection().primaryKeys()).toEqual([recentNote.id]);
    expect(await db.notes.get(oldNote.id)).toBeUndefined();
    expect(await db.visitors.get(acked)).toBeUndefined();

    const refused = await record(t0 - 50 * DAY);
    const [event] = await db.outbox.toArray();
    await db.transaction('rw', db.outbox, db.deadLetter, async () => {
      await db.outbox.delete(event!.id);
      await db.deadLetter.add({ ...event!, reason: 'test', rejectedAt: t0 });
    });
    expect(await purgeVisitors(db, t0, 30)).toBe(0);
    expect(await db.visitors.get(refused)).toBeDefined();
    expect(await purgeVisitors(db, t0 + 60 * DAY, 30)).toBe(1);
    expect((await db.visitors.toArray()).map((r) => r.id)).toEqual([refused]);
  });
});
