/**
 * The release slips (procedure 4.3.1.4): every slip by state, searched by applicant, serial or
 * unit, each with its gate records; the register exported as CSV in the paper slip's columns; the
 * duplicate-use alerts; and goods the gate stopped without a slip, refreshed while the page is
 * open so the office sees them as soon as a gate is online.
 */
import { useEffect, useState } from 'preact/hooks';
import { SLIP_STATES } from '../../domain/slip';
import { get, query } from '../api';
import { DataTable, type Column, type PageQuery } from '../components/data-table';
import { SlipStateBadge, SLIP_STATE_KEYS, itemsText, outcomeText } from '../components/slip-parts';
import { dateTimeOfMs, serialText, validityText } from '../format';
import { t } from '../messages';
import { photoUrl, type HouseholdRef, type Page, type Slip } from '../model';
import { allowed, cpath } from '../session';
import { downloadRegisterCsv } from './slip-register-page';

interface GoodsRefusal {
  eventId: string;
  at: number;
  deviceName: string;
  household: HouseholdRef | null;
  unitText: string;
  description: string;
  photoHash: string | null;
}

const REFRESH_MS = 10_000;

function GoodsRefusals() {
  const [items, setItems] = useState<GoodsRefusal[] | null>(null);
  useEffect(() => {
    const load = () =>
      void get<{ items: GoodsRefusal[] }>(cpath('/goods-refusals?limit=50')).then(
        (r) => setItems(r.items),
        () => undefined,
      );
    load();
    const id = setInterval(load, REFRESH_MS);
    return () => clearInterval(id);
  }, []);
  return (
    <section class="goods-refusals" data-testid="goods-refusals">
      <h3>{t('goods.heading')}</h3>
      {items && items.length === 0 && <p class="hint">{t('table.empty')}</p>}
      {items && items.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>{t('slip.recordAt')}</th>
              <th>{t('slip.recordGate')}</th>
              <th>{t('slip.household')}</th>
              <th>{t('goods.description')}</th>
              <th>{t('slip.recordPhoto')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((g) => (
              <tr key={g.eventId} data-testid="goods-refusal">
                <td>{dateTimeOfMs(g.at)}</td>
                <td>{g.deviceName}</td>
                <td>{g.household?.label ?? g.unitText}</td>
                <td>{g.description}</td>
                <td>
                  {g.photoHash && (
                    <img
                      class="load-photo"
                      src={photoUrl(g.photoHash)}
                      alt={t('slip.recordPhoto')}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function SlipsPage() {
  const [state, setState] = useState('');
  const [alerts, setAlerts] = useState(0);
  useEffect(() => {
    void get<{ alerts: unknown[] }>(cpath('/slip-alerts')).then((r) => setAlerts(r.alerts.length));
  }, []);
  const load = (q: PageQuery) =>
    get<Page<Slip>>(
      cpath(
        `/slips${query({ q: q.q, sort: q.sort, desc: q.desc, offset: q.offset, limit: q.limit, state: state || undefined })}`,
      ),
    );
  const columns: Column<Slip>[] = [
    {
      key: 'serial',
      label: t('slip.serial'),
      sort: 'serial',
      render: (s) => <a href={`/office/slips/${s.serial}`}>{serialText(s.serial)}</a>,
    },
    { key: 'unit', label: t('slip.household'), render: (s) => s.household.label },
    { key: 'applicant', label: t('slip.applicant'), render: (s) => s.applicantName },
    { key: 'items', label: t('slip.items'), render: (s) => itemsText(s.items) },
    {
      key: 'validity',
      label: t('slip.validity'),
      sort: 'validFrom',
      render: (s) => validityText(s.validFrom, s.validUntil),
    },
    { key: 'state', label: t('slip.state'), render: (s) => <SlipStateBadge state={s.state} /> },
    {
      key: 'records',
      label: t('slip.records'),
      render: (s) =>
        s.uses.map((u) => `${dateTimeOfMs(u.at)} ${u.deviceName} ${outcomeText(u)}`).join('；'),
    },
  ];
  return (
    <section class="page" data-testid="slips-page">
      <h2>{t('slips.heading')}</h2>
      {alerts > 0 && (
        <p class="form-error" role="alert" data-testid="slip-alert-notice">
          ⚠ {t('slips.alerts', { n: alerts })}{' '}
          <a href="/office/slips/alerts">{t('slips.seeAlerts')}</a>
        </p>
      )}
      <DataTable
        key={state}
        testId="slips-table"
        columns={columns}
        load={load}
        rowKey={(s) => s.serial}
        defaultSort="serial"
        defaultDesc
        searchLabel={t('slips.search')}
        toolbar={
          <>
            <label class="inline-field">
              {t('slip.state')}
              <select
                aria-label={t('slip.state')}
                value={state}
                onChange={(e) => setState(e.currentTarget.value)}
              >
                <option value="">{t('filter.all')}</option>
                {SLIP_STATES.map((s) => (
                  <option key={s} value={s}>
                    {t(SLIP_STATE_KEYS[s])}
                  </option>
                ))}
              </select>
            </label>
            {allowed('slip.write') && (
              <a class="button-like" href="/office/slips/new">
                {t('nav.newSlip')}
              </a>
            )}
            <a class="button-like" href="/office/slips/register">
              {t('slips.printRegister')}
            </a>
            <button type="button" onClick={() => void downloadRegisterCsv(state || undefined)}>
              {t('slips.exportCsv')}
            </button>
          </>
        }
      />
      <GoodsRefusals />
    </section>
  );
}
