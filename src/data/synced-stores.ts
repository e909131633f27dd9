/**
 * The kiosk's stores for the tables the office sends (src/domain/sync/tables.ts), one entry per
 * synced table. Adding a synced table to the contract is a type error here until it has its
 * entry, and the entry is all the kiosk database needs: both table sets get the store.
 *
 * A row is `{ id, v, d }`: the row id, the version that last wrote it, and the row in its wire
 * shape (kept apart from `id` and `v` so no field of a row can collide with them). The stores hold
 * rows in buckets (src/data/synced-rows.ts): a field named in `indexes` becomes a multi-entry
 * index of the bucket records over the values of their rows (`findRows`).
 */
import type { SyncedTable } from '../domain/sync/tables';

export interface SyncedStoreSpec {
  /** Top-level string fields of a row to find rows by, comma-separated; '' for none. */
  indexes: string;
}

/** The fields a spec finds rows by. */
export const finderFields = (spec: SyncedStoreSpec): string[] =>
  spec.indexes
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');

/** Where a bucket record keeps a finder field's values (see synced-rows.ts `Bucket.f`). */
export const finderPath = (field: string) => `f.${field}`;

export const SYNCED_STORES: Readonly<Record<SyncedTable, SyncedStoreSpec>> = {
  revocation: { indexes: '' },
  keyList: { indexes: '' },
  settings: { indexes: '' },
  household: { indexes: '' },
  keyHousehold: { indexes: '' },
  // Finding a holder by hand (the manual fallback): by name prefix, or by the phone's keyed hash.
  card: { indexes: 'holderName, phoneMatch' },
  guard: { indexes: '' },
  invitation: { indexes: '' },
  watch: { indexes: '' },
  slip: { indexes: '' },
};

/** The two table sets: the gate judges from the active one while a reset rebuilds the other. */
export type TableSet = 'a' | 'b';
export const otherSet = (s: TableSet): TableSet => (s === 'a' ? 'b' : 'a');
export const storeName = (table: string, set: TableSet) => `${table}_${set}`;

export interface StoredRow<D = unknown> {
  id: string;
  v: number;
  d: D;
}
