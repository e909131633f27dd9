/**
 * Registers the service worker (workbox-window) and reports when an update is waiting. The page
 * decides when to apply it: a kiosk applies updates only when idle, never in the middle of a scan
 * or a registration (research: sync.md §3.2).
 */
import { Workbox } from 'workbox-window';

export interface ServiceWorkerControl {
  /** Resolves once a service worker controls the page or is active for it. */
  ready: Promise<void>;
  /** Activates a waiting update and reloads the page when it takes control. */
  applyUpdate(): void;
}

export function registerServiceWorker(onUpdateWaiting: () => void): ServiceWorkerControl | null {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return null;
  const wb = new Workbox('/sw.js', { scope: '/' });
  wb.addEventListener('waiting', onUpdateWaiting);
  const ready = wb.register().then(() => navigator.serviceWorker.ready.then(() => undefined));
  return {
    ready,
    applyUpdate() {
      wb.addEventListener('controlling', () => location.reload());
      wb.messageSkipWaiting();
    },
  };
}
