import { afterEach, describe, expect, it } from 'vitest';
import { KioskDb } from '../../../src/data/db';
import {
  findCardsByName,
  findCardsByPhoneMatch,
  householdsById,
  photoBlob,
  readCardLookup,
} from '../../../src/data/gate-copy';
import type { SyncedRow, SyncedTable } from '../../../src/domain/sync/tables';
import { cardRow } from '../../fixtures/cards';

const NOW = 1_790_000_000;
let db: KioskDb;

afterEach(() => db?.close());

async function put<T extends SyncedTable>(
  set: 'a' | 'b',
  table: T,
  rows: Array<[string, SyncedRow<T>]>,
) {
  await db.synced(table, set).bulkPut(rows.map(([id, d]) => ({ id, v: 1, d })));
}

const home = (movedOut = false): SyncedRow<'household'> => ({
  building: '3',
  unit: '2',
  room: '1201',
  occupancy: 'owner',
  movedOut,
  surnames: [],
});

describe('the gate copy', () => {
  it('reads a serial’s card, revocation, households and markers from the active set only', async () => {
    db = new KioskDb(`gate-copy-${Math.random()}`);
    await put('a', 'card', [['7', { ...cardRow(7, NOW, 'H1'), holderName: '旧副本' }]]);
    await put('b', 'card', [['7', { ...cardRow(7, NOW, 'H1'), holderName: '新副本' }]]);
    await put('b', 'household', [['H1', home(true)]]);
    await put('b', 'keyHousehold', [
      ['H1', { householdId: 'H1', instructions: ['note_visitors_and_times'], note: '留意' }],
    ]);
    await put('b', 'revocation', [
      ['card:7', { type: 'card', serial: 7, revokedAt: NOW, reason: 'lost', note: '' }],
    ]);
    await db.putMeta('feed', {
      epoch: 'e',
      cursor: { version: 1, table: '', id: '' },
      activeSet: 'b',
      head: 1,
    });
    const l = await readCardLookup(db, 7);
    expect(l.card?.holderName).toBe('新副本');
    expect(l.revocation?.reason).toBe('lost');
    expect(l.households).toEqual([{ ...home(true), id: 'H1' }]);
    expect(l.keyHouseholds.map((k) => k.note)).toEqual(['留意']);
    expect(await readCardLookup(db, 8)).toEqual({
      card: undefined,
      revocation: undefined,
      households: [],
      keyHouseholds: [],
    });
    expect([...(await householdsById(db, ['H1', 'H9'])).keys()]).toEqual(['H1']);
  });

  it('finds holders by name prefix and by the phone’s keyed hash', async () => {
    db = new KioskDb(`gate-copy-${Math.random()}`);
    const hash = 'ab'.repeat(32);
    await put('a', 'card', [
      ['1', { ...cardRow(1, NOW), holderName: '王芳' }],
      ['2', { ...cardRow(2, NOW), holderName: '王小红', phoneMatch: hash }],
      ['3', { ...cardRow(3, NOW), holderName: '李娜' }],
    ]);
    expect((await findCardsByName(db, ' 王', 10)).map((c) => c.serial).sort()).toEqual([1, 2]);
    expect((await findCardsByName(db, '王小', 10)).map((c) => c.serial)).toEqual([2]);
    expect(await findCardsByName(db, '', 10)).toEqual([]);
    expect((await findCardsByPhoneMatch(db, hash, 10)).map((c) => c.serial)).toEqual([2]);
    expect(await findCardsByPhoneMatch(db, 'cd'.repeat(32), 10)).toEqual([]);
  });

  it('gives a fetched photo back with its type, and null for one not fetched', async () => {
    db = new KioskDb(`gate-copy-${Math.random()}`);
    await db.photos.put({
      hash: 'h',
      type: 'image/jpeg',
      bytes: new Uint8Array([1, 2, 3]).buffer,
      fetchedAt: 0,
    });
    const blob = await photoBlob(db, 'h');
    expect(blob?.type).toBe('image/jpeg');
    expect(blob?.size).toBe(3);
    expect(await photoBlob(db, 'missing')).toBeNull();
  });
});
