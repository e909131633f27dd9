/**
 * The rows of the synced tables, kept in buckets: each `<table>_<set>` store holds up to BUCKETS
 * records, and a row lives in the bucket its id hashes to. Chromium's IndexedDB costs about the
 * same per record whatever its size (a request to the storage process and a LevelDB entry each,
 * some 0.3 ms of CPU on a small machine), so 100,000 cards as 100,000 records take tens of
 * seconds to write, and as a thousand buckets well under one. A lookup reads one bucket
 * (about a hundred rows at 100,000 cards).
 *
 * A rebuild does not write buckets page by page (every page would touch most of them): each page
 * is staged whole in `rebuildStage`, with its cursor, and the staged rows are sorted into buckets
 * once the last page is in, before the switch (apply.ts).
 *
 * The bucket of an id must never change for an installed kiosk: BUCKETS and bucketOf are part
 * of the database schema.
 */
import type { SyncedTable } from '../domain/sync/tables';
import type { KioskDb } from './db';
import type { StoredRow, TableSet } from './synced-stores';

export const BUCKETS = 1024;

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

const toRow = (id: string, r: { v: number; d: unknown }): StoredRow => ({ id, v: r.v, d: r.d });

export async function getRow(
  db: KioskDb,
  table: SyncedTable,
  set: TableSet,
  id: string,
): Promise<StoredRow | undefined> {
  const bucket = await db.synced(table, set).get(bucketOf(id));
  const r = bucket?.rows.get(id);
  return r ? toRow(id, r) : undefined;
}

export async function getRows(
  db: KioskDb,
  table: SyncedTable,
  set: TableSet,
  ids: readonly string[],
): Promise<Array<StoredRow | undefined>> {
  const numbers = [...new Set(ids.map(bucketOf))];
  const buckets = new Map(
    (await db.synced(table, set).bulkGet(numbers)).flatMap((b) => (b ? [[b.id, b] as const] : [])),
  );
  return ids.map((id) => {
    const r = buckets.get(bucketOf(id))?.rows.get(id);
    return r ? toRow(id, r) : undefined;
  });
}

export async function allRows(
  db: KioskDb,
  table: SyncedTable,
  set: TableSet,
): Promise<StoredRow[]> {
  const out: StoredRow[] = [];
  await db.synced(table, set).each((b) => {
    for (const [id, r] of b.rows) out.push(toRow(id, r));
  });
  return out;
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
    const existing = await store.bulkGet(numbers);
    const buckets = intoBuckets(
      list,
      new Map(existing.flatMap((b) => (b ? [[b.id, b] as const] : []))),
    );
    const empty = [...buckets.values()].filter((b) => b.rows.size === 0).map((b) => b.id);
    if (empty.length) await store.bulkDelete(empty);
    await store.bulkPut([...buckets.values()].filter((b) => b.rows.size > 0));
  }
}
