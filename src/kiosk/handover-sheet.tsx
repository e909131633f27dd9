/**
 * The handover sheet (门岗交接班记录) of the shift on duty, on screen as a sheet of paper and printed
 * as one (A4, black on white, the kiosk's screens hidden): the gate, the guard and the shift's
 * hours; who is inside; the passages, visitors and slips recorded; open alerts; overdue outings;
 * the shift's incidents; lines for what is handed over by word of mouth and for both guards'
 * signatures.
 */
import { handover, type Handover } from '../data/handover';
import type { Shift } from '../data/shifts';
import type { IncidentType } from '../domain/incident';
import { clockTime, localDay, paperTime } from './format';
import { useLive } from './live';
import { t } from './messages';
import type { KioskKey } from './messages/zh-Hans';
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
    h.watchMatches.length > 0 &&
      `${t('handover.watchMatches', { count: h.watchMatches.length })}：${h.watchMatches
        .map((v) => `${clockTime(v.at)} ${v.name}`)
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

/** A part of the sheet listed as a table, or "none". */
function SheetTable(props: {
  testId: string;
  title: string;
  headers: KioskKey[];
  rows: Array<{ id: string; cells: Array<string | number> }>;
}) {
  return (
    <section data-testid={props.testId} data-count={props.rows.length}>
      <h4>{props.title}</h4>
      {props.rows.length === 0 ? (
        <p>{t('handover.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              {props.headers.map((k) => (
                <th key={k}>{t(k)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.rows.map((r) => (
              <tr key={r.id}>
                {r.cells.map((c, i) => (
                  <td key={i}>{c}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Tables(props: { h: Handover }) {
  const { h } = props;
  const when = (ms: number | undefined) => (ms === undefined ? '—' : clockTime(ms));
  return (
    <>
      <SheetTable
        testId="handover-overdue"
        title={t('handover.overdue')}
        headers={[
          'handover.household',
          'handover.resident',
          'handover.outAt',
          'handover.expectedBack',
          'handover.takenBy',
        ]}
        rows={h.overdue.map((r) => ({
          id: r.id,
          cells: [
            r.householdLabel,
            r.label,
            when(r.open?.outAt),
            when(r.open?.expectedBack),
            r.open?.takenBy || '—',
          ],
        }))}
      />
      <SheetTable
        testId="handover-incidents"
        title={t('handover.incidents')}
        headers={['handover.time', 'handover.type', 'handover.unit']}
        rows={h.incidents.map((i) => ({
          id: i.id,
          cells: [clockTime(i.occurredAt), t(`incident.type.${i.type as IncidentType}`), i.unit],
        }))}
      />
    </>
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
          <SheetTable
            testId="handover-inside"
            title={t('handover.inside', { count: h.inside.reduce((n, v) => n + v.persons, 0) })}
            headers={[
              'handover.visitor',
              'handover.persons',
              'handover.household',
              'handover.since',
            ]}
            rows={h.inside.map((v) => ({
              id: v.id,
              cells: [v.name, v.persons, v.householdLabel, clockTime(v.since)],
            }))}
          />
          <section data-testid="handover-passages" data-count={total}>
            <h4>{t('handover.passages')}</h4>
            <p>
              {t('handover.passageCount', {
                total: total ?? 0,
                admitted: h.passages.admitted,
                refused: h.passages.refused,
              })}
            </p>
            <p data-testid="handover-visitors" data-count={h.visitors}>
              {t('handover.visitorCount', { visitors: h.visitors, slips: h.slipChecks })}
            </p>
          </section>
          <Alerts h={h} />
          <Tables h={h} />
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
