/**
 * What the kiosk's sync indicator says (DESIGN §3.5), in one of a few plain states, from what the
 * kiosk knows: its credential, the last complete pull, the last request that worked, and the
 * community's thresholds (sent by the office in the settings row).
 *
 * The first matching state wins: a kiosk that cannot sync at all says why before anything else;
 * then no data yet; then the network; then the age of the data.
 */

export type SyncState =
  | 'revoked'
  | 'unauthorized'
  | 'update-required'
  | 'first-sync'
  | 'offline-long'
  | 'offline'
  | 'stale'
  | 'up-to-date';

export interface IndicatorInput {
  now: number;
  deviceState: 'active' | 'revoked' | 'unauthorized';
  updateRequired: boolean;
  /** End of the last pull that reached the head, ms; null before the first one. */
  lastPullAt: number | null;
  /** The last request that got an answer, ms. */
  lastGoodRequestAt: number | null;
  /** Whether the latest requests fail (from the sync engine). */
  failing: boolean;
  offlineAfterMinutes: number;
  staleAfterHours: number;
}

export interface Indicator {
  state: SyncState;
  /** Since when the kiosk has been without a working request (offline states), ms. */
  offlineSince: number | null;
  /** How old the data is, ms (null before the first pull). */
  dataAge: number | null;
}

/** Defaults until the office's settings row has arrived (the server's own defaults). */
export const DEFAULT_THRESHOLDS = { offlineAfterMinutes: 120, staleAfterHours: 24 };

export function syncIndicator(i: IndicatorInput): Indicator {
  const dataAge = i.lastPullAt === null ? null : Math.max(0, i.now - i.lastPullAt);
  const offlineSince = i.failing ? (i.lastGoodRequestAt ?? i.lastPullAt) : null;
  const base = { offlineSince, dataAge };
  if (i.deviceState === 'revoked') return { state: 'revoked', ...base };
  if (i.deviceState === 'unauthorized') return { state: 'unauthorized', ...base };
  if (i.updateRequired) return { state: 'update-required', ...base };
  if (i.lastPullAt === null) return { state: 'first-sync', ...base };
  if (i.failing) {
    const long = offlineSince !== null && i.now - offlineSince >= i.offlineAfterMinutes * 60_000;
    return { state: long ? 'offline-long' : 'offline', ...base };
  }
  if (dataAge !== null && dataAge >= i.staleAfterHours * 3600_000)
    return { state: 'stale', ...base };
  return { state: 'up-to-date', ...base };
}
