/**
 * The outing record (出门备案, procedure 4.3.3.3) in the office: residents under it with their
 * state (overdue returns and residents not seen for their N days on top, as alerts), the form to
 * add one with the consent recorded, and the outing register the gates keep.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiFailure, api, get, post } from '../api';
import { HouseholdPicker } from '../components/household-picker';
import { dateTimeOfMs } from '../format';
import { t } from '../messages';
import type { HouseholdRef } from '../model';
import { allowed, cpath } from '../session';

interface Resident {
  id: string;
  householdLabel: string;
  label: string;
  consentBy: 'resident' | 'family';
  consentNote: string;
  notSeenDays: number;
  dueDate: string | null;
  reminder: { from: string; until: string } | null;
  lastSeenAt: number | null;
  open: { outingId: string; outAt: number; expectedBack: number; takenBy: string } | null;
  overdue: boolean;
  notSeen: boolean;
}

interface Outing {
  id: string;
  label: string;
  householdLabel: string;
  outAt: number;
  expectedBack: number;
  takenBy: string;
  note: string;
  backAt: number | null;
}

const CHECK_EVERY_MS = 60_000;

function AddResident(props: { onSaved: () => void }) {
  const [household, setHousehold] = useState<HouseholdRef[]>([]);
  const [label, setLabel] = useState('');
  const [consentBy, setConsentBy] = useState<'resident' | 'family'>('family');
  const [consentNote, setConsentNote] = useState('');
  const [notSeenDays, setNotSeenDays] = useState(2);
  const [dueDate, setDueDate] = useState('');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const error = (f: string) =>
    problems[f] ? (
      <p class="field-error" role="alert">
        {problems[f]}
      </p>
    ) : null;
  const save = async () => {
    try {
      await post(cpath('/care-residents'), {
        householdId: household[0]?.id ?? '',
        label,
        consentBy,
        consentNote,
        notSeenDays,
        dueDate: dueDate || null,
      });
      setProblems({});
      setHousehold([]);
      setLabel('');
      setConsentNote('');
      setDueDate('');
      props.onSaved();
    } catch (e) {
      if (!(e instanceof ApiFailure)) setProblems({ form: t('error.network') });
      else
        setProblems(
          Object.fromEntries(
            (e.fields.length ? e.fields : [{ path: 'form', message: e.message }]).map((f) => [
              f.path.split('.')[0]!,
              f.message,
            ]),
          ),
        );
    }
  };
  return (
    <form
      class="care-form"
      data-testid="care-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h3>{t('care.add')}</h3>
      <div class="field">
        <label for="care-household">{t('care.household')}</label>
        <HouseholdPicker
          id="care-household"
          value={household}
          onChange={(v) => setHousehold(v.slice(-1))}
        />
        {error('householdId')}
      </div>
      <div class="field">
        <label for="care-label">{t('care.label')}</label>
        <input id="care-label" value={label} onInput={(e) => setLabel(e.currentTarget.value)} />
        {error('label')}
      </div>
      <div class="field">
        <label for="care-consent-by">{t('care.consentBy')}</label>
        <select
          id="care-consent-by"
          value={consentBy}
          onChange={(e) => setConsentBy(e.currentTarget.value as 'resident' | 'family')}
        >
          <option value="resident">{t('care.consent.resident')}</option>
          <option value="family">{t('care.consent.family')}</option>
        </select>
      </div>
      <div class="field">
        <label for="care-consent-note">{t('care.consentNote')}</label>
        <input
          id="care-consent-note"
          value={consentNote}
          onInput={(e) => setConsentNote(e.currentTarget.value)}
        />
        {error('consentNote')}
      </div>
      <div class="field">
        <label for="care-days">{t('care.notSeenDays')}</label>
        <input
          id="care-days"
          type="number"
          min={1}
          max={30}
          value={notSeenDays}
          onInput={(e) => setNotSeenDays(Number(e.currentTarget.value))}
        />
        {error('notSeenDays')}
      </div>
      <div class="field">
        <label for="care-due">{t('care.dueDate')}</label>
        <input
          id="care-due"
          type="date"
          value={dueDate}
          onInput={(e) => setDueDate(e.currentTarget.value)}
        />
        {error('dueDate')}
      </div>
      {error('form')}
      <button type="submit" class="button-primary">
        {t('care.save')}
      </button>
    </form>
  );
}

export function CarePage() {
  const [residents, setResidents] = useState<Resident[] | null>(null);
  const [outings, setOutings] = useState<Outing[]>([]);
  const [round, setRound] = useState(0);
  useEffect(() => {
    const load = () => {
      void get<{ items: Resident[] }>(cpath('/care-residents')).then((r) => setResidents(r.items));
      void get<{ outings: Outing[] }>(cpath('/outings?limit=100')).then((r) =>
        setOutings(r.outings),
      );
    };
    load();
    // Overdue is a matter of time passing: look again every minute while the page is open.
    const id = setInterval(load, CHECK_EVERY_MS);
    return () => clearInterval(id);
  }, [round]);
  const overdue = (residents ?? []).filter((r) => r.overdue);
  const notSeen = (residents ?? []).filter((r) => r.notSeen);

  return (
    <section class="page" data-testid="care-page">
      <h2>{t('care.heading')}</h2>
      <p class="hint">{t('care.explain')}</p>
      {overdue.length > 0 && (
        <p class="form-error" role="alert" data-testid="care-overdue-alert">
          ⚠ {t('care.alert', { n: overdue.length })}：{overdue.map((r) => r.label).join('、')}
        </p>
      )}
      {notSeen.length > 0 && (
        <p class="notice" role="alert">
          🚪 {t('care.notSeenAlert', { n: notSeen.length })}：
          {notSeen.map((r) => `${r.householdLabel} ${r.label}`).join('、')}
        </p>
      )}
      <table data-testid="care-residents">
        <thead>
          <tr>
            <th>{t('kh.household')}</th>
            <th>{t('care.label')}</th>
            <th>{t('care.state')}</th>
            <th>{t('care.lastSeen')}</th>
            <th>{t('care.consentBy')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(residents ?? []).map((r) => (
            <tr key={r.id} data-testid="care-row" class={r.overdue ? 'row-alert' : ''}>
              <td>{r.householdLabel}</td>
              <td>{r.label}</td>
              <td>
                {r.open
                  ? r.overdue
                    ? `⚠ ${t('care.overdue', { back: dateTimeOfMs(r.open.expectedBack) })}`
                    : t('care.out', { back: dateTimeOfMs(r.open.expectedBack) })
                  : r.notSeen
                    ? t('care.notSeen', { days: r.notSeenDays })
                    : t('care.home')}
                {r.reminder && (
                  <div class="hint">
                    {t('care.reminder', { from: r.reminder.from, until: r.reminder.until })}
                  </div>
                )}
              </td>
              <td>{r.lastSeenAt ? dateTimeOfMs(r.lastSeenAt) : '—'}</td>
              <td>
                {t(`care.consent.${r.consentBy}`)} · {r.consentNote}
              </td>
              <td>
                {allowed('care.write') && (
                  <button
                    type="button"
                    onClick={() => {
                      if (confirm(t('care.removeConfirm', { label: r.label })))
                        void api('DELETE', cpath(`/care-residents/${r.id}`)).then(() =>
                          setRound((x) => x + 1),
                        );
                    }}
                  >
                    {t('care.remove')}
                  </button>
                )}
              </td>
            </tr>
          ))}
          {residents?.length === 0 && (
            <tr>
              <td colSpan={6} class="table-empty">
                {t('care.empty')}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {allowed('care.write') && <AddResident onSaved={() => setRound((x) => x + 1)} />}
      <h3>{t('care.register')}</h3>
      <table data-testid="outing-register">
        <thead>
          <tr>
            <th>{t('kh.household')}</th>
            <th>{t('care.label')}</th>
            <th>{t('care.outAt')}</th>
            <th>{t('care.expectedBack')}</th>
            <th>{t('care.takenBy')}</th>
            <th>{t('care.backAt')}</th>
          </tr>
        </thead>
        <tbody>
          {outings.map((o) => (
            <tr key={o.id}>
              <td>{o.householdLabel}</td>
              <td>{o.label}</td>
              <td>{dateTimeOfMs(o.outAt)}</td>
              <td>{dateTimeOfMs(o.expectedBack)}</td>
              <td>{[o.takenBy, o.note].filter(Boolean).join(' · ')}</td>
              <td>{o.backAt ? dateTimeOfMs(o.backAt) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
