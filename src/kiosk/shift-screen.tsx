/**
 * Shifts at the gate: the bar on every screen saying who is on duty (or that nobody is, so records
 * name no guard), and the shift screen: a guard picks their name and types their PIN to start; on
 * duty, the handover sheet (printable), and the guard on duty (or a supervisor) types their PIN to
 * end the shift, or the next guard takes over directly.
 */
import { signal } from '@preact/signals';
import { useState } from 'preact/hooks';
import { endShift, shiftGuards, startShift } from '../data/shifts';
import { guardOnDuty } from './duty';
import { clockTime } from './format';
import { HandoverSheet } from './handover-sheet';
import { useLive } from './live';
import { t } from './messages';
import { PinEntry } from './pin-entry';
import { db, nudgeSync } from './store';
import { view } from './views';

const tzOffset = () => -new Date().getTimezoneOffset();
/** What just happened here ("张保安 ended the shift"), until the next shift starts. */
const lastChange = signal('');

export function ShiftBar() {
  const s = guardOnDuty.value;
  return s ? (
    <div class="shift-bar on-duty" data-testid="shift-bar" data-guard={s.guardId}>
      <span>✓ {t('shift.onDuty', { name: s.name, since: clockTime(s.startedAt) })}</span>
      <button type="button" class="small-button" onClick={() => (view.value = 'shift')}>
        {t('shift.handover')}
      </button>
    </div>
  ) : (
    <div class="shift-bar off-duty" data-testid="shift-bar" data-guard="" role="status">
      <span>⚠ {t('shift.nobody')}</span>
      <button type="button" class="small-button" onClick={() => (view.value = 'shift')}>
        {t('shift.start')}
      </button>
    </div>
  );
}

/** Names to pick, then the PIN of the one picked. `except` is the guard already on duty. */
function StartShift(props: { except: string | null; onCancel?: () => void }) {
  const guards = useLive(() => shiftGuards(db), []);
  const [chosen, setChosen] = useState<{ id: string; name: string } | null>(null);
  if (chosen)
    return (
      <PinEntry
        title={t('shift.enterPin', { name: chosen.name })}
        submitLabel={t('shift.start')}
        check={(pin) => startShift(db, chosen.id, pin, Date.now(), tzOffset())}
        onDone={() => {
          nudgeSync();
          lastChange.value = '';
          view.value = 'duty';
        }}
        onCancel={() => setChosen(null)}
      />
    );
  const list = (guards ?? []).filter((g) => g.id !== props.except);
  return (
    <section class="shift-start" data-testid="shift-start">
      {lastChange.value && (
        <p class="save-state save-saved" role="status" data-testid="shift-change">
          ✓ {lastChange.value}
        </p>
      )}
      <h3>{t('shift.chooseGuard')}</h3>
      {guards && list.length === 0 ? (
        <p>{t('shift.noGuards')}</p>
      ) : (
        <div class="choice-row">
          {list.map((g) => (
            <button
              key={g.id}
              type="button"
              class="big-button secondary"
              data-testid="shift-guard"
              data-guard={g.id}
              onClick={() => setChosen(g)}
            >
              {g.name}
            </button>
          ))}
        </div>
      )}
      {props.onCancel && (
        <button type="button" class="big-button secondary" onClick={props.onCancel}>
          {t('pin.cancel')}
        </button>
      )}
    </section>
  );
}

function OnDuty() {
  const s = guardOnDuty.value!;
  const [mode, setMode] = useState<'idle' | 'end' | 'takeOver'>('idle');
  if (mode === 'end')
    return (
      <PinEntry
        title={t('shift.endPin', { name: s.name })}
        submitLabel={t('shift.end')}
        check={(pin) => endShift(db, pin, Date.now(), tzOffset())}
        onDone={() => {
          nudgeSync();
          lastChange.value = t('shift.ended', { name: s.name });
        }}
        onCancel={() => setMode('idle')}
      />
    );
  if (mode === 'takeOver')
    return <StartShift except={s.guardId} onCancel={() => setMode('idle')} />;
  return (
    <section class="shift-on-duty" data-testid="shift-on-duty">
      <div class="choice-row no-print">
        <button
          type="button"
          class="big-button"
          data-testid="handover-print"
          onClick={() => window.print()}
        >
          {t('shift.print')}
        </button>
        <button
          type="button"
          class="big-button secondary"
          data-testid="shift-end"
          onClick={() => setMode('end')}
        >
          {t('shift.end')}
        </button>
        <button
          type="button"
          class="big-button secondary"
          data-testid="shift-take-over"
          onClick={() => setMode('takeOver')}
        >
          {t('shift.takeOver')}
        </button>
      </div>
      <HandoverSheet shift={s} />
    </section>
  );
}

export function ShiftScreen() {
  return (
    <section class="gate-screen" data-testid="shift-screen">
      <h2 class="no-print">{t('shift.title')}</h2>
      {guardOnDuty.value ? (
        <OnDuty key={guardOnDuty.value.shiftId} />
      ) : (
        <StartShift except={null} />
      )}
    </section>
  );
}
