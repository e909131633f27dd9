/**
 * The kiosk's stores for the tables the office sends (src/domain/sync/tables.ts), one entry per
 * synced table. Adding a synced table to the contract is a type error here until it has its
 * entry, and the entry is all the kiosk database needs: both table sets get the store.
 *
 * A row is `{ id, v, d }`: the row id, the version that last wrote it, and the row in its wire
 * shape (kept apart from `id` and `v` so no field of a row can collide with them). The stores hold
 * rows in buckets (src/data/synced-rows.ts), so there are no row-level indexes: a field named in
 * `indexes` is kept sorted in the set's finder store instead (src/data/finder.ts, `findRows`).
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
  careResident: { indexes: '' },
};

/** The two table sets: the gate judges from the active one while a reset rebuilds the other. */
export type TableSet = 'a' | 'b';
export const otherSet = (s: TableSet): TableSet => (s === 'a' ? 'b' : 'a');
export const storeName = (table: string, set: TableSet) => `${table}_${set}`;
/** The store of a set's finder entries (src/data/finder.ts). */
export const finderName = (set: TableSet) => `finder_${set}`;

export interface StoredRow<D = unknown> {
  id: string;
  v: number;
  d: D;
}
