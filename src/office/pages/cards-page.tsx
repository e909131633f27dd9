/**
 * The cards: every card, searched by holder, serial or employer unit and filtered by state; or,
 * at /office/cards/expiring, the cards that expire within 7 days with one-click renewal. Cards
 * can be picked for printing on an A4 sheet.
 */
import { useState } from 'preact/hooks';
import { ApiFailure, get, post, query } from '../api';
import { CardStateBadge } from '../components/card-state';
import { DataTable, type Column, type PageQuery } from '../components/data-table';
import { roleText, serialText, validityText } from '../format';
import { t, type OfficeKey } from '../messages';
import type { Card, Page } from '../model';
import { location$ } from '../router';
import { allowed, cpath } from '../session';

const STATES: Array<[string, OfficeKey]> = [
  ['', 'filter.all'],
  ['valid', 'state.valid'],
  ['not_yet_valid', 'state.notYetValid'],
  ['expired', 'state.expired'],
  ['suspended', 'state.suspended'],
  ['revoked', 'state.revoked'],
  ['superseded', 'state.superseded'],
];

const EXPIRING_DAYS = 7;

export function CardsPage() {
  const expiring = location$.value.path === '/office/cards/expiring';
  const [state, setState] = useState('');
  const [picked, setPicked] = useState<number[]>([]);
  const [reload, setReload] = useState(0);
  const [message, setMessage] = useState<{ text: string; serial?: number; error?: boolean } | null>(
    null,
  );
  const canWrite = allowed('card.write');

  const load = (q: PageQuery) =>
    get<Page<Card>>(
      cpath(
        `/cards${query({
          q: q.q,
          sort: q.sort,
          desc: q.desc,
          offset: q.offset,
          limit: q.limit,
          state: expiring ? undefined : state || undefined,
          expiringWithinDays: expiring ? EXPIRING_DAYS : undefined,
        })}`,
      ),
    );

  const renew = async (card: Card) => {
    try {
      const renewed = await post<Card>(cpath(`/cards/${card.serial}/renew`), {});
      setMessage({
        text: t('cards.renewed', { serial: serialText(renewed.serial) }),
        serial: renewed.serial,
      });
      setReload(reload + 1);
    } catch (e) {
      setMessage({ text: e instanceof ApiFailure ? e.message : t('error.network'), error: true });
    }
  };

  const togglePick = (serial: number) =>
    setPicked(picked.includes(serial) ? picked.filter((s) => s !== serial) : [...picked, serial]);

  const columns: Column<Card>[] = [
    {
      key: 'pick',
      label: t('cards.pick'),
      class: 'narrow no-print',
      render: (c) => (
        <input
          type="checkbox"
          aria-label={t('cards.pickOne', { serial: serialText(c.serial) })}
          checked={picked.includes(c.serial)}
          onChange={() => togglePick(c.serial)}
        />
      ),
    },
    {
      key: 'serial',
      label: t('card.serial'),
      sort: 'serial',
      render: (c) => <a href={`/office/cards/${c.serial}`}>{serialText(c.serial)}</a>,
    },
    {
      key: 'holder',
      label: t('card.holderName'),
      sort: 'holderName',
      render: (c) => <a href={`/office/cards/${c.serial}`}>{c.holderName}</a>,
    },
    { key: 'role', label: t('card.role'), render: (c) => roleText(c.role, c.roleLabel) },
    {
      key: 'employer',
      label: t('card.employer'),
      render: (c) => c.households.map((h) => h.label).join('、'),
    },
    {
      key: 'validity',
      label: t('card.validity'),
      sort: 'validUntil',
      render: (c) => validityText(c.validFrom, c.validUntil),
    },
    { key: 'state', label: t('card.state'), render: (c) => <CardStateBadge card={c} /> },
  ];
  if (expiring && canWrite) {
    columns.push({
      key: 'renew',
      label: t('cards.action'),
      class: 'no-print',
      render: (c) => (
        <button type="button" onClick={() => void renew(c)}>
          {t('cards.renew')}
        </button>
      ),
    });
  }

  return (
    <section class="page" data-testid={expiring ? 'expiring-page' : 'cards-page'}>
      <h2>{expiring ? t('cards.expiringHeading', { days: EXPIRING_DAYS }) : t('cards.heading')}</h2>
      {message && (
        <p class={message.error ? 'form-error' : 'notice'} role="status">
          {message.text}{' '}
          {message.serial && (
            <a href={`/office/cards/${message.serial}/print`}>{t('cards.printNew')}</a>
          )}
        </p>
      )}
      <DataTable
        key={`${expiring}:${state}`}
        testId="cards-table"
        columns={columns}
        load={load}
        rowKey={(c) => c.serial}
        defaultSort={expiring ? 'validUntil' : 'serial'}
        defaultDesc={!expiring}
        searchLabel={t('cards.search')}
        reloadKey={reload}
        toolbar={
          <>
            {!expiring && (
              <label class="inline-field">
                {t('card.state')}
                <select
                  aria-label={t('card.state')}
                  value={state}
                  onChange={(e) => setState((e.currentTarget as HTMLSelectElement).value)}
                >
                  {STATES.map(([value, key]) => (
                    <option key={value} value={value}>
                      {t(key)}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <a
              class={`button-like${picked.length === 0 ? ' disabled' : ''}`}
              aria-disabled={picked.length === 0}
              href={picked.length ? `/office/cards/sheet?serials=${picked.join(',')}` : undefined}
            >
              {t('cards.printSheet', { n: picked.length })}
            </a>
          </>
        }
      />
    </section>
  );
}
