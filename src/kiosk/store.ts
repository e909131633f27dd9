/**
 * The kiosk's state as signals: what the database says (meta, pending events, the community's
 * settings) through Dexie live queries, which also see the sync worker's writes, and what the
 * worker says about the network. The screens read only these.
 */
import { signal } from '@preact/signals';
import { liveQuery } from 'dexie';
import { backedUpCredential, backUpCredential } from '../data/credential-backup';
import { KioskDb, type MetaKey, type MetaValues } from '../data/db';
import { storeCredential } from '../data/enrollment';
import { ensureInstallation } from '../data/outbox';
import { activeSet, gateSettings } from '../data/synced-rows';
import type { TableSet } from '../data/synced-stores';
import { currentShift } from '../data/shifts';
import type { EngineStatus } from '../data/sync/engine';
import type { SyncedRow } from '../domain/sync/tables';
import { startSyncWorker, type SyncClient } from '../data/sync-client';
import { guardOnDuty } from './duty';

export const APP_VERSION = '0.1.0';

/**
 * The meta keys the screens read. Not the ones written at every recording (installation, trusted
 * time) or every pulled page (feed and revocation cursors): a change of a watched key reads the
 * keys again and renders the app again, which would then sit between a guard's Save and its
 * "saved" and run for every page of a sync. Judging reads the trusted time itself.
 */
const SCREEN_META = [
  'device',
  'deviceState',
  'rebuild',
  'lastPullAt',
  'lastGoodRequestAt',
  'trustedKeyList',
  'updateRequired',
  'keyListRefused',
  'storage',
  'shiftPinLockout',
] as const satisfies ReadonlyArray<MetaKey>;

export type MetaSnapshot = Partial<Pick<MetaValues, (typeof SCREEN_META)[number]>>;

export const db = new KioskDb();
export const meta = signal<MetaSnapshot | null>(null);
/** Events not yet acknowledged; null until the database has answered (never a false 0). */
export const pending = signal<number | null>(null);
/**
 * The table set the gate judges from, null before the database answered. A signal changes only
 * when the value does, so live queries over one set's rows follow it without running again at
 * every pulled page (which rewrites the feed record that holds it).
 */
export const activeTableSet = signal<TableSet | null>(null);
/** The community's settings row (thresholds, time zone), as the office last sent it. */
export const thresholds = signal<SyncedRow<'settings'> | null>(null);
export const engine = signal<EngineStatus | null>(null);
export const clock = signal(Date.now());
/** A supervisor chose to enroll this kiosk again. */
export const reenrolling = signal(false);

let client: SyncClient | null = null;

/** Starts (or restarts, after an enrollment) background sync. */
export function startSync(): void {
  whenIdle(() => {
    // User Timing mark: the benchmark measures the main thread from here as "during the sync".
    performance.mark('gatepost.sync-start');
    client ??= startSyncWorker(
      APP_VERSION,
      (status) => (engine.value = status),
      () => undefined,
    );
    client.start();
  });
}

/**
 * Runs `fn` once the page has had a moment to itself (at most a second from now): the screen that
 * comes with a sync's start (the home screen after an enrollment, the app at start-up) is drawn
 * before the worker, the storage process and the network compete with it for a small tablet's
 * cores (they made its first layout a 100–140 ms task, measured with 100,000 cards to pull).
 */
export function whenIdle(fn: () => void): void {
  if ('requestIdleCallback' in globalThis) requestIdleCallback(fn, { timeout: 1000 });
  else setTimeout(fn, 0);
}

let nudgeTimer: ReturnType<typeof setTimeout> | null = null;
/** Nudges are gathered this long, so a burst of recordings is pushed in one batch. */
const NUDGE_GATHER_MS = 200;

/** Asks the worker to push soon: called after every recorded event. */
export function nudgeSync(): void {
  nudgeTimer ??= setTimeout(() => {
    nudgeTimer = null;
    client?.nudge();
  }, NUDGE_GATHER_MS);
}

function watch<T>(query: () => Promise<T>, set: (v: T) => void) {
  liveQuery(query).subscribe({ next: set, error: (e: unknown) => console.error(e) });
}

export async function initStore(): Promise<void> {
  // A database lost while the credential copy survived: the same device, a new installation.
  const device = await db.getMeta('device');
  const backup = backedUpCredential();
  if (!device && backup) await storeCredential(db, backup, Date.now());
  else if (device) {
    backUpCredential(device);
    await ensureInstallation(db, Date.now());
  }

  watch(
    async () => {
      const rows = await db.meta.bulkGet([...SCREEN_META]);
      return Object.fromEntries(rows.flatMap((r) => (r ? [[r.k, r.v]] : []))) as MetaSnapshot;
    },
    (v) => (meta.value = v),
  );
  // Read once before anything can be recorded, then followed: no record misses the guard on duty.
  guardOnDuty.value = await currentShift(db);
  watch(
    () => currentShift(db),
    (v) => (guardOnDuty.value = v),
  );
  watch(
    () => db.outbox.count(),
    (n) => (pending.value = n),
  );
  watch(
    () => gateSettings(db),
    (v) => (thresholds.value = v),
  );
  watch(
    () => activeSet(db),
    (v) => (activeTableSet.value = v),
  );
  setInterval(() => (clock.value = Date.now()), 15_000);
  if (await db.getMeta('device')) startSync();
}
