/**
 * The outing register at the gate (出门备案, procedure 4.3.3.3): the residents under it, who is out
 * and when they are expected back, one tap when they come back, the overdue and not-seen alerts
 * and the delivery reminders. The alerts banner is shown on every screen of the kiosk.
 */
import { useState } from 'preact/hooks';
import { inReminderWindow } from '../domain/care';
import { careResidents, type CareResident } from '../data/gate-lists';
import { recordOutingBack, recordOutingOut } from '../data/gate-records';
import { clockTime, localDay } from './format';
import { useLive } from './live';
import { t } from './messages';
import { clock, db, nudgeSync } from './store';
import { guardIdOnDuty } from './duty';
import { view } from './views';

const HOURS = [1, 2, 3, 4, 6, 8];
const tzOffset = () => -new Date().getTimezoneOffset();

function useResidents(): CareResident[] {
  const now = clock.value;
  return useLive(() => careResidents(db, now), [now]) ?? [];
}

export function CareAlerts() {
  const residents = useResidents();
  const today = localDay(clock.value);
  const overdue = residents.filter((r) => r.overdue).length;
  const notSeen = residents.filter((r) => r.notSeen).length;
  const reminders = residents.filter((r) => inReminderWindow(r.reminder, today)).length;
  if (!overdue && !notSeen && !reminders) return null;
  return (
    <button
      type="button"
      class={`care-alerts${overdue ? ' urgent' : ''}`}
      data-testid="care-alerts"
      role="alert"
      onClick={() => (view.value = 'outings')}
    >
      {overdue > 0 && (
        <span data-testid="overdue-alert">{t('alerts.overdue', { count: overdue })}</span>
      )}
      {notSeen > 0 && <span>{t('alerts.notSeen', { count: notSeen })}</span>}
      {reminders > 0 && <span>{t('alerts.reminder', { count: reminders })}</span>}
    </button>
  );
}

function OutForm(props: { resident: CareResident; onDone: () => void }) {
  const [hours, setHours] = useState(2);
  const [takenBy, setTakenBy] = useState('');
  const [note, setNote] = useState('');
  const [state, setState] = useState<'idle' | 'saving' | 'failed'>('idle');
  const save = async () => {
    setState('saving');
    try {
      const now = Date.now();
      await recordOutingOut(
        db,
        {
          residentId: props.resident.id,
          householdId: props.resident.householdId,
          expectedBack: now + hours * 3600_000,
          takenBy: takenBy.trim(),
          note: note.trim(),
        },
        now,
        tzOffset(),
        guardIdOnDuty(),
      );
      nudgeSync();
      props.onDone();
    } catch (e) {
      console.error(e);
      setState('failed');
    }
  };
  return (
    <form
      class="outing-form"
      data-testid="outing-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <fieldset>
        <legend>{t('outings.expectedBack')}</legend>
        <div class="choice-row">
          {HOURS.map((h) => (
            <button
              key={h}
              type="button"
              class={`choice${h === hours ? ' chosen' : ''}`}
              aria-pressed={h === hours}
              onClick={() => setHours(h)}
            >
              {t('outings.inHours', { n: h })}
            </button>
          ))}
        </div>
      </fieldset>
      <label>
        {t('outings.takenBy')}
        <input maxLength={40} value={takenBy} onInput={(e) => setTakenBy(e.currentTarget.value)} />
      </label>
      <label>
        {t('outings.note')}
        <input maxLength={200} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      </label>
      <div class="choice-row">
        <button type="submit" class="big-button" disabled={state === 'saving'}>
          {t('outings.save')}
        </button>
        <button type="button" class="big-button secondary" onClick={props.onDone}>
          {t('outings.cancel')}
        </button>
      </div>
      {state === 'failed' && (
        <p class="save-state save-failed" role="alert">
          ⛔ {t('outings.failed')}
        </p>
      )}
    </form>
  );
}

function ResidentRow(props: { r: CareResident; today: string }) {
  const { r } = props;
  const [going, setGoing] = useState(false);
  const [failed, setFailed] = useState(false);
  const back = async () => {
    if (!r.open) return;
    try {
      await recordOutingBack(
        db,
        { outingId: r.open.outingId, residentId: r.id, householdId: r.householdId },
        Date.now(),
        tzOffset(),
        guardIdOnDuty(),
      );
      nudgeSync();
    } catch (e) {
      console.error(e);
      setFailed(true);
    }
  };
  const status = r.overdue ? 'overdue' : r.open ? 'out' : r.notSeen ? 'not-seen' : 'home';
  return (
    <li class={`resident resident-${status}`} data-testid="care-resident" data-status={status}>
      <div class="resident-who">
        <strong>{r.label}</strong> <span>{r.householdLabel}</span>
      </div>
      <div class="resident-state">
        {r.open ? (
          <>
            {r.overdue && (
              <strong class="overdue">
                ⚠ {t('outings.overdue', { back: clockTime(r.open.expectedBack) })}
              </strong>
            )}
            <span>
              {t('outings.out', {
                out: clockTime(r.open.outAt),
                back: clockTime(r.open.expectedBack),
                takenBy: r.open.takenBy || '—',
              })}
            </span>
          </>
        ) : r.notSeen ? (
          <strong class="not-seen">🚪 {t('outings.notSeen', { days: r.notSeenDays })}</strong>
        ) : (
          <span>✓ {t('outings.home')}</span>
        )}
        {r.reminder && inReminderWindow(r.reminder, props.today) && (
          <span class="reminder">
            🏥 {t('outings.reminder', { from: r.reminder.from, until: r.reminder.until })}
          </span>
        )}
      </div>
      <div class="resident-actions">
        {r.open ? (
          <button type="button" class="big-button" onClick={() => void back()}>
            {t('outings.back')}
          </button>
        ) : (
          !going && (
            <button type="button" class="big-button secondary" onClick={() => setGoing(true)}>
              {t('outings.goOut')}
            </button>
          )
        )}
      </div>
      {failed && (
        <p class="save-state save-failed" role="alert">
          ⛔ {t('outings.failed')}
        </p>
      )}
      {going && !r.open && <OutForm resident={r} onDone={() => setGoing(false)} />}
    </li>
  );
}

export function OutingsScreen() {
  const residents = useResidents();
  const today = localDay(clock.value);
  return (
    <section class="gate-screen" data-testid="outings-screen">
      <h2>{t('outings.title')}</h2>
      {residents.length === 0 ? (
        <p>{t('outings.empty')}</p>
      ) : (
        <ul class="residents">
          {residents.map((r) => (
            <ResidentRow key={r.id} r={r} today={today} />
          ))}
        </ul>
      )}
    </section>
  );
}
