/**
 * The page's handle on the sync worker: starts it, forwards its status, and nudges it when an
 * event was recorded so it is pushed at once instead of at the next poll.
 */
import type { EngineStatus } from './sync/engine';
import type { WorkerIn, WorkerOut } from '../workers/sync-worker';

export interface SyncClient {
  start(): void;
  nudge(): void;
}

export function startSyncWorker(
  appVersion: string,
  onStatus: (status: EngineStatus) => void,
  onStopped: (reason: string | null) => void,
): SyncClient {
  const worker = new Worker(new URL('../workers/sync-worker.ts', import.meta.url), {
    type: 'module',
    name: 'gatepost-sync',
  });
  worker.addEventListener('message', (event: MessageEvent<WorkerOut>) => {
    const m = event.data;
    if (m.type === 'status') onStatus(m.status);
    else onStopped(m.reason);
  });
  const send = (m: WorkerIn) => worker.postMessage(m);
  return {
    start: () => send({ type: 'start', appVersion }),
    nudge: () => send({ type: 'nudge' }),
  };
}
