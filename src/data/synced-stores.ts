/**
 * The kiosk's stores for the tables the office sends (src/domain/sync/tables.ts), one entry per
 * synced table. Adding a synced table to the contract is a type error here until it has its
 * entry, and the entry is all the kiosk database needs: both table sets get the store.
 *
 * A stored row is `{ id, v, d }`: the row id, the version that last wrote it, and the row in its
 * wire shape (kept apart from `id` and `v` so no field of a row can collide with them).
 */
import type { SyncedTable } from '../domain/sync/tables';

export interface SyncedStoreSpec {
  /** Dexie index spec after the primary key (e.g. '*d.householdIds'); '' for none. */
  indexes: string;
}

export const SYNCED_STORES: Readonly<Record<SyncedTable, SyncedStoreSpec>> = {
  revocation: { indexes: '' },
  keyList: { indexes: '' },
  settings: { indexes: '' },
  household: { indexes: '' },
  keyHousehold: { indexes: '' },
  // Finding a holder by hand (the manual fallback): by name prefix, or by the phone's keyed hash.
  card: { indexes: 'd.holderName, d.phoneMatch' },
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

export interface StoredRow<D = unknown> {
  id: string;
  v: number;
  d: D;
}
