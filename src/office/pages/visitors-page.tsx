/**
 * The visitor register in the office (《来访人员情况登记表》): filtered by day, unit, reason and
 * who is inside now; printed on A4 landscape in the paper form's columns; exported as CSV for
 * Excel; the sealed ID number opened for roles allowed to (the server writes the audit entry).
 */
import { useEffect, useState } from 'preact/hooks';
import { VISIT_REASONS, type VisitReason } from '../../domain/visitor/entry';
import { epochFromLocal } from '../../domain/rules/time-window';
import { ApiFailure, get, post, postForBlob, query } from '../api';
import { DataTable, type Column, type PageQuery } from '../components/data-table';
import { usePaper } from '../components/page-size';
import { dateTimeOfMs, parseIsoDate, timeZone } from '../format';
import { t } from '../messages';
import { allowed, cpath } from '../session';

export interface VisitorEntry {
  id: string;
  at: number;
  name: string;
  idType: string | null;
  idMasked: string;
  sealedId: boolean;
  hasPhoto: boolean;
  phone: string;
  householdLabel: string;
  reason: VisitReason;
  persons: number;
  plate: string;
  invitationSerial: number | null;
  watchLevel: 'watch' | 'deny' | null;
  watchInstruction: string;
  admitted: boolean;
  exitAt: number | null;
  exitMethod: 'tap' | 'invitation' | 'phone' | 'end_of_day' | null;
}

/** The day's bounds in the community's zone, as the API's from/to (ms). */
function dayBounds(iso: string): { from?: number; to?: number } {
  const d = parseIsoDate(iso);
  if (!d) return {};
  const from = epochFromLocal(d, 0, timeZone()) * 1000;
  return { from, to: from + 86_400_000 };
}

function Revealed(props: { entry: VisitorEntry }) {
  const [shown, setShown] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  if (!props.entry.sealedId || !allowed('sealed.reveal')) return <>{props.entry.idMasked || '—'}</>;
  return (
    <>
      <span data-testid="visitor-id">{shown ?? props.entry.idMasked}</span>{' '}
      {shown === null && (
        <button
          type="button"
          class="no-print"
          onClick={() =>
            void post<{ idNumber: string }>(cpath(`/visitors/${props.entry.id}/reveal-id`)).then(
              (r) => setShown(r.idNumber),
              () => setFailed(true),
            )
          }
        >
          {t('visitors.reveal')}
        </button>
      )}
      {failed && <span class="form-error">{t('error.network')}</span>}
    </>
  );
}

/** The photo taken at the gate, opened on request (the server audits each look), never printed. */
function Photo(props: { entry: VisitorEntry }) {
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => () => void (url && URL.revokeObjectURL(url)), [url]);
  if (!props.entry.hasPhoto || !allowed('sealed.reveal')) return null;
  if (url)
    return (
      <img
        class="visitor-photo no-print"
        data-testid="visitor-photo"
        src={url}
        alt={t('visitors.photoOf', { name: props.entry.name })}
      />
    );
  return (
    <>
      <button
        type="button"
        class="no-print"
        onClick={() =>
          void postForBlob(cpath(`/visitors/${props.entry.id}/reveal-photo`)).then(
            (b) => setUrl(URL.createObjectURL(b)),
            () => setFailed(true),
          )
        }
      >
        📷 {t('visitors.showPhoto')}
      </button>
      {failed && <span class="form-error">{t('error.network')}</span>}
    </>
  );
}

export function VisitorsPage() {
  usePaper('roster');
  const [day, setDay] = useState('');
  const [reason, setReason] = useState('');
  const [insideNow, setInsideNow] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const filters = (q: PageQuery) => ({
    ...dayBounds(day),
    unit: q.q.trim() || undefined,
    reason: reason || undefined,
    insideNow: insideNow || undefined,
  });
  const [csvQuery, setCsvQuery] = useState('');

  const load = async (q: PageQuery) => {
    const f = filters(q);
    setCsvQuery(query(f));
    setProblem(null);
    try {
      return await get<{ total: number; items: VisitorEntry[] }>(
        cpath(`/visitors${query({ ...f, offset: q.offset, limit: q.limit })}`),
      );
    } catch (e) {
      setProblem(e instanceof ApiFailure ? e.message : t('error.network'));
      return { total: 0, items: [] };
    }
  };

  const columns: Column<VisitorEntry>[] = [
    { key: 'at', label: t('visitors.in'), render: (v) => dateTimeOfMs(v.at) },
    {
      key: 'out',
      label: t('visitors.out'),
      render: (v) =>
        v.exitAt === null ? (
          v.admitted ? (
            <span class="badge badge-valid">{t('visitors.insideNow')}</span>
          ) : (
            '—'
          )
        ) : (
          <>
            {dateTimeOfMs(v.exitAt)}
            {v.exitMethod === 'end_of_day' && (
              <span class="badge badge-suspended" data-testid="end-of-day">
                {t('visitors.endOfDay')}
              </span>
            )}
          </>
        ),
    },
    {
      key: 'name',
      label: t('visitors.name'),
      render: (v) => (
        <>
          <strong>{v.name}</strong> <Photo entry={v} />
        </>
      ),
    },
    { key: 'id', label: t('visitors.idNumber'), render: (v) => <Revealed entry={v} /> },
    { key: 'phone', label: t('visitors.phone'), render: (v) => v.phone || '—' },
    { key: 'unit', label: t('visitors.unit'), render: (v) => v.householdLabel },
    { key: 'reason', label: t('visitors.reason'), render: (v) => t(`visitReason.${v.reason}`) },
    { key: 'persons', label: t('visitors.persons'), render: (v) => String(v.persons) },
    { key: 'plate', label: t('visitors.plate'), render: (v) => v.plate || '—' },
    {
      key: 'note',
      label: t('visitors.note'),
      render: (v) =>
        [
          v.admitted ? '' : t('visitors.notAdmitted'),
          v.invitationSerial !== null ? t('visitors.invited', { serial: v.invitationSerial }) : '',
          v.watchLevel ? `${v.watchLevel === 'deny' ? '⛔' : '⚠'} ${v.watchInstruction}` : '',
        ]
          .filter(Boolean)
          .join('；'),
    },
  ];

  return (
    <section class="page" data-testid="visitors-page">
      <h2>{t('visitors.heading')}</h2>
      {problem && (
        <p class="form-error" role="alert">
          {problem}
        </p>
      )}
      <DataTable
        key={`${day}|${reason}|${insideNow}`}
        testId="visitors-table"
        columns={columns}
        load={load}
        rowKey={(v) => v.id}
        defaultSort="at"
        defaultDesc
        searchLabel={t('visitors.search')}
        toolbar={
          <>
            <label class="inline-field">
              {t('visitors.day')}
              <input type="date" value={day} onChange={(e) => setDay(e.currentTarget.value)} />
            </label>
            <label class="inline-field">
              {t('visitors.reason')}
              <select value={reason} onChange={(e) => setReason(e.currentTarget.value)}>
                <option value="">{t('filter.all')}</option>
                {VISIT_REASONS.map((r) => (
                  <option key={r} value={r}>
                    {t(`visitReason.${r}`)}
                  </option>
                ))}
              </select>
            </label>
            <label class="inline-field">
              <input
                type="checkbox"
                checked={insideNow}
                onChange={(e) => setInsideNow(e.currentTarget.checked)}
              />
              {t('visitors.insideNow')}
            </label>
            <a
              class="button-like no-print"
              data-testid="visitors-csv"
              href={`/api${cpath(`/visitors/export.csv${csvQuery}`)}`}
              download="visitors.csv"
            >
              {t('visitors.csv')}
            </a>
            <button type="button" class="no-print" onClick={() => window.print()}>
              {t('visitors.print')}
            </button>
          </>
        }
      />
    </section>
  );
}
