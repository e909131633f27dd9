/**
 * The gate's verdict session: which verdict is on screen, what the guard decides, and the passage
 * record each verdict leaves (data/passages.ts: register row and outbox event, one strict
 * transaction).
 *
 * One verdict, one passage. The decision is final when the guard acts (admit, refuse, a
 * supervisor's override) or when the verdict clears itself: a green one clears as admitted, an
 * amber or red one as refused (nobody let them in through Gatepost). A different code held up
 * while a verdict is shown ends that verdict with its default decision and is judged at once; the
 * same code is not judged again while it stays in view (scan/repeat-filter.ts). While the guard
 * is writing a reason, nothing new is judged and the verdict does not clear.
 */
import { signal } from '@preact/signals';
import type { PassagePayload } from '../../domain/events';
import type { Verdict } from '../../domain/verdict/card';
import { recordPassage } from '../../data/passages';
import { guardIdOnDuty } from '../duty';
import { db, nudgeSync } from '../store';
import type { ScanHit } from '../scan/camera-scanner';
import { onInvitationText } from '../visitors/desk-state';
import { RepeatFilter } from '../scan/repeat-filter';
import { openSlip, slipScreen } from '../slips/slip-session';
import type { GateVerdict, ScanOutcome } from './judge';
import { playVerdictSound, speak } from './sounds';
import { reasonLine, verdictWord } from './words';
import type * as JudgeModule from './judge';

export type Direction = 'in' | 'out';
export type Override = NonNullable<PassagePayload['override']>;

export interface ShownVerdict extends GateVerdict {
  /** Increments with every verdict shown (tests count verdicts by it). */
  key: number;
  /** presentationTime of the camera frame the code was read from; null for a lookup by hand. */
  frameTime: number | null;
}

export type Dialog = { mode: 'admit' | 'refuse' | 'supervisor' } | null;
export type Notice =
  | { kind: 'enrollment' | 'not_ready' | 'record_failed' }
  | { kind: 'recorded'; decision: 'admitted' | 'refused'; key: number }
  | null;

/** How long a verdict stays up without the guard doing anything, ms. */
export const CLEAR_AFTER_MS: Record<Verdict, number> = { allow: 4000, check: 10_000, deny: 10_000 };

const DIRECTION_KEY = 'gatepost.direction';

function savedDirection(): Direction {
  try {
    return localStorage.getItem(DIRECTION_KEY) === 'out' ? 'out' : 'in';
  } catch {
    return 'in';
  }
}

export const shown = signal<ShownVerdict | null>(null);
export const dialog = signal<Dialog>(null);
export const notice = signal<Notice>(null);
export const direction = signal<Direction>(savedDirection());
/** When the verdict on screen clears itself (performance.now() ms); null while the guard decides. */
export const clearsAt = signal<number | null>(null);

export function setDirection(d: Direction): void {
  direction.value = d;
  try {
    localStorage.setItem(DIRECTION_KEY, d);
  } catch {
    // This page keeps the choice.
  }
}

/**
 * Verifying and judging (the credential code, the rules, the copy's reader) is loaded after the
 * camera has started, not before: the kiosk's first screen appears sooner. `preloadJudging()` is
 * called as soon as the camera runs (gate-panel.tsx), so the first code held up never waits for it.
 */
let judging: Promise<typeof JudgeModule> | null = null;
export function preloadJudging(): Promise<typeof JudgeModule> {
  judging ??= import('./judge');
  return judging;
}

let nextKey = 1;
let clearTimer: ReturnType<typeof setTimeout> | null = null;
let noticeTimer: ReturnType<typeof setTimeout> | null = null;
const repeats = new RepeatFilter();
/** Scans are judged one after another, in the order they were read. */
let queue: Promise<void> = Promise.resolve();

function showNotice(n: NonNullable<Notice>, ms = 4000) {
  notice.value = n;
  if (noticeTimer) clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => (notice.value = null), ms);
}

function armClear(v: ShownVerdict) {
  if (clearTimer) clearTimeout(clearTimer);
  clearsAt.value = performance.now() + CLEAR_AFTER_MS[v.verdict];
  clearTimer = setTimeout(() => {
    if (shown.value === v && !dialog.value) void finish(v, defaultDecision(v), null);
  }, CLEAR_AFTER_MS[v.verdict]);
}

const defaultDecision = (v: GateVerdict) => (v.verdict === 'allow' ? 'admitted' : 'refused');

function present(outcome: ScanOutcome, frameTime: number | null) {
  if (outcome.kind === 'enrollment') return showNotice({ kind: 'enrollment' });
  if (outcome.kind === 'not_ready') return showNotice({ kind: 'not_ready' });
  const previous = shown.value;
  if (previous) void finish(previous, defaultDecision(previous), null);
  if (outcome.kind === 'slip') return void openSlip(outcome.verify);
  const v: ShownVerdict = { ...outcome.verdict, key: nextKey++, frameTime };
  dialog.value = null;
  shown.value = v;
  armClear(v);
  playVerdictSound(v.verdict);
  speak(`${verdictWord(v.verdict)}。${reasonLine(v)}`);
}

/** A code read by the camera. */
export function onScan(hit: ScanHit): void {
  const now = performance.now();
  // While the guard writes a reason or checks a slip's items, nothing new is judged.
  if (dialog.value || slipScreen.value?.kind === 'checklist')
    return repeats.stillInView(hit.text, now);
  if (!repeats.isNew(hit.text, now)) return;
  queue = queue.then(async () => {
    const outcome = await (await preloadJudging()).judgeText(hit.text);
    // Not judged (nothing to judge with yet): the same code must be tried again once ready.
    if (outcome.kind === 'not_ready') repeats.reset();
    // An invitation (genuine, whether in its days or not) is the visitor desk's: it fills the
    // entry for the guard's one tap, signs its visitor out, or says why it is refused.
    if (outcome.kind === 'verdict' && outcome.verdict.credentialType === 'invitation')
      return onInvitationText(hit.text);
    present(outcome, hit.frameTime);
  });
  queue = queue.catch((e: unknown) => console.error('[scan]', e));
}

/** A camera frame without a readable code. */
export function onScanMiss(): void {
  repeats.miss();
}

/** A card found by hand (serial typed, or the holder found by name or phone). */
export function judgeByHand(serial: number): Promise<void> {
  queue = queue.then(async () => present(await (await preloadJudging()).judgeSerial(serial), null));
  queue = queue.catch((e: unknown) => console.error('[scan]', e));
  return queue;
}

/** Verdicts already decided (recorded, or being recorded): each is recorded once. */
const decided = new WeakSet<ShownVerdict>();

/**
 * Ends a verdict with the decision and records the passage. Resolves once it is on disk (or
 * failed: the guard is told, and the verdict is gone either way).
 */
export async function finish(
  v: ShownVerdict,
  decision: 'admitted' | 'refused',
  override: Override | null,
): Promise<void> {
  if (decided.has(v)) return;
  decided.add(v);
  if (shown.value === v) {
    shown.value = null;
    dialog.value = null;
    if (clearTimer) clearTimeout(clearTimer);
  }
  try {
    await recordPassage(
      db,
      {
        serial: v.serial,
        credentialType: v.credentialType,
        manual: v.manual,
        direction: direction.value,
        verdict: v.verdict,
        reason: v.reason,
        decision,
        override,
        householdIds: v.card?.householdIds ?? [],
        holderName: v.card?.holderName ?? '',
        guardId: guardIdOnDuty(),
      },
      Date.now(),
      -new Date().getTimezoneOffset(),
    );
    showNotice({ kind: 'recorded', decision, key: v.key }, 2500);
    nudgeSync();
  } catch (e) {
    console.error('[passage]', e);
    showNotice({ kind: 'record_failed' }, 8000);
  }
}

export function openDialog(mode: NonNullable<Dialog>['mode']): void {
  if (clearTimer) clearTimeout(clearTimer);
  clearsAt.value = null;
  dialog.value = { mode };
}

/** The guard closed the dialog without deciding: the verdict runs its course again. */
export function closeDialog(): void {
  dialog.value = null;
  if (shown.value) armClear(shown.value);
}

/** The page is being hidden or left: a verdict on screen is decided by default now. */
export function settlePending(): void {
  const v = shown.value;
  if (v) void finish(v, defaultDecision(v), null);
}
