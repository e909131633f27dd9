/**
 * The manual fallback: the card's serial (printed on the card) typed in, or the holder found by
 * name (prefix) or by mobile number (matched through its keyed hash, so the kiosk holds no phone
 * numbers). A card chosen here goes through the same verdict as a scanned one, marked manual.
 */
import { useSignal } from '@preact/signals';
import { fromBase64Url } from '../domain/bytes';
import { validateMobile } from '../domain/rules/phone';
import { matchHash } from '../domain/match-hash';
import type { SyncedRow } from '../domain/sync/tables';
import { findCardsByName, findCardsByPhoneMatch, householdsById } from '../data/gate-copy';
import { t } from './messages';
import { db, thresholds } from './store';
import { judgeByHand } from './verdict/session';
import { roleText, unitText } from './verdict/words';

const MAX_RESULTS = 20;

interface Found {
  card: SyncedRow<'card'>;
  units: string;
}

async function search(query: string): Promise<Found[] | 'invalid'> {
  const q = query.trim();
  const mobile = validateMobile(q);
  let cards: Array<SyncedRow<'card'>>;
  if (mobile.ok) {
    const key = thresholds.value?.matchKey;
    if (!key) return [];
    const hash = await matchHash(fromBase64Url(key), 'phone', mobile.value);
    cards = await findCardsByPhoneMatch(db, hash, MAX_RESULTS);
  } else if (/^\p{L}/u.test(q)) {
    cards = await findCardsByName(db, q, MAX_RESULTS);
  } else return 'invalid';
  const homes = await householdsById(db, [...new Set(cards.flatMap((c) => c.householdIds))]);
  return cards.map((card) => ({
    card,
    units: card.householdIds
      .flatMap((id) => (homes.has(id) ? [unitText(homes.get(id)!)] : []))
      .join('；'),
  }));
}

export function ManualLookup(props: { onClose: () => void }) {
  const query = useSignal('');
  const found = useSignal<Found[] | null>(null);
  const invalid = useSignal(false);

  async function submit() {
    const q = query.value.trim();
    invalid.value = false;
    if (/^[0-9]{1,10}$/.test(q) && Number(q) <= 0xffffffff) {
      props.onClose();
      await judgeByHand(Number(q));
      return;
    }
    const r = await search(q);
    if (r === 'invalid') {
      invalid.value = true;
      found.value = null;
    } else found.value = r;
  }

  return (
    <section class="manual" data-testid="manual-lookup">
      <h2>{t('manual.title')}</h2>
      <form
        class="manual-form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label for="manual-query">{t('manual.label')}</label>
        <input
          id="manual-query"
          autocomplete="off"
          value={query.value}
          onInput={(e) => (query.value = (e.currentTarget as HTMLInputElement).value)}
        />
        <div class="manual-buttons">
          <button type="submit" class="big-button">
            {t('manual.search')}
          </button>
          <button type="button" class="big-button secondary" onClick={props.onClose}>
            {t('manual.close')}
          </button>
        </div>
      </form>
      {invalid.value ? <p class="refusal">{t('manual.invalid')}</p> : null}
      {found.value !== null && found.value.length === 0 ? <p>{t('manual.none')}</p> : null}
      {found.value?.length ? (
        <ul class="manual-results">
          {found.value.map(({ card, units }) => (
            <li key={card.serial}>
              <button
                type="button"
                class="big-button secondary manual-result"
                data-serial={card.serial}
                onClick={() => {
                  props.onClose();
                  void judgeByHand(card.serial);
                }}
              >
                <strong>{card.holderName}</strong> · {roleText(card)}
                {units ? ` · ${units}` : ''} · {t('holder.serial', { serial: card.serial })}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
