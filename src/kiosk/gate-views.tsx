/**
 * The enrolled kiosk's screens under the bar: the alerts of the outing record on every screen,
 * tabs for duty, the outing register and the incident form, and the chosen screen.
 */
import { HomeScreen } from './home-screen';
import { IncidentScreen } from './incident-screen';
import { t } from './messages';
import { CareAlerts, OutingsScreen } from './outings-screen';
import { view, type KioskView } from './views';

const TABS: Array<[KioskView, 'nav.duty' | 'nav.outings' | 'nav.incident']> = [
  ['duty', 'nav.duty'],
  ['outings', 'nav.outings'],
  ['incident', 'nav.incident'],
];

export function GateViews(props: { onReenroll: () => void }) {
  return (
    <div class="gate-views">
      <CareAlerts />
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
      ) : (
        <HomeScreen onReenroll={props.onReenroll} />
      )}
    </div>
  );
}
