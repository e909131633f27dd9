import { liveQuery } from 'dexie';
import { describe, expect, it, vi } from 'vitest';
import { KioskDb, schemaStores, SCHEMA_VERSION, type RebuildState } from '../../../src/data/db';
import {
  ensureInstallation,
  NotReadyError,
  recordEvent,
  recordNote,
} from '../../../src/data/outbox';
import { SYNCED_STORES } from '../../../src/data/synced-stores';
import { allRows, BUCKETS, findRows, getRow } from '../../../src/data/synced-rows';

const name = () => `db-test-${Math.random().toString(36).slice(2)}`;

/** The stores of schema 4, the last with one record per synced row, as installed kiosks have it. */
function schemaStoresV4(): Record<string, string> {
  const stores: Record<string, string> = {
    meta: 'k',
    outbox: 'id, [inst+seq]',
    sent: 'id, [inst+seq], ackedAt',
    deadLetter: 'id, [inst+seq]',
    photos: 'hash',
    photoWant: 'hash',
    notes: 'id, at',
    visitors: 'id, at, phoneHash, invitationSerial',
    passages: 'id, at',
    slipChecks: 'id, serial, at',
    goodsRefusals: 'id, at',
    outings: 'id, residentId, at',
    incidents: 'id, at',
    shifts: 'id, at, shiftId',
  };
  const tables = ['revocation', 'keyList', 'settings', 'household', 'keyHousehold', 'card'];
  for (const t of [...tables, 'guard', 'invitation', 'watch', 'slip', 'careResident']) {
    for (const set of ['a', 'b']) {
      stores[`${t}_${set}`] = t === 'card' ? 'id, d.holderName, d.phoneMatch' : 'id';
    }
  }
  return stores;
}

describe('the kiosk database', () => {
  it('has both table sets of every synced table', async () => {
    const db = new KioskDb(name());
    await db.open();
    const stores = db.tables.map((t) => t.name);
    for (const table of Object.keys(SYNCED_STORES)) {
      expect(stores).toContain(`${table}_a`);
      expect(stores).toContain(`${table}_b`);
    }
    db.close();
  });

  it('an installed kiosk upgrades to a schema with a new synced table without losing its outbox', async () => {
    const dbName = name();
    const v1 = new KioskDb(dbName);
    await ensureInstallation(v1, 1_000);
    await recordNote(v1, '升级前', 1_000, -480);
    v1.close();

    const next = schemaStores({ ...SYNCED_STORES, laterTable: { indexes: 'serial' } });
    const v2 = new KioskDb(dbName, {
      versions: [
        { version: SCHEMA_VERSION, stores: schemaStores() },
        { version: SCHEMA_VERSION + 1, stores: next },
      ],
    });
    await v2.open();
    expect((await v2.outbox.toArray()).map((e) => e.payload)).toEqual([{ text: '升级前' }]);
    expect((await v2.getMeta('installation'))?.nextSeq).toBe(2);
    expect(v2.tables.map((t) => t.name)).toContain('laterTable_b');
    v2.close();
  });

  it('a kiosk of schema 4 (a record per row) upgrades to buckets, keeping its outbox and its copy', async () => {
    const dbName = name();
    const v1 = new KioskDb(dbName, { versions: [{ version: 4, stores: schemaStoresV4() }] });
    await ensureInstallation(v1, 1_000);
    await recordNote(v1, '升级前', 1_000, -480);
    const cards = v1.table('card_a');
    await cards.bulkPut(
      Array.from({ length: 3000 }, (_, i) => ({
        id: String(i + 1),
        v: 7,
        d: { serial: i + 1, holderName: `持卡人${i + 1}` },
      })),
    );
    await v1.table('household_a').put({ id: 'H1', v: 3, d: { building: '1' } });
    await v1.table('card_b').put({ id: '9', v: 2, d: { serial: 9 } });
    await v1.table('careResident_a').put({ id: 'R1', v: 4, d: { householdId: 'H1' } });
    await v1.table('outings').put({ id: 'O1', residentId: 'R1', at: 900 });
    await v1.putMeta('rebuild', {
      set: 'b',
      epoch: 'e1',
      cursor: { version: 2, table: 'card', id: '9' },
      total: 10,
      done: 1,
      startedAt: 500,
    } as unknown as RebuildState);
    v1.close();

    const v2 = new KioskDb(dbName);
    await v2.open();
    expect(v2.verno).toBe(SCHEMA_VERSION);
    expect((await v2.outbox.toArray()).map((e) => e.payload)).toEqual([{ text: '升级前' }]);
    expect((await v2.getMeta('installation'))?.nextSeq).toBe(2);
    expect(await getRow(v2, 'card', 'a', '2999')).toEqual({
      id: '2999',
      v: 7,
      d: { serial: 2999, holderName: '持卡人2999' },
    });
    // The holders can be found by name at once: the buckets carry their finder values.
    const found = await findRows(v2, 'card', 'a', 'holderName', { prefix: '持卡人299' }, 20);
    expect(found.map((r) => r.id)).toEqual([
      '299',
      ...Array.from({ length: 10 }, (_, i) => String(2990 + i)),
    ]);
    expect(await getRow(v2, 'household', 'a', 'H1')).toEqual({
      id: 'H1',
      v: 3,
      d: { building: '1' },
    });
    expect(await getRow(v2, 'careResident', 'a', 'R1')).toEqual({
      id: 'R1',
      v: 4,
      d: { householdId: 'H1' },
    });
    expect(await v2.outings.get('O1')).toEqual({ id: 'O1', residentId: 'R1', at: 900 });
    expect((await allRows(v2, 'card', 'a')).length).toBe(3000);
    expect(await v2.synced('card', 'a').count()).toBeLessThanOrEqual(BUCKETS);
    // The half-built set was not staged page by page: the rebuild starts again from the start.
    expect(await allRows(v2, 'card', 'b')).toEqual([]);
    expect(await v2.getMeta('rebuild')).toMatchObject({
      set: 'b',
      cursor: { version: 0, table: '', id: '' },
      done: 0,
      pages: 0,
      complete: null,
    });
    // And it records on, with the next sequence number.
    expect((await recordNote(v2, '升级后', 2_000, -480)).seq).toBe(2);
    v2.close();
  });

  it('records a register row and its event together, with the next sequence number', async () => {
    const db = new KioskDb(name());
    await ensureInstallation(db, 1_000);
    const a = await recordNote(db, '一', 1_000, -480);
    const b = await recordNote(db, '二', 2_000, -480);
    expect([a.seq, b.seq]).toEqual([1, 2]);
    expect((await db.notes.get(b.id))?.text).toBe('二');
    expect(await db.getMeta('trustedNow')).toBe(2_000);
    await expect(recordNote(db, ' ', 3_000, -480)).rejects.toThrow(RangeError);
    expect(await db.outbox.count()).toBe(2);
    db.close();
  });

  it('a kiosk without an installation records nothing and says why', async () => {
    const db = new KioskDb(name());
    await expect(recordNote(db, '无安装', 1_000, -480)).rejects.toThrow(NotReadyError);
    expect([await db.outbox.count(), await db.notes.count()]).toEqual([0, 0]);
    expect(await db.getMeta('trustedNow')).toBeUndefined();
    db.close();
  });

  it('a register row that cannot be written leaves no event behind', async () => {
    const db = new KioskDb(name());
    await ensureInstallation(db, 1_000);
    const first = await recordNote(db, '一', 1_000, -480);
    const again = recordEvent(
      db,
      {
        type: 'kiosk.note',
        payload: { text: '二' },
        register: { table: 'notes', row: () => ({ id: first.id, text: '二', at: 2_000 }) },
      },
      2_000,
      -480,
    );
    await expect(again).rejects.toThrow();
    expect(await db.outbox.count()).toBe(1);
    expect((await db.getMeta('installation'))?.nextSeq).toBe(2);
    expect((await recordNote(db, '三', 3_000, -480)).seq).toBe(2);
    db.close();
  });

  it("the screens' live queries see a recording as soon as it is stored", async () => {
    const db = new KioskDb(name());
    await ensureInstallation(db, 1_000);
    const seen: Array<[number, string[]]> = [];
    const sub = liveQuery(async () => {
      const [count, notes] = await Promise.all([
        db.outbox.count(),
        db.notes.orderBy('at').toArray(),
      ]);
      return [count, notes.map((n) => n.text)] as [number, string[]];
    }).subscribe({ next: (v) => seen.push(v) });
    await vi.waitFor(() => expect(seen.at(-1)).toEqual([0, []]));
    await recordNote(db, '一', 1_000, -480);
    await vi.waitFor(() => expect(seen.at(-1)).toEqual([1, ['一']]));
    await recordNote(db, '二', 2_000, -480);
    await vi.waitFor(() => expect(seen.at(-1)).toEqual([2, ['一', '二']]));
    sub.unsubscribe();
    db.close();
  });

  it('two tabs recording in turn never reuse a sequence number', async () => {
    const dbName = name();
    const a = new KioskDb(dbName);
    const b = new KioskDb(dbName);
    await ensureInstallation(a, 1_000);
    const seqs: number[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await recordNote(i % 3 === 0 ? b : a, `第${i}条`, 1_000 + i, -480);
      seqs.push(r.seq);
    }
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await a.getMeta('trustedNow')).toBe(1_005);
    a.close();
    b.close();
  });
});
