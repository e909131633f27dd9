/**
 * The rows of the synced tables, kept in buckets, and the one way to read them: each
 * `<table>_<set>` store holds up to BUCKETS records, and a row lives in the bucket its id hashes
 * to. Chromium's IndexedDB costs about the same per record whatever its size (a request to the
 * storage process and a LevelDB entry each, some 0.3 ms of CPU on a small machine), so 100,000
 * cards as 100,000 records take tens of seconds to write, and as a few thousand buckets a few.
 * 4,096 buckets rather than 1,024 (measured in one run): the initial sync writes some 0.5 s more,
 * a change rewrites a bucket of about 25 rows instead of 100 (100 changed cards 3–4× quicker), and
 * a lookup reads a quarter of the rows.
 *
 * Finding rows by a field (a holder's name prefix, a phone's keyed hash) goes through the set's
 * finder store (finder.ts), which every write here keeps in step.
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
import { findIds, updateFinder, type RowWrite } from './finder';
import type { StoredRow, TableSet } from './synced-stores';

export const BUCKETS = 4096;

/** What a store record holds: the rows of one bucket by id. */
export interface Bucket {
  id: number;
  rows: Map<string, { v: number; d: unknown }>;
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
 * `equals`, the first `limit` in (value, id) order: one or two finder chunks, then the rows'
 * buckets.
 */
export function findRows<T extends SyncedTable>(
  db: KioskDb,
  table: T,
  set: TableSet,
  field: keyof SyncedRow<T> & string,
  match: { prefix: string } | { equals: string },
  limit: number,
): PromiseExtended<Array<Row<T>>> {
  return findIds(db.finder(set), table, field, match, limit).then((ids) =>
    getRows(db, table, set, ids),
  );
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
    const existing = new Map(
      (await store.bulkGet(numbers)).flatMap((b) => (b ? [[b.id, b] as const] : [])),
    );
    const ids = [...new Set(list.map((c) => c.id))];
    const before = ids.map((id) => existing.get(bucketOf(id))?.rows.get(id)?.d);
    const buckets = intoBuckets(list, existing);
    const writes: RowWrite[] = ids.map((id, i) => ({
      id,
      before: before[i],
      after: buckets.get(bucketOf(id))?.rows.get(id)?.d,
    }));
    const all = [...buckets.values()];
    const empty = all.filter((b) => b.rows.size === 0).map((b) => b.id);
    if (empty.length) await store.bulkDelete(empty);
    await store.bulkPut(all.filter((b) => b.rows.size > 0));
    await updateFinder(db.finder(set), table, writes);
  }
}
