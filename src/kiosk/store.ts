/**
 * The kiosk's state as signals: what the database says (meta, pending events, the community's
 * settings) through Dexie live queries, which also see the sync worker's writes, and what the
 * worker says about the network. The screens read only these.
 */
import { signal } from '@preact/signals';
import { liveQuery } from 'dexie';
import { backedUpCredential, backUpCredential } from '../data/credential-backup';
import { KioskDb, type MetaValues } from '../data/db';
import { storeCredential } from '../data/enrollment';
import { ensureInstallation } from '../data/outbox';
import { currentShift } from '../data/shifts';
import type { EngineStatus } from '../data/sync/engine';
import type { SyncedRow } from '../domain/sync/tables';
import { startSyncWorker, type SyncClient } from '../data/sync-client';
import { guardOnDuty } from './duty';

export const APP_VERSION = '0.1.0';

export type MetaSnapshot = Partial<MetaValues>;

export const db = new KioskDb();
export const meta = signal<MetaSnapshot | null>(null);
/** Events not yet acknowledged; null until the database has answered (never a false 0). */
export const pending = signal<number | null>(null);
/** The community's settings row (thresholds, time zone), as the office last sent it. */
export const thresholds = signal<SyncedRow<'settings'> | null>(null);
export const engine = signal<EngineStatus | null>(null);
export const clock = signal(Date.now());
/** A supervisor chose to enroll this kiosk again. */
export const reenrolling = signal(false);

let client: SyncClient | null = null;

/** Starts (or restarts, after an enrollment) background sync. */
export function startSync(): void {
  client ??= startSyncWorker(
    APP_VERSION,
    (status) => (engine.value = status),
    () => undefined,
  );
  client.start();
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
      const rows = await db.meta.toArray();
      return Object.fromEntries(rows.map((r) => [r.k, r.v])) as MetaSnapshot;
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
    async () => {
      const feed = await db.getMeta('feed');
      const row = feed ? await db.synced('settings', feed.activeSet).get('community') : undefined;
      return (row?.d as SyncedRow<'settings'> | undefined) ?? null;
    },
    (v) => (thresholds.value = v),
  );
  setInterval(() => (clock.value = Date.now()), 15_000);
  if (await db.getMeta('device')) startSync();
}
