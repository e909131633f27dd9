/**
 * Goods leaving, on the home screen: the slip's code typed (or pasted by a handheld scanner) when
 * the camera cannot read it, and the record of goods that have no slip at all (unit if known,
 * what they are, optionally a photo), a refusal the office sees as soon as the kiosk is online.
 */
import { signal } from '@preact/signals';
import { householdLabel } from '../../domain/household';
import type { SyncedRow } from '../../domain/sync/tables';
import { householdsByAddress, recordGoodsRefusal } from '../../data/slips';
import { t } from '../messages';
import { guardIdOnDuty } from '../duty';
import { db, nudgeSync } from '../store';
import { PhotoButton } from '../gate-photo';
import { preloadJudging } from '../verdict/session';
import { openSlip } from './slip-session';

const typed = signal('');
const notReady = signal(false);

type Household = SyncedRow<'household'> & { id: string };
const goodsOpen = signal(false);
const unit = signal('');
const picked = signal<Household | null>(null);
const suggestions = signal<Household[]>([]);
const description = signal('');
const photo = signal<string | null>(null);
const goodsState = signal<'idle' | 'saving' | 'saved' | 'failed'>('idle');

async function saveGoods() {
  if (goodsState.value === 'saving' || description.value.trim() === '') return;
  goodsState.value = 'saving';
  try {
    await recordGoodsRefusal(
      db,
      {
        householdId: picked.value?.id ?? null,
        unitText: picked.value ? '' : unit.value.trim(),
        description: description.value.trim(),
        photo: photo.value,
      },
      guardIdOnDuty(),
      Date.now(),
      -new Date().getTimezoneOffset(),
    );
    unit.value = '';
    picked.value = null;
    description.value = '';
    photo.value = null;
    goodsState.value = 'saved';
    nudgeSync();
  } catch (e) {
    console.error('[goods]', e);
    goodsState.value = 'failed';
  }
}

function GoodsForm() {
  const state = goodsState.value;
  return (
    <form
      class="note-form goods-form"
      data-testid="goods-form"
      onSubmit={(e) => {
        e.preventDefault();
        void saveGoods();
      }}
    >
      <h3>{t('goods.title')}</h3>
      <label for="goods-unit">{t('goods.unit')}</label>
      <input
        id="goods-unit"
        value={picked.value ? householdLabel(picked.value) : unit.value}
        placeholder="3-2-1201"
        autocomplete="off"
        onInput={(e) => {
          unit.value = e.currentTarget.value;
          picked.value = null;
          void householdsByAddress(db, unit.value, 6).then((h) => (suggestions.value = h));
        }}
      />
      {!picked.value && suggestions.value.length > 0 && (
        <div class="goods-suggestions">
          {suggestions.value.map((h) => (
            <button
              key={h.id}
              type="button"
              class="big-button secondary"
              onClick={() => {
                picked.value = h;
                suggestions.value = [];
              }}
            >
              {householdLabel(h)}
            </button>
          ))}
        </div>
      )}
      <label for="goods-description">{t('goods.description')}</label>
      <textarea
        id="goods-description"
        rows={2}
        maxLength={300}
        value={description.value}
        onInput={(e) => {
          description.value = e.currentTarget.value;
          if (goodsState.value !== 'saving') goodsState.value = 'idle';
        }}
      />
      <PhotoButton
        label={t('goods.photo')}
        taken={photo.value !== null}
        onPhoto={(p) => (photo.value = p)}
      />
      <button
        type="submit"
        class="big-button refuse"
        disabled={state === 'saving' || description.value.trim() === ''}
      >
        ⛔ {t('goods.record')}
      </button>
      <p
        class={`save-state save-${state}`}
        data-testid="goods-save-state"
        data-state={state}
        role="status"
      >
        {state === 'saved'
          ? `✓ ${t('goods.saved')}`
          : state === 'failed'
            ? `⛔ ${t('note.failed')}`
            : ''}
      </p>
    </form>
  );
}

export function SlipEntry() {
  return (
    <section class="slip-entry" data-testid="slip-entry">
      <form
        class="note-form"
        onSubmit={(e) => {
          e.preventDefault();
          void preloadJudging()
            .then((judge) => judge.verifyText(typed.value.trim()))
            .then(async (v) => {
              notReady.value = v === null;
              if (!v) return;
              typed.value = '';
              await openSlip(v);
            });
        }}
      >
        <label for="slip-code">{t('slipEntry.label')}</label>
        <input
          id="slip-code"
          autocomplete="off"
          spellcheck={false}
          value={typed.value}
          onInput={(e) => (typed.value = e.currentTarget.value)}
        />
        <button type="submit" class="big-button">
          {t('slipEntry.check')}
        </button>
        {notReady.value && <p class="refusal">{t('slipEntry.notReady')}</p>}
      </form>
      <button
        type="button"
        class="big-button secondary"
        data-testid="goods-open"
        aria-expanded={goodsOpen.value}
        onClick={() => (goodsOpen.value = !goodsOpen.value)}
      >
        {t('goods.open')}
      </button>
      {goodsOpen.value && <GoodsForm />}
    </section>
  );
}
