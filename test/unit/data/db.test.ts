import { describe, expect, it } from 'vitest';
import { KioskDb, schemaStores, SCHEMA_VERSION } from '../../../src/data/db';
import { ensureInstallation, recordNote } from '../../../src/data/outbox';
import { SYNCED_STORES } from '../../../src/data/synced-stores';

const name = () => `db-test-${Math.random().toString(36).slice(2)}`;

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

    const next = schemaStores({ ...SYNCED_STORES, laterTable: { indexes: 'd.serial' } });
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
