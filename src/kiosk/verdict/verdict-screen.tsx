/**
 * The verdict, full screen (DESIGN §3.5): green / amber / red with an icon and words, the reason
 * in one line, the holder's photo large beside name, role, employer and days left, a warning when
 * the card expires within a week, the key-household marker for the guard (a small sign and what
 * to do, never why), and what the guard can do: confirm, refuse, or override with a reason (a
 * supervisor's PIN to admit on red). It clears itself after a few seconds.
 *
 * Tests and tools read `data-testid="verdict"`, `data-verdict` (allow | check | deny),
 * `data-reason` (the stable reason code), `data-key` (one number per verdict), `data-serial` and
 * `data-manual`.
 */
import { useSignal } from '@preact/signals';
import { liveQuery } from 'dexie';
import { useEffect, useState } from 'preact/hooks';
import type { Verdict } from '../../domain/verdict/card';
import { checkSupervisorPin } from '../../data/supervisor-pin';
import { clockTime } from '../format';
import { t } from '../messages';
import { db } from '../store';
import { KeyHouseholdMarker } from '../key-household-marker';
import {
  clearsAt,
  closeDialog,
  dialog,
  finish,
  openDialog,
  shown,
  type ShownVerdict,
} from './session';
import { reasonLine, roleText, unitText, verdictWord } from './words';

const ICON: Record<Verdict, string> = { allow: '✓', check: '!', deny: '✕' };

type Preset = 'checkedId' | 'knownHolder' | 'officeConfirmed' | 'faceMismatch' | 'other';
const PRESETS: Record<'admit' | 'refuse' | 'supervisor', Preset[]> = {
  admit: ['checkedId', 'knownHolder', 'officeConfirmed', 'other'],
  refuse: ['faceMismatch', 'other'],
  supervisor: ['checkedId', 'officeConfirmed', 'other'],
};

function usePhotoUrl(hash: string | null | undefined): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!hash) return;
    let current: string | null = null;
    // Live: a photo fetched while the verdict is on screen appears at once.
    const sub = liveQuery(() => db.photos.get(hash)).subscribe({
      next: (p) => {
        if (!p || current) return;
        current = URL.createObjectURL(new Blob([p.bytes], { type: p.type }));
        setUrl(current);
      },
    });
    return () => {
      sub.unsubscribe();
      if (current) URL.revokeObjectURL(current);
      setUrl(null);
    };
  }, [hash]);
  return url;
}

function Countdown() {
  const tick = useSignal(0);
  useEffect(() => {
    const timer = setInterval(() => tick.value++, 250);
    return () => clearInterval(timer);
  }, []);
  void tick.value;
  const at = clearsAt.value;
  if (at === null) return null;
  const seconds = Math.max(0, Math.ceil((at - performance.now()) / 1000));
  return <p class="verdict-countdown">{t('action.clearsIn', { seconds })}</p>;
}

function Holder(props: { v: ShownVerdict }) {
  const { v } = props;
  const card = v.card;
  const photo = usePhotoUrl(card?.photoHash);
  // Whole days, rounded up: a card valid for another 2.5 days has "3 days left".
  const daysLeft =
    v.validUntil !== undefined
      ? Math.max(0, Math.ceil((v.validUntil * 1000 - v.judgedAt) / 86_400_000))
      : null;
  const units = v.households.map(unitText).join('；');
  return (
    <div class="verdict-holder">
      {card ? (
        photo ? (
          <img
            class="verdict-photo"
            src={photo}
            alt={card.holderName}
            data-testid="verdict-photo"
          />
        ) : (
          <div class="verdict-photo verdict-photo-none">{t('holder.noPhoto')}</div>
        )
      ) : null}
      <div class="verdict-details">
        {card ? <p class="holder-name">{card.holderName}</p> : null}
        {card ? (
          <p class="holder-line">
            {roleText(card)}
            {units ? ` · ${t('holder.employer', { units })}` : ''}
          </p>
        ) : null}
        <p class="holder-line">
          {daysLeft !== null && v.verdict !== 'deny'
            ? `${t('holder.daysLeft', { days: daysLeft })} · `
            : ''}
          {v.serial !== null ? t('holder.serial', { serial: v.serial }) : ''}
          {v.manual ? ` · ${t('holder.manual')}` : ''}
          {card?.idMasked ? ` · ${t('holder.idMasked', { id: card.idMasked })}` : ''}
        </p>
        {v.expiresInDays !== undefined ? (
          <p class="holder-warning" data-testid="verdict-expiry-warning">
            ⚠ {t('holder.expiresSoon', { days: daysLeft ?? 0 })}
          </p>
        ) : null}
        <KeyHouseholdMarker marker={v.keyHousehold} />
      </div>
    </div>
  );
}

function OverrideDialog(props: { v: ShownVerdict; mode: 'admit' | 'refuse' | 'supervisor' }) {
  const { v, mode } = props;
  const preset = useSignal<Preset | null>(null);
  const other = useSignal('');
  const pin = useSignal('');
  const error = useSignal('');
  const busy = useSignal(false);

  async function confirm() {
    const reason = (
      preset.value === 'other'
        ? other.value.trim()
        : preset.value
          ? t(`override.reason.${preset.value}`)
          : ''
    ).slice(0, 200);
    if (!reason) {
      error.value = t('override.reasonNeeded');
      return;
    }
    if (mode === 'refuse') return finish(v, 'refused', { reason, by: 'guard', supervisorId: null });
    if (mode === 'admit') return finish(v, 'admitted', { reason, by: 'guard', supervisorId: null });
    busy.value = true;
    error.value = t('override.checking');
    const r = await checkSupervisorPin(db, pin.value, Math.floor(Date.now() / 1000));
    busy.value = false;
    if (r.ok)
      return finish(v, 'admitted', { reason, by: 'supervisor', supervisorId: r.supervisorId });
    pin.value = '';
    error.value =
      r.reason === 'locked'
        ? t('override.pinLocked', { time: clockTime(r.lockedUntil * 1000) })
        : r.reason === 'no_supervisor'
          ? t('override.noSupervisor')
          : t('override.pinWrong');
  }

  return (
    <form
      class="override-dialog"
      data-testid="override-dialog"
      data-mode={mode}
      onSubmit={(e) => {
        e.preventDefault();
        void confirm();
      }}
    >
      <h3>{t(`override.title.${mode}`)}</h3>
      <div class="override-presets">
        {PRESETS[mode].map((p) => (
          <button
            key={p}
            type="button"
            class={`big-button secondary${preset.value === p ? ' chosen' : ''}`}
            aria-pressed={preset.value === p}
            data-preset={p}
            onClick={() => (preset.value = p)}
          >
            {t(`override.reason.${p}`)}
          </button>
        ))}
      </div>
      {preset.value === 'other' ? (
        <input
          id="override-other"
          class="override-input"
          maxLength={200}
          placeholder={t('override.otherLabel')}
          aria-label={t('override.otherLabel')}
          value={other.value}
          onInput={(e) => (other.value = (e.currentTarget as HTMLInputElement).value)}
        />
      ) : null}
      {mode === 'supervisor' ? (
        <label class="override-pin">
          <span>{t('override.pinLabel')}</span>
          <input
            id="override-pin"
            class="override-input"
            type="password"
            inputMode="numeric"
            autocomplete="off"
            maxLength={6}
            value={pin.value}
            onInput={(e) => (pin.value = (e.currentTarget as HTMLInputElement).value)}
          />
        </label>
      ) : null}
      {error.value ? (
        <p class="override-error" role="alert" data-testid="override-error">
          {error.value}
        </p>
      ) : null}
      <div class="override-buttons">
        <button
          type="submit"
          class="big-button"
          data-testid="override-confirm"
          disabled={busy.value}
        >
          {t('override.confirm')}
        </button>
        <button type="button" class="big-button secondary" onClick={closeDialog}>
          {t('override.cancel')}
        </button>
      </div>
    </form>
  );
}

function Actions(props: { v: ShownVerdict }) {
  const { v } = props;
  const done = (decision: 'admitted' | 'refused') => () => void finish(v, decision, null);
  if (v.verdict === 'allow') {
    return (
      <>
        <button
          type="button"
          class="big-button"
          data-testid="verdict-done"
          onClick={done('admitted')}
        >
          {t('action.done')}
        </button>
        <button
          type="button"
          class="big-button secondary"
          data-testid="verdict-refuse"
          onClick={() => openDialog('refuse')}
        >
          {t('action.refuseWithReason')}
        </button>
      </>
    );
  }
  if (v.verdict === 'check') {
    const quick = v.confirmation === 'tap';
    return (
      <>
        <button
          type="button"
          class="big-button"
          data-testid="verdict-admit"
          onClick={() =>
            quick
              ? void finish(v, 'admitted', {
                  reason: t('override.reason.checkedId'),
                  by: 'guard',
                  supervisorId: null,
                })
              : openDialog('admit')
          }
        >
          {quick ? t('action.admit') : t('action.admitWithReason')}
        </button>
        <button
          type="button"
          class="big-button secondary"
          data-testid="verdict-refuse"
          onClick={done('refused')}
        >
          {t('action.refuse')}
        </button>
      </>
    );
  }
  return (
    <>
      <button type="button" class="big-button" data-testid="verdict-done" onClick={done('refused')}>
        {t('action.done')}
      </button>
      <button
        type="button"
        class="big-button secondary"
        data-testid="verdict-supervisor"
        onClick={() => openDialog('supervisor')}
      >
        {t('action.supervisor')}
      </button>
    </>
  );
}

export function VerdictScreen() {
  const v = shown.value;
  if (!v) return null;
  const d = dialog.value;
  return (
    <div
      key={v.key}
      class={`verdict verdict-${v.verdict}`}
      data-testid="verdict"
      data-verdict={v.verdict}
      data-reason={v.reason}
      data-key={v.key}
      data-serial={v.serial ?? ''}
      data-manual={v.manual ? 'true' : 'false'}
      role="alert"
    >
      <header class="verdict-head">
        <span class="verdict-icon" aria-hidden="true">
          {ICON[v.verdict]}
        </span>
        <div>
          <h2 class="verdict-word" elementtiming="verdict">
            {verdictWord(v.verdict)}
          </h2>
          <p class="verdict-reason" data-testid="verdict-reason">
            {reasonLine(v)}
          </p>
        </div>
      </header>
      <Holder v={v} />
      {d ? (
        <OverrideDialog v={v} mode={d.mode} />
      ) : (
        <div class="verdict-actions">
          <Actions v={v} />
        </div>
      )}
      <Countdown />
    </div>
  );
}
