/**
 * The sync indicator (DESIGN §3.5): a plain-words state with colour and icon, the time of the last
 * complete pull and the events not yet acknowledged. Tests and tools read `data-state`,
 * `data-last-sync` (ISO, empty before the first pull) and `data-pending`.
 */
import { DEFAULT_THRESHOLDS, syncIndicator, type SyncState } from '../domain/sync/indicator';
import { t } from './messages';
import { clockTime, duration } from './format';
import { clock, engine, meta, pending, thresholds } from './store';

const ICON: Record<SyncState, string> = {
  'up-to-date': '✓',
  'first-sync': '⟳',
  offline: '⚠',
  'offline-long': '⛔',
  stale: '⚠',
  revoked: '⛔',
  unauthorized: '⛔',
  'update-required': '⛔',
};

export function SyncIndicator() {
  const m = meta.value ?? {};
  const th = thresholds.value;
  const now = clock.value;
  const ind = syncIndicator({
    now,
    deviceState: m.deviceState ?? 'active',
    updateRequired: !!m.updateRequired,
    lastPullAt: m.lastPullAt ?? null,
    lastGoodRequestAt: m.lastGoodRequestAt ?? null,
    failing: engine.value?.connection === 'failing',
    offlineAfterMinutes: th?.offlineAfterMinutes ?? DEFAULT_THRESHOLDS.offlineAfterMinutes,
    staleAfterHours: th?.staleAmberHours ?? DEFAULT_THRESHOLDS.staleAfterHours,
  });
  const words = t(`sync.state.${ind.state}`, {
    since: ind.offlineSince ? clockTime(ind.offlineSince) : '—',
    duration: duration(
      ind.state === 'stale' ? (ind.dataAge ?? 0) : now - (ind.offlineSince ?? now),
    ),
  });
  const last = m.lastPullAt ?? null;
  // Nothing rather than a false "0 to send" before the outbox has been counted.
  if (pending.value === null) return null;
  return (
    <div
      class={`sync-status sync-${ind.state}`}
      data-testid="sync-status"
      data-state={ind.state}
      data-last-sync={last ? new Date(last).toISOString() : ''}
      data-pending={pending.value}
      data-phase={engine.value?.phase ?? ''}
      role="status"
    >
      <span class="sync-icon" aria-hidden="true">
        {ICON[ind.state]}
      </span>
      <span class="sync-words">{words}</span>
      <span class="sync-detail">
        {last ? t('sync.lastSync', { time: clockTime(last) }) : t('sync.never')}
        {' · '}
        {t('sync.pending', { count: pending.value })}
      </span>
      {m.keyListRefused ? <span class="sync-warning">{t('sync.keyListRefused')}</span> : null}
      {m.storage && m.storage.quota > 0 && m.storage.usage / m.storage.quota >= 0.8 ? (
        <span class="sync-warning">{t('sync.storageLow')}</span>
      ) : null}
    </div>
  );
}
