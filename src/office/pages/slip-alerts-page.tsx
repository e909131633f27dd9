/**
 * Duplicate-use alerts: a slip used more often than it has trips, because gates that were offline
 * each accepted it. Each alert shows the slip and every record side by side (when, which gate,
 * what was let out, by whom), and a supervisor closes it with what was found.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiFailure, get, post } from '../api';
import { outcomeText, passedText, reasonText, SlipStateBadge } from '../components/slip-parts';
import { dateTimeOfMs, serialText } from '../format';
import { t } from '../messages';
import { photoUrl, type Slip, type SlipRecord } from '../model';
import { allowed, cpath } from '../session';

interface Alert {
  id: string;
  serial: number;
  createdAt: number;
  slip: Slip;
  records: SlipRecord[];
}

function Resolve(props: { alert: Alert; onDone(): void }) {
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      class="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        post(cpath(`/slip-alerts/${props.alert.id}/resolve`), { note }).then(
          props.onDone,
          (err: unknown) => setError(err instanceof ApiFailure ? err.message : t('error.network')),
        );
      }}
    >
      <label>
        {t('alerts.finding')}
        <input value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      </label>
      <button type="submit" disabled={note.trim() === ''}>
        {t('alerts.resolve')}
      </button>
      {error && <p class="form-error">{error}</p>}
    </form>
  );
}

export function SlipAlertsPage() {
  const [alerts, setAlerts] = useState<Alert[] | null>(null);
  const [reload, setReload] = useState(0);
  useEffect(() => {
    void get<{ alerts: Alert[] }>(cpath('/slip-alerts')).then((r) => setAlerts(r.alerts));
  }, [reload]);
  if (!alerts) return <p class="page">{t('page.loading')}</p>;
  return (
    <section class="page" data-testid="slip-alerts">
      <h2>{t('alerts.heading')}</h2>
      <p class="hint">{t('alerts.explain')}</p>
      {alerts.length === 0 && <p>{t('alerts.none')}</p>}
      {alerts.map((a) => (
        <article class="alert-card" key={a.id} data-testid="slip-alert" data-serial={a.serial}>
          <h3>
            <a href={`/office/slips/${a.serial}`}>{serialText(a.serial)}</a> ·{' '}
            {a.slip.household.label} · {a.slip.applicantName}{' '}
            <SlipStateBadge state={a.slip.state} />
          </h3>
          <p>{t('alerts.trips', { trips: a.slip.trips, uses: a.records.length })}</p>
          <div class="side-by-side">
            {a.records.map((r) => (
              <section class="alert-record" key={r.eventId} data-testid="alert-record">
                <h4>{r.deviceName}</h4>
                <p>{dateTimeOfMs(r.at)}</p>
                <p>
                  <strong>{outcomeText(r)}</strong> {passedText(a.slip, r)}
                </p>
                {(r.reason || r.note) && (
                  <p>{[reasonText(r.reason), r.note].filter(Boolean).join(' · ')}</p>
                )}
                {r.carrierName && (
                  <p>
                    {t('slip.carrierName')}: {r.carrierName}
                  </p>
                )}
                {r.guardId && (
                  <p>
                    {t('alerts.guard')}: {r.guardId}
                  </p>
                )}
                {r.photoHash && (
                  <img class="load-photo" src={photoUrl(r.photoHash)} alt={t('slip.recordPhoto')} />
                )}
              </section>
            ))}
          </div>
          {allowed('slip.override') && <Resolve alert={a} onDone={() => setReload(reload + 1)} />}
        </article>
      ))}
    </section>
  );
}
