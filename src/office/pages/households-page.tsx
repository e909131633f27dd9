/**
 * Households: searched by building-unit-room or occupant, sorted and paged on the server, with the
 * moved-out switch (its workers' active cards are then suspended for review) and the way to the
 * CSV import.
 */
import { useState } from 'preact/hooks';
import type { Occupancy } from '../../domain/household';
import { ApiFailure, get, patch, query } from '../api';
import { DataTable, type Column, type PageQuery } from '../components/data-table';
import { count, dateTimeOfMs } from '../format';
import { t, type OfficeKey } from '../messages';
import type { Household, Page } from '../model';
import { allowed, cpath } from '../session';

export const OCCUPANCY_KEYS: Record<Occupancy, OfficeKey> = {
  owner: 'occupancy.owner',
  tenant: 'occupancy.tenant',
  vacant: 'occupancy.vacant',
  shop: 'occupancy.shop',
};

export function HouseholdsPage() {
  const [movedOut, setMovedOut] = useState('');
  const [reload, setReload] = useState(0);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [message, setMessage] = useState<{ text: string; error?: boolean } | null>(null);
  const canWrite = allowed('household.write');

  const load = (q: PageQuery) =>
    get<Page<Household>>(
      cpath(
        `/households${query({ q: q.q, sort: q.sort, desc: q.desc, offset: q.offset, limit: q.limit, movedOut: movedOut || undefined })}`,
      ),
    );

  const toggle = async (h: Household) => {
    if (!h.movedOut && confirming !== h.id) {
      setConfirming(h.id);
      return;
    }
    setConfirming(null);
    try {
      const r = await patch<{ suspendedCards: number[] }>(cpath(`/households/${h.id}`), {
        movedOut: !h.movedOut,
      });
      setMessage({
        text: h.movedOut
          ? t('households.movedIn', { label: h.label })
          : t('households.movedOutDone', { label: h.label, n: r.suspendedCards.length }),
      });
      setReload(reload + 1);
    } catch (e) {
      setMessage({ text: e instanceof ApiFailure ? e.message : t('error.network'), error: true });
    }
  };

  const columns: Column<Household>[] = [
    {
      key: 'label',
      label: t('household.address'),
      sort: 'address',
      render: (h) => <strong>{h.label}</strong>,
    },
    {
      key: 'occupancy',
      label: t('household.occupancy'),
      render: (h) => t(OCCUPANCY_KEYS[h.occupancy]),
    },
    {
      key: 'occupants',
      label: t('household.occupants'),
      render: (h) => h.occupants.join('、') || '—',
    },
    { key: 'cards', label: t('household.activeCards'), render: (h) => count(h.activeCards) },
    {
      key: 'movedOut',
      label: t('household.movedOut'),
      render: (h) =>
        h.movedOut ? <span class="badge badge-suspended">{t('household.movedOut')}</span> : '—',
    },
    {
      key: 'updated',
      label: t('household.updated'),
      sort: 'updated',
      render: (h) => dateTimeOfMs(h.updatedAt),
    },
  ];
  if (canWrite) {
    columns.push({
      key: 'action',
      label: t('cards.action'),
      class: 'no-print',
      render: (h) => (
        <button
          type="button"
          class={confirming === h.id ? 'button-danger' : ''}
          onClick={() => void toggle(h)}
        >
          {h.movedOut
            ? t('households.markIn')
            : confirming === h.id
              ? t('households.confirmOut', { n: h.activeCards })
              : t('households.markOut')}
        </button>
      ),
    });
  }

  return (
    <section class="page" data-testid="households-page">
      <h2>{t('households.heading')}</h2>
      {message && (
        <p class={message.error ? 'form-error' : 'notice'} role="status">
          {message.text}
        </p>
      )}
      <DataTable
        key={movedOut}
        testId="households-table"
        columns={columns}
        load={load}
        rowKey={(h) => h.id}
        defaultSort="address"
        searchLabel={t('households.search')}
        reloadKey={reload}
        toolbar={
          <>
            <label class="inline-field">
              {t('household.movedOut')}
              <select
                aria-label={t('household.movedOut')}
                value={movedOut}
                onChange={(e) => setMovedOut(e.currentTarget.value)}
              >
                <option value="">{t('filter.all')}</option>
                <option value="false">{t('households.living')}</option>
                <option value="true">{t('household.movedOut')}</option>
              </select>
            </label>
            {canWrite && (
              <a class="button-like" href="/office/households/import">
                {t('households.import')}
              </a>
            )}
          </>
        }
      />
    </section>
  );
}
