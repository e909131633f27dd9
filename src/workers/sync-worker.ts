/// <reference lib="webworker" />
/**
 * The sync worker: runs the kiosk's sync engine off the main thread, so pulling and writing
 * 100,000 rows never freezes the gate's screen. One engine per kiosk across tabs: it runs under
 * the Web Lock `gatepost-sync`; a second tab's worker waits for the lock.
 *
 * Messages in: `start` (after enrollment, or to resume after a stop), `nudge` (something was
 * recorded: push now). Messages out: `status` (the engine's status) and `stopped`.
 */
import { KioskDb } from '../data/db';
import { SyncEngine, type EngineStatus } from '../data/sync/engine';

declare const self: DedicatedWorkerGlobalScope;

export type WorkerIn = { type: 'start'; appVersion: string } | { type: 'nudge' };
export type WorkerOut =
  { type: 'status'; status: EngineStatus } | { type: 'stopped'; reason: string | null };

const LOCK = 'gatepost-sync';
let engine: SyncEngine | null = null;
let running = false;

async function storageEstimate() {
  const est = await navigator.storage?.estimate?.();
  if (!est) return null;
  const persisted = (await navigator.storage.persisted?.()) ?? false;
  return { usage: est.usage ?? 0, quota: est.quota ?? 0, persisted };
}

function post(message: WorkerOut) {
  self.postMessage(message);
}

async function start(appVersion: string) {
  if (running) return;
  running = true;
  // Pulled pages are atomic with their cursor: relaxed durability loses at most a page to pull
  // again. Recording (strict) happens in the page, on its own connection.
  const db = new KioskDb(undefined, { durability: 'relaxed' });
  engine = new SyncEngine({
    db,
    fetch: (input, init) => fetch(input, init),
    baseUrl: self.location.origin,
    now: () => Date.now(),
    appVersion,
    pageLimit: 5000,
    onStatus: (status) => post({ type: 'status', status }),
    storageEstimate,
  });
  const controller = new AbortController();
  try {
    const reason = await navigator.locks.request(LOCK, () => engine!.run(controller.signal));
    post({ type: 'stopped', reason });
  } finally {
    db.close();
    engine = null;
    running = false;
  }
}

self.addEventListener('online', () => engine?.retryNow());
self.addEventListener('message', (event: MessageEvent<WorkerIn>) => {
  const m = event.data;
  if (m.type === 'start') void start(m.appVersion);
  else if (m.type === 'nudge') engine?.nudge();
});
