import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { KioskDb } from '../../../src/data/db';
import { CHUNK } from '../../../src/data/finder';
import { allRows, findRows, writeChanges, type RowChange } from '../../../src/data/synced-rows';
import type { SyncedRow } from '../../../src/domain/sync/tables';
import { cardRow } from '../../fixtures/cards';

let db: KioskDb;
afterEach(() => db?.close());

const NOW = 1_790_000_000;
const SURNAMES = ['王', '李', '张', 'Wa', 'Li'];
const GIVEN = ['芳', '小红', '娜', '伟', 'ng', ''];
const PHONES = ['a', 'b', 'c', 'd'].map((c) => c.repeat(64));

function write(changes: RowChange[]) {
  return db.transaction('rw', [db.synced('card', 'a'), db.finder('a')], () =>
    writeChanges(db, 'a', changes),
  );
}

/** What a search must find, by brute force over the rows themselves. */
async function expected(field: 'holderName' | 'phoneMatch', hit: (v: string) => boolean) {
  const rows = await allRows(db, 'card', 'a');
  return rows
    .flatMap((r) => {
      const v = r.d[field];
      return typeof v === 'string' && hit(v) ? [{ v, id: r.id }] : [];
    })
    .sort((a, b) => (a.v < b.v ? -1 : a.v > b.v ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((x) => x.id);
}

const change = fc.record({
  serial: fc.integer({ min: 1, max: 1500 }),
  deleted: fc.boolean(),
  name: fc.tuple(fc.constantFrom(...SURNAMES), fc.constantFrom(...GIVEN)),
  phone: fc.option(fc.constantFrom(...PHONES), { nil: undefined }),
});

describe('the finder', () => {
  it('finds exactly the rows a scan finds, in order, through puts, renames and deletions', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(change, { minLength: 1, maxLength: 400 }), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.constantFrom('王', '王小', 'W', 'Li', 'Lin', '张伟', '李娜'),
        async (pages, prefix) => {
          db?.close();
          db = new KioskDb(`finder-${Math.random()}`);
          // Many rows under few names: chunks fill past twice CHUNK and split.
          const seed: RowChange[] = Array.from({ length: 3 * CHUNK }, (_, i) => ({
            table: 'card',
            id: String(2000 + i),
            version: 1,
            deleted: false,
            data: { ...cardRow(2000 + i, NOW), holderName: '王小红', phoneMatch: PHONES[0] },
          }));
          await write(seed);
          for (const [n, page] of pages.entries()) {
            await write(
              page.map((c) => ({
                table: 'card',
                id: String(c.serial),
                version: n + 2,
                deleted: c.deleted,
                data: c.deleted
                  ? undefined
                  : ({
                      ...cardRow(c.serial, NOW),
                      holderName: c.name.join(''),
                      ...(c.phone ? { phoneMatch: c.phone } : {}),
                    } satisfies SyncedRow<'card'>),
              })),
            );
          }
          for (const limit of [1, 20, 5000]) {
            const byName = await findRows(db, 'card', 'a', 'holderName', { prefix }, limit);
            const names = await expected('holderName', (v) => v.startsWith(prefix));
            expect(byName.map((r) => r.id)).toEqual(names.slice(0, limit));
            const byPhone = await findRows(
              db,
              'card',
              'a',
              'phoneMatch',
              { equals: PHONES[0]! },
              limit,
            );
            const phones = await expected('phoneMatch', (v) => v === PHONES[0]);
            expect(byPhone.map((r) => r.id)).toEqual(phones.slice(0, limit));
          }
          const chunks = await db.finder('a').toArray();
          expect(chunks.every((c) => c.e.length > 0 && c.e.length <= 2 * CHUNK)).toBe(true);
          expect(chunks.every((c) => c.k[2] === c.e[0]![0] && c.k[3] === c.e[0]![1])).toBe(true);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('finds nothing in the other set, and nothing once a set is emptied and rebuilt without it', async () => {
    db = new KioskDb(`finder-${Math.random()}`);
    await write([
      {
        table: 'card',
        id: '1',
        version: 1,
        deleted: false,
        data: { ...cardRow(1, NOW), holderName: '王芳' },
      },
    ]);
    expect(await findRows(db, 'card', 'b', 'holderName', { prefix: '王' }, 20)).toEqual([]);
    await write([{ table: 'card', id: '1', version: 2, deleted: true }]);
    expect(await findRows(db, 'card', 'a', 'holderName', { prefix: '王' }, 20)).toEqual([]);
    expect(await db.finder('a').count()).toBe(0);
  });
});
