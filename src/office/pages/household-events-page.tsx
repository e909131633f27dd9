/**
 * Every gate event of one household between two days (procedure 4.3.2.2: for a household under
 * watch, times in and out, goods, visitors): passages, visitors, slips, outings, incidents.
 */
import { useEffect, useState } from 'preact/hooks';
import { get, query } from '../api';
import { dateTimeOfMs, isoDate, parseIsoDate, timeZone } from '../format';
import { t, type OfficeKey } from '../messages';
import { cpath } from '../session';
import { epochFromLocal, localDate } from '../../domain/rules/time-window';

interface GateEventRow {
  id: string;
  type: string;
  at: number;
  deviceName: string;
  guardId: string | null;
  guardName: string | null;
  payload: Record<string, unknown>;
}

const DAY_S = 86_400;
const today = () => isoDate(localDate(Math.floor(Date.now() / 1000), timeZone()));

/** Milliseconds of the local midnight starting a day (YYYY-MM-DD), or ending it, in the community's zone. */
function boundMs(day: string, end: boolean): number | undefined {
  const d = parseIsoDate(day);
  return d ? epochFromLocal(d, end ? 1440 : 0, timeZone()) * 1000 : undefined;
}

function summary(e: GateEventRow): string {
  const p = e.payload;
  const parts = ['holderName', 'name', 'decision', 'takenBy', 'note', 'text']
    .map((k) => p[k])
    .filter((v): v is string => typeof v === 'string' && v !== '');
  return parts.join(' · ');
}

export function HouseholdEventsPage(props: { params: Record<string, string> }) {
  const id = props.params.householdId!;
  const [label, setLabel] = useState('');
  const [from, setFrom] = useState(() =>
    isoDate(localDate(Math.floor(Date.now() / 1000) - 30 * DAY_S, timeZone())),
  );
  const [to, setTo] = useState(today);
  const [events, setEvents] = useState<GateEventRow[] | null>(null);
  useEffect(() => {
    void get<{ label: string; events: GateEventRow[] }>(
      cpath(
        `/households/${id}/events${query({ from: boundMs(from, false), to: boundMs(to, true) })}`,
      ),
    ).then((r) => {
      setLabel(r.label);
      setEvents(r.events);
    });
  }, [id, from, to]);

  return (
    <section class="page" data-testid="household-events-page">
      <h2>{t('events.heading', { label: label || id })}</h2>
      <div class="actions">
        <label class="inline-field">
          {t('events.from')}
          <input type="date" value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
        </label>
        <label class="inline-field">
          {t('events.to')}
          <input type="date" value={to} onChange={(e) => setTo(e.currentTarget.value)} />
        </label>
      </div>
      <table data-testid="household-events">
        <thead>
          <tr>
            <th>{t('events.time')}</th>
            <th>{t('events.what')}</th>
            <th>{t('events.gate')}</th>
            <th>{t('events.guard')}</th>
            <th>{t('events.detail')}</th>
          </tr>
        </thead>
        <tbody>
          {(events ?? []).map((e) => (
            <tr key={e.id} data-testid="household-event">
              <td>{dateTimeOfMs(e.at)}</td>
              <td>{t(`eventType.${e.type}` as OfficeKey)}</td>
              <td>{e.deviceName}</td>
              <td>{e.guardName ?? '—'}</td>
              <td>{summary(e)}</td>
            </tr>
          ))}
          {events?.length === 0 && (
            <tr>
              <td colSpan={5} class="table-empty">
                {t('events.none')}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
