/**
 * Finding synced rows by a field without a row-level index: the holder whose name starts with
 * what the guard typed, the card whose phone hash matches. For every finder field of every table
 * (synced-stores.ts `indexes`), the `finder_<set>` store holds the sorted list of (value, row id)
 * entries, cut into chunks of about CHUNK entries, each record keyed by its first entry.
 *
 * Why not an IndexedDB index: Chromium pays per record and per index entry, and a multi-entry
 * index of the card buckets over 100,000 names and phone hashes added 6–7 s to the initial sync
 * (measured: same browser, same run). Here 100,000 cards' finders are some 800 records written
 * once, a search reads one or two, and a changed row rewrites the one or two chunks it is in.
 *
 * Invariants: the entries of one table's field, read chunk after chunk in key order, are sorted
 * and unique; a chunk is never empty; an entry exists exactly for each row holding a string in
 * that field. Every write of a synced row updates its entries in the same transaction (apply.ts,
 * synced-rows.ts), so the finder can never disagree with the rows.
 */
import Dexie, { type Table } from 'dexie';
import type { SyncedTable } from '../domain/sync/tables';
import { finderFields, SYNCED_STORES } from './synced-stores';

/** Entries a chunk holds after a rebuild or a split; a chunk is split beyond twice that. */
export const CHUNK = 256;

type Entry = [value: string, id: string];
export type FinderKey = [table: string, field: string, value: string, id: string];
export interface FinderChunk {
  k: FinderKey;
  e: Entry[];
}

const cmpEntry = (a: Entry, b: Entry) =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;

const fieldValue = (row: unknown, field: string): string | undefined => {
  const v = (row as Record<string, unknown> | undefined)?.[field];
  return typeof v === 'string' ? v : undefined;
};

/** Cuts sorted entries into chunks of CHUNK, keyed by their first entry. */
function chunksOf(table: string, field: string, entries: Entry[]): FinderChunk[] {
  const out: FinderChunk[] = [];
  const pieces = Math.ceil(entries.length / CHUNK);
  for (let i = 0; i < pieces; i++) {
    const e = entries.slice(
      Math.floor((i * entries.length) / pieces),
      Math.floor(((i + 1) * entries.length) / pieces),
    );
    out.push({ k: [table, field, ...e[0]!], e });
  }
  return out;
}

const fieldRange = (table: string, field: string) =>
  [
    [table, field, Dexie.minKey],
    [table, field, Dexie.maxKey],
  ] as const;

type FinderStore = Table<FinderChunk, FinderKey>;

/**
 * Replaces a table's finder entries in a set's finder store with those of `rows` (the whole
 * table, after a rebuild or an upgrade). Runs inside a transaction that holds the store.
 */
export async function buildFinder(
  store: FinderStore,
  table: SyncedTable,
  rows: Iterable<[id: string, data: unknown]>,
): Promise<void> {
  const fields = finderFields(SYNCED_STORES[table]);
  if (fields.length === 0) return;
  const entries = new Map(fields.map((f) => [f, [] as Entry[]]));
  for (const [id, d] of rows) {
    for (const f of fields) {
      const v = fieldValue(d, f);
      if (v !== undefined) entries.get(f)!.push([v, id]);
    }
  }
  for (const f of fields) {
    const [lo, hi] = fieldRange(table, f);
    await store.where('k').between(lo, hi, true, true).delete();
    await store.bulkPut(chunksOf(table, f, entries.get(f)!.sort(cmpEntry)));
  }
}

/** A row's value before and after a write (undefined: no row). */
export interface RowWrite {
  id: string;
  before: unknown;
  after: unknown;
}

/**
 * Moves the finder entries of written rows. Runs inside the transaction that writes the rows and
 * holds the set's finder store.
 */
export async function updateFinder(
  store: FinderStore,
  table: SyncedTable,
  writes: readonly RowWrite[],
): Promise<void> {
  for (const field of finderFields(SYNCED_STORES[table])) {
    const ops: Array<{ entry: Entry; add: boolean }> = [];
    for (const w of writes) {
      const before = fieldValue(w.before, field);
      const after = fieldValue(w.after, field);
      if (before === after) continue;
      if (before !== undefined) ops.push({ entry: [before, w.id], add: false });
      if (after !== undefined) ops.push({ entry: [after, w.id], add: true });
    }
    if (ops.length === 0) continue;
    const [lo, hi] = fieldRange(table, field);
    // Each entry belongs to the last chunk that starts at or before it; one before every chunk
    // goes into the first chunk.
    const homes = await Promise.all(
      ops.map((op) =>
        store
          .where('k')
          .between(lo, [table, field, ...op.entry], true, true)
          .last(),
      ),
    );
    const first = homes.includes(undefined)
      ? await store.where('k').between(lo, hi).first()
      : undefined;
    const touched = new Map<string, FinderChunk>();
    const fresh: FinderChunk = { k: [table, field, '', ''], e: [] };
    ops.forEach((op, i) => {
      const home = homes[i] ?? first;
      if (!home && !op.add) return;
      const key = home ? JSON.stringify(home.k) : '';
      let chunk = touched.get(key);
      if (!chunk) touched.set(key, (chunk = home ? { k: home.k, e: [...home.e] } : fresh));
      const at = lowerBound(chunk.e, op.entry);
      const present = at < chunk.e.length && cmpEntry(chunk.e[at]!, op.entry) === 0;
      if (op.add && !present) chunk.e.splice(at, 0, op.entry);
      if (!op.add && present) chunk.e.splice(at, 1);
    });
    const old = [...touched.values()].filter((c) => c !== fresh).map((c) => c.k);
    if (old.length) await store.bulkDelete(old);
    await store.bulkPut(
      [...touched.values()].flatMap((c) =>
        c.e.length === 0
          ? []
          : c.e.length > 2 * CHUNK
            ? chunksOf(table, field, c.e)
            : [{ k: [table, field, ...c.e[0]!] as FinderKey, e: c.e }],
      ),
    );
  }
}

/** The first index in sorted `entries` not below `entry`. */
function lowerBound(entries: Entry[], entry: Entry): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmpEntry(entries[mid]!, entry) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Ids of the rows whose `field` starts with `prefix` (or equals `equals`), the first `limit` in
 * (value, id) order. Returns Dexie's promise, for callers inside a transaction (synced-rows.ts).
 */
export function findIds(
  store: FinderStore,
  table: SyncedTable,
  field: string,
  match: { prefix: string } | { equals: string },
  limit: number,
) {
  const start = 'prefix' in match ? match.prefix : match.equals;
  const hit = (v: string) => ('prefix' in match ? v.startsWith(match.prefix) : v === match.equals);
  const ids: string[] = [];
  let done = limit <= 0;
  const take = (c: FinderChunk | undefined) => {
    for (const [v, id] of c?.e ?? []) {
      if (done) return;
      if (v < start) continue;
      if (!hit(v)) done = true;
      else if (ids.push(id) >= limit) done = true;
    }
  };
  const from: FinderKey | [string, string, string] = [table, field, start];
  return store
    .where('k')
    .between([table, field, Dexie.minKey], from, true, true)
    .last()
    .then((head) => {
      take(head);
      return store
        .where('k')
        .between(from, [table, field, `${start}\uffff`], true, true)
        .until(() => done)
        .each(take);
    })
    .then(() => ids);
}
