/**
 * The handover sheet (门岗交接班记录) of the shift on duty, on screen as a sheet of paper and printed
 * as one (A4, black on white, the kiosk's screens hidden): the gate, the guard and the shift's
 * hours; open alerts; overdue outings; the shift's incidents; the passages recorded; lines for what
 * is handed over by word of mouth and for both guards' signatures.
 */
import { handover, type Handover } from '../data/handover';
import type { Shift } from '../data/shifts';
import type { IncidentType } from '../domain/incident';
import { clockTime, localDay, paperTime } from './format';
import { useLive } from './live';
import { t } from './messages';
import { clock, db, meta, thresholds } from './store';

function Alerts(props: { h: Handover }) {
  const { h } = props;
  const lines = [
    h.overdue.length > 0 && t('alerts.overdue', { count: h.overdue.length }),
    h.notSeen.length > 0 &&
      `${t('alerts.notSeen', { count: h.notSeen.length })}：${h.notSeen
        .map((r) => `${r.householdLabel} ${r.label}`)
        .join('、')}`,
    h.reminders.length > 0 &&
      `${t('alerts.reminder', { count: h.reminders.length })}：${h.reminders
        .map((r) => `${r.householdLabel} ${r.label}`)
        .join('、')}`,
    h.unsent > 0 && t('handover.unsent', { count: h.unsent }),
  ].filter((l): l is string => typeof l === 'string');
  return (
    <section data-testid="handover-alerts" data-count={lines.length}>
      <h4>{t('handover.alerts')}</h4>
      {lines.length === 0 ? (
        <p>{t('handover.none')}</p>
      ) : (
        <ul>
          {lines.map((l) => (
            <li key={l}>{l}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Overdue(props: { h: Handover }) {
  return (
    <section data-testid="handover-overdue" data-count={props.h.overdue.length}>
      <h4>{t('handover.overdue')}</h4>
      {props.h.overdue.length === 0 ? (
        <p>{t('handover.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t('handover.household')}</th>
              <th>{t('handover.resident')}</th>
              <th>{t('handover.outAt')}</th>
              <th>{t('handover.expectedBack')}</th>
              <th>{t('handover.takenBy')}</th>
            </tr>
          </thead>
          <tbody>
            {props.h.overdue.map((r) => (
              <tr key={r.id}>
                <td>{r.householdLabel}</td>
                <td>{r.label}</td>
                <td>{r.open ? clockTime(r.open.outAt) : '—'}</td>
                <td>{r.open ? clockTime(r.open.expectedBack) : '—'}</td>
                <td>{r.open?.takenBy || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Incidents(props: { h: Handover }) {
  return (
    <section data-testid="handover-incidents" data-count={props.h.incidents.length}>
      <h4>{t('handover.incidents')}</h4>
      {props.h.incidents.length === 0 ? (
        <p>{t('handover.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t('handover.time')}</th>
              <th>{t('handover.type')}</th>
              <th>{t('handover.unit')}</th>
            </tr>
          </thead>
          <tbody>
            {props.h.incidents.map((i) => (
              <tr key={i.id}>
                <td>{clockTime(i.occurredAt)}</td>
                <td>{t(`incident.type.${i.type as IncidentType}`)}</td>
                <td>{i.unit}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function HandoverSheet(props: { shift: Shift }) {
  const { shift } = props;
  const now = clock.value;
  const h = useLive(
    () => handover(db, shift.startedAt, now, localDay(now)),
    [shift.startedAt, now],
  );
  const total = h ? h.passages.admitted + h.passages.refused : null;
  return (
    <article class="handover-sheet" data-testid="handover-sheet">
      <h3>{t('handover.title')}</h3>
      <dl class="handover-head">
        <div>
          <dt>{t('handover.community')}</dt>
          <dd>{thresholds.value?.name ?? '—'}</dd>
        </div>
        <div>
          <dt>{t('handover.gate')}</dt>
          <dd>{meta.value?.device?.name ?? '—'}</dd>
        </div>
        <div>
          <dt>{t('handover.guard')}</dt>
          <dd>{shift.name}</dd>
        </div>
        <div>
          <dt>{t('handover.hours')}</dt>
          <dd>
            {paperTime(shift.startedAt)} — {paperTime(now)}
          </dd>
        </div>
      </dl>
      {h ? (
        <>
          <section data-testid="handover-passages" data-count={total}>
            <h4>{t('handover.passages')}</h4>
            <p>
              {t('handover.passageCount', {
                total: total ?? 0,
                admitted: h.passages.admitted,
                refused: h.passages.refused,
              })}
            </p>
          </section>
          <Alerts h={h} />
          <Overdue h={h} />
          <Incidents h={h} />
        </>
      ) : (
        <p>{t('handover.loading')}</p>
      )}
      <section class="handover-notes">
        <h4>{t('handover.notes')}</h4>
        <div class="handover-lines" aria-hidden="true">
          <span />
          <span />
          <span />
        </div>
      </section>
      <p class="handover-signatures">
        <span>{t('handover.outgoing')}</span>
        <span>{t('handover.incoming')}</span>
        <span>{t('handover.signedAt')}</span>
      </p>
    </article>
  );
}
