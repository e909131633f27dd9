/**
 * Incident records (《突发事件处理记录表》) in the office: the list, and one record laid out as
 * the paper form (A4), with the three signatures and the photos, ready to print and file.
 */
import { useEffect, useState } from 'preact/hooks';
import {
  SIGNERS,
  type IncidentAction,
  type IncidentType,
  type Signer,
} from '../../domain/incident';
import { get } from '../api';
import { usePaper } from '../components/page-size';
import { dateTimeOfMs } from '../format';
import { t } from '../messages';
import { cpath, currentCommunity } from '../session';

interface Summary {
  id: string;
  type: IncidentType;
  unit: string;
  occurredAt: number;
  recordedAt: number;
  deviceName: string;
  signedBy: Record<Signer, string>;
  photoCount: number;
}

interface Detail extends Summary {
  people: string;
  happened: string;
  actions: IncidentAction[];
  actionsNote: string;
  signatures: Record<Signer, { name: string; image: string }>;
  photos: string[];
}

const imageUrl = (id: string, hash: string) => `/api${cpath(`/incidents/${id}/images/${hash}`)}`;

export function IncidentsPage() {
  const [items, setItems] = useState<Summary[] | null>(null);
  useEffect(() => {
    void get<{ incidents: Summary[] }>(cpath('/incidents')).then((r) => setItems(r.incidents));
  }, []);
  return (
    <section class="page" data-testid="incidents-page">
      <h2>{t('incidents.heading')}</h2>
      <table>
        <thead>
          <tr>
            <th>{t('incident.occurredAt')}</th>
            <th>{t('incident.type')}</th>
            <th>{t('incident.unit')}</th>
            <th>{t('incident.signatures')}</th>
            <th>{t('incident.photos')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(items ?? []).map((i) => (
            <tr key={i.id} data-testid="incident-row">
              <td>{dateTimeOfMs(i.occurredAt)}</td>
              <td>{t(`incident.type.${i.type}`)}</td>
              <td>{i.unit}</td>
              <td>{SIGNERS.map((s) => i.signedBy[s]).join('、')}</td>
              <td>{t('incident.photoCount', { n: i.photoCount })}</td>
              <td>
                <a href={`/office/incidents/${i.id}`}>{t('incident.open')}</a>
              </td>
            </tr>
          ))}
          {items?.length === 0 && (
            <tr>
              <td colSpan={6} class="table-empty">
                {t('incidents.empty')}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}

export function IncidentPage(props: { params: Record<string, string> }) {
  usePaper('form');
  const id = props.params.incidentId!;
  const [r, setR] = useState<Detail | null>(null);
  useEffect(() => {
    void get<Detail>(cpath(`/incidents/${id}`)).then(setR);
  }, [id]);
  if (!r) return <p class="page">{t('page.loading')}</p>;
  return (
    <section class="page" data-testid="incident-page">
      <div class="print-tools no-print">
        <button type="button" class="button-primary" onClick={() => window.print()}>
          {t('print.print')}
        </button>
      </div>
      <div class="paper-form">
        <h2>
          {currentCommunity.value?.name} · {t('incident.formTitle')}
        </h2>
        <table class="form-grid">
          <tbody>
            <tr>
              <th>{t('incident.type')}</th>
              <td>{t(`incident.type.${r.type}`)}</td>
              <th>{t('incident.occurredAt')}</th>
              <td>{dateTimeOfMs(r.occurredAt)}</td>
            </tr>
            <tr>
              <th>{t('incident.unit')}</th>
              <td colSpan={3}>{r.unit}</td>
            </tr>
            <tr>
              <th>{t('incident.people')}</th>
              <td colSpan={3}>{r.people}</td>
            </tr>
            <tr class="tall">
              <th>{t('incident.happened')}</th>
              <td colSpan={3} class="prose" data-testid="incident-happened">
                {r.happened}
              </td>
            </tr>
            <tr>
              <th>{t('incident.actions')}</th>
              <td colSpan={3} class="prose">
                {r.actions.map((a) => t(`incident.action.${a}`)).join('；')}
                {r.actionsNote && `\n${r.actionsNote}`}
              </td>
            </tr>
            <tr>
              <th>{t('incident.signatures')}</th>
              <td colSpan={3}>
                <div class="signatures">
                  {SIGNERS.map((s) => (
                    <figure key={s}>
                      <img
                        src={imageUrl(r.id, r.signatures[s].image)}
                        alt={r.signatures[s].name}
                        data-testid={`incident-signature-${s}`}
                      />
                      <figcaption>
                        {t(`incident.signer.${s}`)}：{r.signatures[s].name}
                      </figcaption>
                    </figure>
                  ))}
                </div>
              </td>
            </tr>
            {r.photos.length > 0 && (
              <tr>
                <th>{t('incident.photos')}</th>
                <td colSpan={3}>
                  <div class="incident-photos">
                    {r.photos.map((h) => (
                      <img key={h} src={imageUrl(r.id, h)} alt="" data-testid="incident-photo" />
                    ))}
                  </div>
                </td>
              </tr>
            )}
          </tbody>
        </table>
        <p class="form-meta">
          {t('incident.recorded', { device: r.deviceName, at: dateTimeOfMs(r.recordedAt) })}
        </p>
      </div>
    </section>
  );
}
