/**
 * The gate kiosks of the community: when each was last seen and last pulled, its app version and
 * how many events it still holds, so the office sees that a revocation has reached every gate.
 */
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api';
import { dateTimeOfMs } from '../format';
import { t } from '../messages';
import { cpath } from '../session';

interface Device {
  id: string;
  name: string;
  revokedAt: number | null;
  lastSeenAt: number | null;
  lastPullAt: number | null;
  appVersion: string;
  pendingEvents: number;
}

export function DevicesPage() {
  const [devices, setDevices] = useState<Device[] | null>(null);
  useEffect(() => {
    void get<{ devices: Device[] }>(cpath('/devices')).then((r) => setDevices(r.devices));
  }, []);
  if (!devices) return <p class="page">{t('page.loading')}</p>;
  const when = (ms: number | null) => (ms === null ? '—' : dateTimeOfMs(ms));
  return (
    <section class="page" data-testid="devices-page">
      <h2>{t('devices.heading')}</h2>
      <table>
        <thead>
          <tr>
            <th>{t('devices.name')}</th>
            <th>{t('devices.lastSeen')}</th>
            <th>{t('devices.lastPull')}</th>
            <th>{t('devices.version')}</th>
            <th>{t('devices.pending')}</th>
            <th>{t('card.state')}</th>
          </tr>
        </thead>
        <tbody>
          {devices.map((d) => (
            <tr key={d.id}>
              <td>{d.name}</td>
              <td>{when(d.lastSeenAt)}</td>
              <td>{when(d.lastPullAt)}</td>
              <td>{d.appVersion || '—'}</td>
              <td>{d.pendingEvents}</td>
              <td>{d.revokedAt === null ? t('devices.active') : t('devices.revoked')}</td>
            </tr>
          ))}
          {devices.length === 0 && (
            <tr>
              <td colSpan={6} class="table-empty">
                {t('devices.none')}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
