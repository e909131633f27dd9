/**
 * The rows of the synced tables, kept in buckets, and the one way to read them: each
 * `<table>_<set>` store holds up to BUCKETS records, and a row lives in the bucket its id hashes
 * to. Chromium's IndexedDB costs about the same per record whatever its size (a request to the
 * storage process and a LevelDB entry each, some 0.3 ms of CPU on a small machine), so 100,000
 * cards as 100,000 records take tens of seconds to write, and as a thousand buckets well under
 * one. A lookup reads one bucket (about a hundred rows at 100,000 cards).
 *
 * Finding rows by a field (a holder's name prefix, a phone's keyed hash) goes through a
 * multi-entry index of the bucket records over their rows' values of that field (`Bucket.f`,
 * declared in synced-stores.ts): a search reads as many index entries and buckets as it returns
 * rows, whatever the size of the copy, and nothing has to be built or kept in memory first.
 *
 * A rebuild does not write buckets page by page (every page would touch most of them): each page
 * is staged whole in `rebuildStage`, with its cursor, and the staged rows are sorted into buckets
 * once the last page is in, before the switch (apply.ts).
 *
 * The bucket of an id must never change for an installed kiosk: BUCKETS and bucketOf are part
 * of the database schema.
 */
import type { PromiseExtended } from 'dexie';
import type { SyncedRow, SyncedTable } from '../domain/sync/tables';
import type { FeedState, KioskDb } from './db';
import {
  finderFields,
  finderPath,
  SYNCED_STORES,
  type StoredRow,
  type SyncedStoreSpec,
  type TableSet,
} from './synced-stores';

export const BUCKETS = 1024;

/** What a store record holds: the rows of one bucket by id. */
export interface Bucket {
  id: number;
  rows: Map<string, { v: number; d: unknown }>;
  /** Per finder field of the table: the distinct values its rows hold (multi-entry indexed). */
  f?: Record<string, string[]>;
}

/** FNV-1a over the id's UTF-16 code units, folded to a bucket number. */
export function bucketOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % BUCKETS;
}

/** A change to apply: a row put at a version, or deleted. */
export interface RowChange {
  table: SyncedTable;
  id: string;
  version: number;
  deleted: boolean;
  data?: unknown;
}

type Row<T extends SyncedTable> = StoredRow<SyncedRow<T>>;

/** Rows are validated against the table's schema before they are written (sync/validate.ts). */
const toRow = <T extends SyncedTable>(id: string, r: { v: number; d: unknown }): Row<T> => ({
  id,
  v: r.v,
  d: r.d as SyncedRow<T>,
});

/*
 * The readers below run inside callers' transactions (a verdict's lookup, a slip's check in the
 * recording's own transaction). They return Dexie's promises, chained with `then`, not native
 * async functions: Dexie follows its transaction across a native `await` only a few levels deep,
 * and a read that loses it runs outside, while the caller's transaction commits under it
 * (PrematureCommitError).
 */

/** The table set the gate judges from. */
export function activeSet(db: KioskDb): PromiseExtended<TableSet> {
  return db.meta.get('feed').then((r) => (r?.v as FeedState | undefined)?.activeSet ?? 'a');
}

/** The community's settings as the gate holds them; null before the first sync. */
export function gateSettings(db: KioskDb): PromiseExtended<SyncedRow<'settings'> | null> {
  return db.meta
    .get('feed')
    .then((r) => r?.v as FeedState | undefined)
    .then((feed) =>
      feed ? getRow(db, 'settings', feed.activeSet, 'community').then((r) => r?.d ?? null) : null,
    );
}

export function getRow<T extends SyncedTable>(
  db: KioskDb,
  table: T,
  set: TableSet,
  id: string,
): PromiseExtended<Row<T> | undefined> {
  return db
    .synced(table, set)
    .get(bucketOf(id))
    .then((b) => {
      const r = b?.rows.get(id);
      return r ? toRow<T>(id, r) : undefined;
    });
}

/** The rows of these ids that exist, in the order asked. */
export function getRows<T extends SyncedTable>(
  db: KioskDb,
  table: T,
  set: TableSet,
  ids: readonly string[],
): PromiseExtended<Array<Row<T>>> {
  const numbers = [...new Set(ids.map(bucketOf))];
  return db
    .synced(table, set)
    .bulkGet(numbers)
    .then((found) => {
      const buckets = new Map(found.flatMap((b) => (b ? [[b.id, b] as const] : [])));
      return ids.flatMap((id) => {
        const r = buckets.get(bucketOf(id))?.rows.get(id);
        return r ? [toRow<T>(id, r)] : [];
      });
    });
}

/** Every row of a table (in no particular order), or the first `limit` that pass `where`. */
export function allRows<T extends SyncedTable>(
  db: KioskDb,
  table: T,
  set: TableSet,
  opts: { where?: (row: Row<T>) => boolean; limit?: number } = {},
): PromiseExtended<Array<Row<T>>> {
  const out: Array<Row<T>> = [];
  const limit = opts.limit ?? Infinity;
  return db
    .synced(table, set)
    .toCollection()
    .until(() => out.length >= limit)
    .each((b) => {
      for (const [id, r] of b.rows) {
        const row = toRow<T>(id, r);
        if (out.length < limit && (!opts.where || opts.where(row))) out.push(row);
      }
    })
    .then(() => out);
}

/**
 * Rows whose `field` (a finder of the table, synced-stores.ts) starts with `prefix` or equals
 * `equals`, the first `limit` in the field's order. Reads at most `limit` index entries and as
 * many buckets: an entry stands for every row of its bucket with that value, and there are no
 * more entries before a row's own than rows before it.
 */
export function findRows<T extends SyncedTable>(
  db: KioskDb,
  table: T,
  set: TableSet,
  field: keyof SyncedRow<T> & string,
  match: { prefix: string } | { equals: string },
  limit: number,
): PromiseExtended<Array<Row<T>>> {
  const store = db.synced(table, set);
  const where = store.where(finderPath(field));
  const entries = 'prefix' in match ? where.startsWith(match.prefix) : where.equals(match.equals);
  const hit = (v: unknown): v is string =>
    typeof v === 'string' && ('prefix' in match ? v.startsWith(match.prefix) : v === match.equals);
  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return entries
    .limit(limit)
    .primaryKeys()
    .then((numbers) => store.bulkGet([...new Set(numbers)]))
    .then((buckets) => {
      const found: Array<{ key: string; row: Row<T> }> = [];
      for (const b of buckets) {
        for (const [id, r] of b?.rows ?? []) {
          const key = (r.d as Record<string, unknown>)[field];
          if (hit(key)) found.push({ key, row: toRow<T>(id, r) });
        }
      }
      return found
        .sort((x, y) => order(x.key, y.key) || order(x.row.id, y.row.id))
        .slice(0, limit)
        .map((x) => x.row);
    });
}

/** Sorts changes, in order, into buckets (a later change of an id wins; a delete removes it). */
export function intoBuckets(
  changes: Iterable<{ id: string; version: number; deleted: boolean; data?: unknown }>,
  start: Map<number, Bucket> = new Map(),
): Map<number, Bucket> {
  for (const c of changes) {
    const n = bucketOf(c.id);
    let b = start.get(n);
    if (!b) start.set(n, (b = { id: n, rows: new Map() }));
    if (c.deleted) b.rows.delete(c.id);
    else b.rows.set(c.id, { v: c.version, d: c.data });
  }
  return start;
}

/**
 * The records to store for a table's non-empty buckets, with their finder values (the index
 * reads them from `f`). Every write of a bucket goes through here.
 */
export function bucketRecords(spec: SyncedStoreSpec, buckets: Iterable<Bucket>): Bucket[] {
  const fields = finderFields(spec);
  const out: Bucket[] = [];
  for (const b of buckets) {
    if (b.rows.size === 0) continue;
    if (fields.length === 0) {
      out.push({ id: b.id, rows: b.rows });
      continue;
    }
    const f: Record<string, string[]> = {};
    for (const field of fields) {
      const values = new Set<string>();
      for (const r of b.rows.values()) {
        const v = (r.d as Record<string, unknown>)[field];
        if (typeof v === 'string') values.add(v);
      }
      f[field] = [...values];
    }
    out.push({ id: b.id, rows: b.rows, f });
  }
  return out;
}

/**
 * Applies changes to a set's buckets: reads the buckets they touch, changes them, writes them
 * back. Must run inside a transaction that holds the touched stores.
 */
export async function writeChanges(db: KioskDb, set: TableSet, changes: readonly RowChange[]) {
  const byTable = new Map<SyncedTable, RowChange[]>();
  for (const c of changes) {
    const list = byTable.get(c.table);
    if (list) list.push(c);
    else byTable.set(c.table, [c]);
  }
  for (const [table, list] of byTable) {
    const store = db.synced(table, set);
    const numbers = [...new Set(list.map((c) => bucketOf(c.id)))];
    const existing = await store.bulkGet(numbers);
    const buckets = intoBuckets(
      list,
      new Map(existing.flatMap((b) => (b ? [[b.id, b] as const] : []))),
    );
    const empty = [...buckets.values()].filter((b) => b.rows.size === 0).map((b) => b.id);
    if (empty.length) await store.bulkDelete(empty);
    await store.bulkPut(bucketRecords(SYNCED_STORES[table], buckets.values()));
  }
}
