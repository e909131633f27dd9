/**
 * Housekeeping the server runs on a timer (every instance may; each step is idempotent):
 * tombstones older than the horizon are purged, and kiosks still behind them resync (see
 * purgeTombstones). Visitor register entries, their events and ended invitations are purged after
 * the community's retention period (purgeVisitorData), slips with their gate records and load
 * photos likewise (purgeSlipData), passages, guards' notes and the shift register likewise.
 * Features add their retention purges here.
 */
import type { ServerDeps } from './context';
import { retentionCutoff } from '../domain/visitor/retention';
import { purgeOutings } from './store/care';
import { listCommunities } from './store/communities';
import { purgeIncidents } from './store/incidents';
import { purgeTombstones } from './store/sync-rows';
import { purgeGateEvents } from './store/retention';
import { purgeShifts } from './store/shifts';
import { purgeSlipData } from './store/slips';
import { purgeVisitorData } from './store/visitors';

/** Deletions are kept this long for kiosks that were offline; older ones force a resync. */
export const TOMBSTONE_DAYS = 90;
export const MAINTENANCE_INTERVAL_MS = 3600_000;
/** Retention of the outing register and of incident records (docs/privacy.md says why). */
export const OUTING_DAYS = 180;
export const INCIDENT_DAYS = 3 * 365;

export async function runMaintenance(deps: ServerDeps): Promise<void> {
  const now = deps.now();
  for (const c of await listCommunities(deps.store.db)) {
    await deps.store.db
      .transaction()
      .execute((trx) => purgeTombstones(trx, c.id, now - TOMBSTONE_DAYS * 86_400_000));
    await deps.store.db
      .transaction()
      .execute((trx) => purgeVisitorData(trx, c.id, now, c.settings.serverRetentionDays));
    await deps.store.db
      .transaction()
      .execute((trx) => purgeSlipData(trx, c.id, now, c.settings.serverRetentionDays));
    // The gate's own records (passages, guards' notes, the shift register) for as long as the
    // visitor register and the slips: the community's register retention.
    await deps.store.db.transaction().execute(async (trx) => {
      const before = retentionCutoff(now, c.settings.serverRetentionDays);
      await purgeGateEvents(trx, c.id, ['passage', 'kiosk.note'], before);
      await purgeShifts(trx, c.id, before);
    });
    await deps.store.db.transaction().execute(async (trx) => {
      await purgeOutings(trx, c.id, now - OUTING_DAYS * 86_400_000);
      await purgeIncidents(trx, c.id, now - INCIDENT_DAYS * 86_400_000);
    });
  }
}

export function scheduleMaintenance(deps: ServerDeps): () => void {
  const run = () =>
    runMaintenance(deps).catch((e: Error) =>
      console.error(`[gatepost] maintenance failed: ${e.message}`),
    );
  const timer = setInterval(run, MAINTENANCE_INTERVAL_MS);
  timer.unref();
  void run();
  return () => clearInterval(timer);
}
