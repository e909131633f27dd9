/**
 * The enrolled kiosk's screens under the bar: the alerts of the outing record and who is on duty
 * on every screen, tabs for duty, the outing register, the incident form and the shift, and the
 * chosen screen.
 */
import { HomeScreen } from './home-screen';
import { IncidentScreen } from './incident-screen';
import { t } from './messages';
import { CareAlerts, OutingsScreen } from './outings-screen';
import { ShiftBar, ShiftScreen } from './shift-screen';
import { view, type KioskView } from './views';

const TABS: Array<[KioskView, 'nav.duty' | 'nav.outings' | 'nav.incident' | 'nav.shift']> = [
  ['duty', 'nav.duty'],
  ['outings', 'nav.outings'],
  ['incident', 'nav.incident'],
  ['shift', 'nav.shift'],
];

export function GateViews(props: { onReenroll: () => void }) {
  return (
    <div class="gate-views">
      <CareAlerts />
      <ShiftBar />
      <nav class="gate-tabs" aria-label={t('kiosk.title')}>
        {TABS.map(([v, key]) => (
          <button
            key={v}
            type="button"
            class={`gate-tab${view.value === v ? ' chosen' : ''}`}
            aria-current={view.value === v ? 'page' : undefined}
            onClick={() => (view.value = v)}
          >
            {t(key)}
          </button>
        ))}
      </nav>
      {view.value === 'outings' ? (
        <OutingsScreen />
      ) : view.value === 'incident' ? (
        <IncidentScreen />
      ) : view.value === 'shift' ? (
        <ShiftScreen />
      ) : (
        <HomeScreen onReenroll={props.onReenroll} />
      )}
    </div>
  );
}
