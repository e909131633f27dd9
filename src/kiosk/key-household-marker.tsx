/**
 * The discreet key-household marker for the guard (procedure 4.1, 4.3): a sign that the
 * household is on the office's list and what the office asks the gate to do, never why (the
 * kiosk holds no category). Any verdict (card, visitor, invitation, slip) renders it with the
 * household ids it concerns. Only on the guard's screen: a screen the visitor faces (the visitor's
 * self-registration) must not include it.
 */
import { keyHouseholdNotices } from '../data/gate-lists';
import { useLive } from './live';
import { t } from './messages';
import { db } from './store';

export function KeyHouseholdMarker(props: { householdIds: readonly string[] }) {
  const key = props.householdIds.join(',');
  const notices = useLive(() => keyHouseholdNotices(db, props.householdIds), [key]) ?? [];
  if (notices.length === 0) return null;
  return (
    <aside class="kh-marker" data-testid="key-household-marker">
      {notices.map((n) => (
        <div key={n.householdId} data-household={n.householdId}>
          <strong>
            <span aria-hidden="true">◆ </span>
            {n.label} · {t('marker.title')}
          </strong>
          <ul>
            {n.instructions.map((i) => (
              <li key={i}>{t(`instruction.${i}`)}</li>
            ))}
          </ul>
          {n.note && <p class="kh-note">{n.note}</p>}
        </div>
      ))}
    </aside>
  );
}
