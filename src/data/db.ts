/**
 * The kiosk's IndexedDB database (Dexie): two sets of the synced tables, the photos, the meta
 * record, the outbox, the acknowledged events kept for a while, the dead letter, and the gate's
 * registers.
 *
 * Schema changes: add a store (or an index) by declaring a new `version(n)` with the complete
 * store list; Dexie upgrades an installed kiosk in place and never touches stores it is not told
 * to delete, so the outbox survives every upgrade. Never delete or rename `outbox`, `sent`,
 * `deadLetter` or `meta` (a test opens a database of the previous version and checks it).
 *
 * Durability: the page opens the database with strict durability, so a write promise resolves
 * only once the data is on disk (a "saved" shown to the guard survives a power cut). The sync
 * worker opens its own connection with relaxed durability: each page it applies is atomic with
 * its cursor, so losing the last one to a power cut only means pulling it again.
 */
import Dexie, { type Table, type Transaction } from 'dexie';
import type { Sealed } from '../domain/seal';
import type { PassagePayload } from '../domain/events';
import type { LockoutState } from '../domain/pin';
import type { Cursor, GateEvent } from '../domain/sync/protocol';
import type {
  EntryMode,
  ExitMethod,
  VisitorEntryPayload,
  VisitReason,
} from '../domain/visitor/entry';
import type { SyncedTable } from '../domain/sync/tables';
import { START_CURSOR } from '../domain/sync/protocol';
import { buildFinder, type FinderChunk, type FinderKey } from './finder';
import { intoBuckets, type Bucket, type RowChange } from './synced-rows';
import {
  finderName,
  SYNCED_STORES,
  storeName,
  type SyncedStoreSpec,
  type TableSet,
} from './synced-stores';

export const DEFAULT_DB_NAME = 'gatepost-kiosk';

/** An event waiting for the server's answer (the wire event plus its installation). */
export interface OutboxEvent extends GateEvent {
  inst: string;
  /** Failed deliveries, and the last error, for the supervisor's view. */
  attempts: number;
  lastError: string;
}

/** An event the server acknowledged, kept for the guard to look up until retention ends. */
export interface SentEvent extends GateEvent {
  inst: string;
  status: 'accepted' | 'duplicate';
  ackedAt: number;
}

export interface DeadEvent extends GateEvent {
  inst: string;
  reason: string;
  rejectedAt: number;
}

export interface PhotoRow {
  hash: string;
  type: string;
  bytes: ArrayBuffer;
  fetchedAt: number;
}

/** The first gate register: a guard's free note (event `kiosk.note`). */
export interface NoteRow {
  id: string;
  text: string;
  at: number;
  guardId: string | null;
}

/**
 * The visitor register at this gate (event `visitor.entry`, closed by `visitor.exit`). The ID number
 * is here only masked, as a keyed hash and sealed to the office; the phone only masked and as a
 * keyed hash (for finding a returning visitor). Purged after the retention period once acknowledged.
 */
export interface VisitorRow {
  id: string;
  at: number;
  guardId: string | null;
  name: string;
  idType: VisitorEntryPayload['idType'];
  idMasked: string;
  idHash: string | null;
  idSealed: Sealed | null;
  phoneHash: string | null;
  phoneMasked: string;
  householdId: string;
  reason: VisitReason;
  persons: number;
  plate: string;
  invitationSerial: number | null;
  watch: VisitorEntryPayload['watch'];
  mode: EntryMode;
  admitted: boolean;
  exitAt: number | null;
  exitMethod: ExitMethod | null;
}

/** The passage register: one row per verdict, written with its `passage` event. */
export interface PassageRow extends PassagePayload {
  id: string;
  at: number;
  guardId: string | null;
  /** For the guard's list of recent passages; the office has it from the card. */
  holderName: string;
}

/** The slip register: the guard's check of a release slip, written with its `slip.use` event. */
export interface SlipCheckRow {
  id: string;
  serial: number;
  at: number;
  outcome: 'pass' | 'partial' | 'refuse';
  lines: Array<{ index: number; passed: number }>;
  reason: string | null;
  note: string;
  carrierName: string;
  hasPhoto: boolean;
  guardId: string | null;
  /** This kiosk's name when it recorded (the "where" of "already used here"). */
  device: string;
}

/** Goods stopped without a slip, written with its `goods.refused` event. */
export interface GoodsRefusalRow {
  id: string;
  at: number;
  householdId: string | null;
  unitText: string;
  description: string;
  hasPhoto: boolean;
  guardId: string | null;
}

/** The outing register (4.3.3.3): one row per `outing.out` or `outing.back` event. */
export interface OutingRow {
  id: string;
  residentId: string;
  householdId: string;
  kind: 'out' | 'back';
  outingId: string;
  at: number;
  expectedBack: number | null;
  takenBy: string;
  note: string;
  guardId: string | null;
}

/**
 * An incident recorded here, for the shift's handover list: what, where and when, never the
 * account, the signatures or the photos (those leave with the event and are not kept here).
 */
export interface IncidentRow {
  id: string;
  at: number;
  occurredAt: number;
  type: string;
  unit: string;
  guardId: string | null;
}

/**
 * The shift register at this gate: one row per `shift.start` or `shift.end` event. The shift on
 * duty is the latest started one whose end is not recorded (data/shifts.ts).
 */
export interface ShiftRow {
  id: string;
  kind: 'start' | 'end';
  shiftId: string;
  guardId: string;
  /** The guard's name when the row was written, for the handover sheet. */
  name: string;
  at: number;
}

export interface DeviceCredential {
  deviceId: string;
  name: string;
  token: string;
  communityId: number;
  /** The community's root public key (raw, base64url) pinned at enrollment. */
  rootPublicKey: string;
  fingerprint: string;
  enrolledAt: number;
}

export interface FeedState {
  epoch: string;
  cursor: Cursor;
  activeSet: TableSet;
  /** The head the server reported with the last page. */
  head: number;
}

export interface RebuildState {
  set: TableSet;
  epoch: string;
  cursor: Cursor;
  /** Rows the server said the rebuild has to fetch (first page), and rows applied so far. */
  total: number | null;
  done: number;
  startedAt: number;
  /** Pages staged so far (each page's rows wait in `rebuildStage` until the last one is in). */
  pages: number;
  /** Set with the last page: the head to switch to once the staged rows are in the set. */
  complete: { head: number } | null;
}

/** One table's rows of one staged rebuild page. */
export interface StagedRows {
  t: SyncedTable;
  s: number;
  changes: RowChange[];
}

export interface Problem {
  detail: string;
  at: number;
}

/** Every meta key and its value's type. */
export interface MetaValues {
  device: DeviceCredential;
  deviceState: 'active' | 'revoked' | 'unauthorized';
  installation: { id: string; nextSeq: number; createdAt: number; announced: boolean };
  feed: FeedState;
  rebuild: RebuildState | null;
  /** The revocation stream's own position (revocations and the key list travel first). */
  priority: { epoch: string; cursor: Cursor };
  /** Milliseconds: the end of the last pull that reached the server's head. */
  lastPullAt: number;
  lastGoodRequestAt: number;
  /** max(server time seen, latest local time), milliseconds; never goes back. */
  trustedNow: number;
  trustedKeyList: { seq: number; payload: string; signature: string };
  updateRequired: Problem | null;
  keyListRefused: Problem | null;
  storage: { usage: number; quota: number; persisted: boolean; at: number; reportedAt: number };
  /** Wrong supervisor PINs at this kiosk (an override of a red verdict), for the lockout. */
  supervisorPinLockout: LockoutState;
  /** Wrong PINs starting or ending a shift at this kiosk, for its own lockout. */
  shiftPinLockout: LockoutState;
}
export type MetaKey = keyof MetaValues;

export interface MetaRow {
  k: string;
  v: unknown;
}

export type Durability = 'strict' | 'relaxed';

/** The whole store list of the current schema, from the synced-table registry. */
export function schemaStores(
  registry: Readonly<Record<string, SyncedStoreSpec>> = SYNCED_STORES,
): Record<string, string> {
  const stores: Record<string, string> = {
    meta: 'k',
    outbox: 'id, [inst+seq]',
    sent: 'id, [inst+seq], ackedAt',
    deadLetter: 'id, [inst+seq]',
    photos: 'hash',
    photoWant: 'hash',
    notes: 'id, at',
    visitors: 'id, at, phoneHash, invitationSerial',
    passages: 'id, at',
    slipChecks: 'id, serial, at',
    goodsRefusals: 'id, at',
    outings: 'id, residentId, at',
    incidents: 'id, at',
    shifts: 'id, at, shiftId',
    rebuildStage: '[t+s]',
    [finderName('a')]: 'k',
    [finderName('b')]: 'k',
  };
  for (const table of Object.keys(registry)) {
    for (const set of ['a', 'b'] as const) stores[storeName(table, set)] = 'id';
  }
  return stores;
}

/**
 * 2: the passage register, the guard table, card indexes for finding a holder by hand.
 * 3: the visitor register; the release slip table, the slip register and goods refused without a
 *    slip.
 * 4: the outing, incident and shift registers, the careResident table.
 * 5: synced rows in buckets (synced-rows.ts), the finder stores in place of row indexes
 *    (finder.ts), and the rebuild's staged pages.
 */
export const SCHEMA_VERSION = 5;
const BUCKETED_SINCE = 5;

/**
 * From 1–4: every synced store held one record per row; those become buckets in place (the gate
 * keeps its data), and a rebuild in progress starts again (its pages were not staged).
 */
async function rowsIntoBuckets(tx: Transaction) {
  for (const table of SYNCED_TABLE_LIST) {
    for (const set of ['a', 'b'] as const) {
      const store = tx.table(storeName(table, set));
      const rows = (await store.toArray()) as Array<{ id: string; v: number; d: unknown }>;
      if (rows.length === 0) continue;
      await store.clear();
      const changes = rows.map((r) => ({ id: r.id, version: r.v, deleted: false, data: r.d }));
      await store.bulkPut([...intoBuckets(changes).values()]);
      await buildFinder(
        tx.table(finderName(set)),
        table,
        rows.map((r) => [r.id, r.d]),
      );
    }
  }
  const meta = tx.table('meta');
  const rebuild = (await meta.get('rebuild'))?.v as RebuildState | null | undefined;
  if (rebuild) {
    for (const table of SYNCED_TABLE_LIST) await tx.table(storeName(table, rebuild.set)).clear();
    await tx.table(finderName(rebuild.set)).clear();
    await meta.put({
      k: 'rebuild',
      v: { ...rebuild, cursor: START_CURSOR, total: null, done: 0, pages: 0, complete: null },
    });
  }
}

export class KioskDb extends Dexie {
  meta!: Table<MetaRow, string>;
  outbox!: Table<OutboxEvent, string>;
  sent!: Table<SentEvent, string>;
  deadLetter!: Table<DeadEvent, string>;
  photos!: Table<PhotoRow, string>;
  photoWant!: Table<{ hash: string }, string>;
  notes!: Table<NoteRow, string>;
  visitors!: Table<VisitorRow, string>;
  passages!: Table<PassageRow, string>;
  slipChecks!: Table<SlipCheckRow, string>;
  goodsRefusals!: Table<GoodsRefusalRow, string>;
  outings!: Table<OutingRow, string>;
  incidents!: Table<IncidentRow, string>;
  shifts!: Table<ShiftRow, string>;
  rebuildStage!: Table<StagedRows, [string, number]>;

  constructor(
    name: string = DEFAULT_DB_NAME,
    opts: {
      durability?: Durability;
      /** For upgrade tests: declare other schemas (a version and its stores). */
      versions?: ReadonlyArray<{ version: number; stores: Record<string, string> }>;
    } = {},
  ) {
    // No query cache: recordings are written past Dexie's transactions (outbox.ts) and announced
    // with `storagemutated`, which re-runs live queries but does not clear Dexie's cached results.
    // Measured without it: no slower.
    super(name, { chromeTransactionDurability: opts.durability ?? 'strict', cache: 'disabled' });
    const versions = opts.versions ?? [{ version: SCHEMA_VERSION, stores: schemaStores() }];
    for (const v of versions) {
      const declared = this.version(v.version).stores(v.stores);
      if (v.version === BUCKETED_SINCE) declared.upgrade(rowsIntoBuckets);
    }
  }

  synced<T extends SyncedTable>(table: T, set: TableSet): Table<Bucket, number> {
    return this.table(storeName(table, set));
  }

  finder(set: TableSet): Table<FinderChunk, FinderKey> {
    return this.table(finderName(set));
  }

  async getMeta<K extends MetaKey>(key: K): Promise<MetaValues[K] | undefined> {
    return (await this.meta.get(key))?.v as MetaValues[K] | undefined;
  }

  putMeta<K extends MetaKey>(key: K, value: MetaValues[K]): Promise<string> {
    return this.meta.put({ k: key, v: value });
  }
}

export const SYNCED_TABLE_LIST = Object.keys(SYNCED_STORES) as SyncedTable[];
