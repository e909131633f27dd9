/**
 * The gate's working area: the camera with its aiming box, the direction of passage (in or out,
 * remembered on this tablet), the manual lookup, spoken verdicts on or off, and the short notices
 * (recorded, not ready, an enrollment code held up). The verdict itself is the full-screen
 * overlay (verdict/verdict-screen.tsx); while it is up the camera shrinks to a corner and keeps
 * reading, so a different card is judged at once.
 */
import { signal } from '@preact/signals';
import { t } from './messages';
import { ScannerView } from './scan/scanner-view';
import { preloadVerdictScreen } from './verdict/lazy-verdict-screen';
import {
  direction,
  notice,
  onScan,
  onScanMiss,
  preloadJudging,
  setDirection,
  shown,
  type Direction,
} from './verdict/session';
import { setSpeaking, speakingEnabled } from './verdict/sounds';
import type * as ManualModule from './manual-lookup';

const manualOpen = signal(false);
/** The manual lookup is loaded when first opened. */
const manual = signal<typeof ManualModule | null>(null);

function openManual() {
  manualOpen.value = true;
  if (!manual.value) void import('./manual-lookup').then((m) => (manual.value = m));
}
const speaking = signal(speakingEnabled());

function NoticeLine() {
  const n = notice.value;
  if (!n) return null;
  const words = n.kind === 'recorded' ? t(`notice.recorded.${n.decision}`) : t(`notice.${n.kind}`);
  return (
    <p
      class={`gate-notice notice-${n.kind}`}
      data-testid="gate-notice"
      data-kind={n.kind}
      role={n.kind === 'record_failed' ? 'alert' : 'status'}
    >
      {words}
    </p>
  );
}

/**
 * Judging and the verdict screen load once the camera runs: the kiosk's first screen and its
 * camera do not wait for them, and they are in memory long before a card is held up.
 */
function preloadGate() {
  void preloadJudging();
  preloadVerdictScreen();
}

export function GatePanel() {
  const Manual = manual.value?.ManualLookup;
  return (
    <section class="gate" data-testid="gate">
      <ScannerView
        onHit={onScan}
        onMiss={onScanMiss}
        onRunning={preloadGate}
        compact={shown.value !== null}
      />
      <div class="gate-controls">
        <div class="direction" role="group" aria-label={t('direction.label')}>
          {(['in', 'out'] as Direction[]).map((d) => (
            <button
              key={d}
              type="button"
              class={`big-button secondary${direction.value === d ? ' chosen' : ''}`}
              aria-pressed={direction.value === d}
              data-direction={d}
              onClick={() => setDirection(d)}
            >
              {t(`direction.${d}`)}
            </button>
          ))}
        </div>
        <button
          type="button"
          class="big-button secondary"
          data-testid="manual-open"
          onClick={openManual}
        >
          {t('manual.open')}
        </button>
        <label class="speak-toggle">
          <input
            type="checkbox"
            checked={speaking.value}
            onChange={(e) => {
              speaking.value = (e.currentTarget as HTMLInputElement).checked;
              setSpeaking(speaking.value);
            }}
          />
          {t('scanner.speak')}
        </label>
      </div>
      <NoticeLine />
      {manualOpen.value && Manual ? <Manual onClose={() => (manualOpen.value = false)} /> : null}
    </section>
  );
}
