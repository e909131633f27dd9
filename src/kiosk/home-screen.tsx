/**
 * The enrolled kiosk: the gate (camera, verdicts, manual lookup), the first sync's progress, the
 * visitor desk, the duty-note register (the first use of the outbox: "saved" appears only once the strict
 * transaction has completed), and, on a revoked kiosk, what is kept and how to export it (no
 * scanning there: a revoked kiosk no longer receives revocations).
 */
import { signal, useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { exportUnsent, recordNote, NOTE_MAX } from '../data/outbox';
import { t } from './messages';
import { duration } from './format';
import { guardIdOnDuty } from './duty';
import { GatePanel } from './gate-panel';
import { SlipEntry } from './slips/slip-entry';
import { db, engine, meta, nudgeSync, pending } from './store';
import { VisitorDesk } from './visitors/visitor-desk';

type SaveState = 'idle' | 'saving' | 'saved' | 'failed';
const note = signal('');
const saveState = signal<SaveState>('idle');
const savedCount = signal(0);

/** A save shows "saving" only if it takes longer than this (a render mid-write delays it). */
const SHOW_SAVING_AFTER_MS = 150;
let saving = false;

async function saveNote() {
  if (saving || note.value.trim() === '') return;
  saving = true;
  const slow = setTimeout(() => (saveState.value = 'saving'), SHOW_SAVING_AFTER_MS);
  try {
    // User Timing marks: the benchmark reads how long the durable write itself takes.
    const started = performance.now();
    await recordNote(
      db,
      note.value,
      Date.now(),
      new Date().getTimezoneOffset() * -1,
      guardIdOnDuty(),
    );
    performance.measure('gatepost.outbox-write', { start: started });
    note.value = '';
    savedCount.value++;
    saveState.value = 'saved';
    nudgeSync();
  } catch (e) {
    console.error(e);
    saveState.value = 'failed';
  } finally {
    clearTimeout(slow);
    saving = false;
  }
}

function Progress() {
  const m = meta.value ?? {};
  const p = engine.value?.progress;
  const rebuild = m.rebuild;
  if (!rebuild && !p?.photosLeft) return null;
  const done = p?.rows ?? rebuild?.done ?? 0;
  const total = p?.total ?? rebuild?.total ?? null;
  return (
    <section class="progress" data-testid="sync-progress">
      <h3>{t('progress.title')}</h3>
      <progress max={total ?? 1} value={total ? done : undefined} />
      <p>
        {total !== null ? t('progress.rows', { done, total }) : t('progress.rowsUnknown', { done })}
        {p?.photosLeft ? ` · ${t('progress.photos', { count: p.photosLeft })}` : ''}
        {p?.etaMs != null ? ` · ${t('progress.eta', { duration: duration(p.etaMs) })}` : ''}
      </p>
    </section>
  );
}

function NoteForm() {
  const state = saveState.value;
  return (
    <form
      class="note-form"
      data-testid="note-form"
      onSubmit={(e) => {
        e.preventDefault();
        void saveNote();
      }}
    >
      <label for="note-text">{t('note.label')}</label>
      <textarea
        id="note-text"
        maxLength={NOTE_MAX}
        rows={3}
        value={note.value}
        onInput={(e) => {
          note.value = (e.target as HTMLTextAreaElement).value;
          if (!saving) saveState.value = 'idle';
        }}
      />
      <button type="submit" class="big-button" disabled={state === 'saving'}>
        {state === 'saving' ? t('note.saving') : t('note.save')}
      </button>
      <p
        class={`save-state save-${state}`}
        data-testid="note-save-state"
        data-state={state}
        data-saved={savedCount.value}
        role="status"
      >
        {state === 'saved'
          ? `✓ ${t('note.saved')}`
          : state === 'failed'
            ? `⛔ ${t('note.failed')}`
            : ''}
      </p>
    </form>
  );
}

async function downloadExport() {
  const data = await exportUnsent(db, Date.now());
  const url = URL.createObjectURL(
    new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }),
  );
  const a = document.createElement('a');
  a.href = url;
  a.download = `gatepost-unsent-${new Date().toISOString().slice(0, 10)}.json`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function RevokedPanel() {
  return (
    <section class="revoked" data-testid="revoked-panel" role="alert">
      <h2>⛔ {t('revoked.title')}</h2>
      <p>{t('revoked.explain', { count: pending.value ?? '…' })}</p>
      <button type="button" class="big-button" onClick={() => void downloadExport()}>
        {t('revoked.export')}
      </button>
    </section>
  );
}

/**
 * How many parts of a screen to show: one more a task after each render. The home screen's first
 * render was one main-thread task of 220–360 ms on the development machine (building the DOM, then
 * the first layout of its text, where Chromium on Linux asks the browser process for each new font
 * size's render style); in parts, the camera comes first and no part blocks the page for long.
 */
function useParts(count: number): number {
  const shown = useSignal(1);
  useEffect(() => {
    if (shown.value >= count) return;
    const next = setTimeout(() => shown.value++, 0);
    return () => clearTimeout(next);
  }, [shown.value, count]);
  return shown.value;
}

export function HomeScreen(props: { onReenroll: () => void }) {
  const revoked = meta.value?.deviceState === 'revoked';
  const parts = useParts(3);
  return (
    <div class="home">
      {revoked ? (
        <RevokedPanel />
      ) : (
        <>
          <GatePanel />
          <Progress />
          {parts >= 2 ? <VisitorDesk /> : null}
          {parts >= 3 ? <SlipEntry /> : null}
        </>
      )}
      {parts >= 3 ? (
        <>
          <NoteForm />
          <button
            type="button"
            class="big-button secondary"
            onClick={() => {
              if (confirm(t('enroll.reenrollConfirm'))) props.onReenroll();
            }}
          >
            {t('enroll.reenroll')}
          </button>
        </>
      ) : null}
    </div>
  );
}
