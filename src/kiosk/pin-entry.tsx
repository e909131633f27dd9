/**
 * Typing a PIN at the gate: a keypad with large keys (and the field itself, for a tablet's own
 * keyboard), the PIN shown as dots, what went wrong in words with a sound, and the lockout with the
 * time left counting down. The lockout is the kiosk's stored one (meta `shiftPinLockout`), so it is
 * shown the moment the screen opens, after a reload too.
 */
import { useEffect, useState } from 'preact/hooks';
import type { GuardPinResult } from '../data/guard-pin';
import { isLockedOut, LOCKOUT_FAILURES, NO_FAILURES } from '../domain/pin';
import { t } from './messages';
import { meta } from './store';
import { playVerdictSound } from './verdict/sounds';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'back'] as const;
const MAX_DIGITS = 6;

/**
 * Milliseconds now, rendering again every second while `active`. Always the clock at render time,
 * never a value kept from an earlier render: the lock's first showing counts from the moment it
 * began, not from when the keypad opened.
 */
function useTicking(active: boolean): number {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!active) return;
    const id = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(id);
  }, [active]);
  return Date.now();
}

function remainingText(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return t('pin.remaining', { m: Math.floor(s / 60), s: String(s % 60).padStart(2, '0') });
}

export function PinEntry(props: {
  title: string;
  submitLabel: string;
  /** Checks the PIN and acts on it; null when there was nothing to act on any more. */
  check: (pin: string) => Promise<GuardPinResult | null>;
  onDone: (r: GuardPinResult & { ok: true }) => void;
  onCancel: () => void;
}) {
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [wrong, setWrong] = useState<number | null>(null);
  const lock = meta.value?.shiftPinLockout ?? NO_FAILURES;
  const now = useTicking(lock.lockedUntil * 1000 > Date.now());
  const locked = isLockedOut(lock, Math.floor(now / 1000));

  const press = (k: (typeof KEYS)[number]) => {
    setWrong(null);
    if (k === 'clear') setPin('');
    else if (k === 'back') setPin((p) => p.slice(0, -1));
    else setPin((p) => (p.length < MAX_DIGITS ? p + k : p));
  };
  const submit = async () => {
    if (busy || locked || pin.length === 0) return;
    setBusy(true);
    try {
      const r = await props.check(pin);
      setPin('');
      if (r?.ok) {
        playVerdictSound('allow');
        props.onDone(r);
      } else if (r) {
        playVerdictSound('deny');
        setWrong(r.reason === 'wrong' ? LOCKOUT_FAILURES - r.failures : null);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      class="pin-entry"
      data-testid="pin-entry"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3>{props.title}</h3>
      <label class="pin-field">
        <span>{t('pin.label')}</span>
        <input
          type="password"
          inputMode="numeric"
          autocomplete="off"
          data-testid="pin-input"
          maxLength={MAX_DIGITS}
          value={pin}
          disabled={locked}
          onInput={(e) => {
            setWrong(null);
            setPin(e.currentTarget.value.replace(/\D/g, '').slice(0, MAX_DIGITS));
          }}
        />
      </label>
      {locked ? (
        <p
          class="pin-message pin-locked"
          role="alert"
          data-testid="pin-locked"
          data-until={lock.lockedUntil}
        >
          ⚠ {t('pin.locked', { remaining: remainingText(lock.lockedUntil * 1000 - now) })}
        </p>
      ) : wrong !== null ? (
        <p class="pin-message" role="alert" data-testid="pin-wrong">
          ✕ {t('pin.wrong', { n: wrong })}
        </p>
      ) : busy ? (
        <p class="pin-message" role="status">
          {t('pin.checking')}
        </p>
      ) : null}
      <div class="pin-keys" role="group" aria-label={t('pin.label')}>
        {KEYS.map((k) => (
          <button
            key={k}
            type="button"
            class="pin-key"
            data-key={k}
            aria-label={k === 'back' ? t('pin.back') : undefined}
            disabled={locked || busy}
            onClick={() => press(k)}
          >
            {k === 'clear' ? t('pin.clear') : k === 'back' ? '⌫' : k}
          </button>
        ))}
      </div>
      <div class="choice-row">
        <button
          type="submit"
          class="big-button"
          data-testid="pin-submit"
          disabled={locked || busy || pin.length === 0}
        >
          {props.submitLabel}
        </button>
        <button type="button" class="big-button secondary" onClick={props.onCancel}>
          {t('pin.cancel')}
        </button>
      </div>
    </form>
  );
}
