/**
 * A release slip at the gate, from the decoded text to the record: verify the code against the
 * kiosk's trusted key list, judge it with the kiosk's copy (domain/verdict/slip.ts), then either
 * show the refusal (with when and where for a slip already used) or open the checklist; the
 * guard's outcome is recorded with its trip in one strict transaction (data/slips.ts).
 *
 * The gate's scanner hands a verified slip to `openSlip` (verdict/session.ts); the typed entry on
 * the home screen verifies the typed text the same way (verdict/judge.ts `verifyText`).
 */
import { signal } from '@preact/signals';
import type { VerifyResult } from '../../domain/credential/verify';
import {
  checklistProblem,
  correctDown,
  judgeSlipScan,
  tick,
  type ChecklistLine,
  type SlipOutcome,
  type SlipRefuseReason,
  type SlipScan,
} from '../../domain/verdict/slip';
import {
  readSlipLookup,
  recordSlipCheck,
  SlipUsedError,
  type SlipRecordLookup,
} from '../../data/slips';
import { guardIdOnDuty } from '../duty';
import { playVerdictSound } from '../verdict/sounds';
import { db, nudgeSync } from '../store';

export interface ChecklistState {
  kind: 'checklist';
  scan: Extract<SlipScan, { ok: true }>;
  household: SlipRecordLookup['household'];
  lines: ChecklistLine[];
  carrierName: string;
  photo: string | null;
  /** The outcome the guard is giving a reason for; null while ticking. */
  asking: 'partial' | 'refuse' | null;
  note: string;
  saving: boolean;
}

export type SlipScreen =
  | ChecklistState
  | {
      kind: 'refused';
      scan: Extract<SlipScan, { ok: false }>;
      household: SlipRecordLookup['household'];
      /** A refusal of a slip whose serial can be trusted is recorded for the office. */
      recordable: boolean;
    }
  | { kind: 'saved'; outcome: SlipOutcome; serial: number }
  | { kind: 'failed' };

export const slipScreen = signal<SlipScreen | null>(null);

/** Taps on the slip screen since the scan (the end-to-end test reads it: ≤ 8 for five items). */
export const tapsSinceScan = signal(0);
export function countTap(): void {
  tapsSinceScan.value++;
}

const SCAN_TO_RECORD: Partial<Record<SlipScan['reason'], SlipRefuseReason>> = {
  revoked: 'revoked',
  expired: 'expired',
  not_yet_valid: 'not_yet_valid',
  unknown_slip: 'unknown_slip',
  already_used: 'already_used',
  watch_without_signoff: 'watch_without_signoff',
};

/** Opens the screen of a code the gate verified (a release slip, or whatever it turned out to be). */
export async function openSlip(v: VerifyResult): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  const serial = v.credential?.type === 'slip' ? v.credential.serial : null;
  const lookup: SlipRecordLookup =
    serial !== null
      ? await readSlipLookup(db, serial)
      : {
          slip: undefined,
          revocation: undefined,
          keyHousehold: undefined,
          household: undefined,
          localUses: [],
        };
  const scan = judgeSlipScan(v, lookup, now);
  tapsSinceScan.value = 0;
  playVerdictSound(scan.ok ? 'allow' : 'deny');
  slipScreen.value = scan.ok
    ? {
        kind: 'checklist',
        scan,
        household: lookup.household,
        lines: scan.slip.items.map((i) => ({ expected: i.quantity, passed: null })),
        carrierName: scan.slip.carrierName,
        photo: null,
        asking: null,
        note: '',
        saving: false,
      }
    : {
        kind: 'refused',
        scan,
        household: lookup.household,
        recordable: scan.serial !== null && SCAN_TO_RECORD[scan.reason] !== undefined,
      };
}

function updateChecklist(patch: (s: ChecklistState) => Partial<ChecklistState>): void {
  const s = slipScreen.value;
  if (s?.kind !== 'checklist' || s.saving) return;
  slipScreen.value = { ...s, ...patch(s) };
}

export function tickLine(index: number): void {
  updateChecklist((s) => ({ lines: s.lines.map((l, i) => (i === index ? tick(l) : l)) }));
}

export function correctLineDown(index: number): void {
  updateChecklist((s) => ({ lines: s.lines.map((l, i) => (i === index ? correctDown(l) : l)) }));
}

export function askReason(outcome: 'partial' | 'refuse' | null): void {
  updateChecklist(() => ({ asking: outcome, note: '' }));
}

export function setNote(note: string): void {
  updateChecklist(() => ({ note }));
}

export function setCarrier(carrierName: string): void {
  updateChecklist(() => ({ carrierName }));
}

export function setPhoto(photo: string | null): void {
  updateChecklist(() => ({ photo }));
}

export function closeSlip(): void {
  slipScreen.value = null;
}

async function record(
  serial: number,
  outcome: SlipOutcome,
  payload: {
    lines: Array<{ index: number; passed: number }>;
    reason: SlipRefuseReason | null;
    note: string;
    carrierName: string;
    photo: string | null;
    householdId: string | null;
  },
): Promise<void> {
  try {
    await recordSlipCheck(
      db,
      { payload: { serial, outcome, ...payload }, guardId: guardIdOnDuty() },
      Date.now(),
      -new Date().getTimezoneOffset(),
    );
    slipScreen.value = { kind: 'saved', outcome, serial };
    nudgeSync();
  } catch (e) {
    if (e instanceof SlipUsedError) {
      // Another tab (or a tap a moment ago) used the last trip: refuse with when and where.
      await showUsedUp(serial, e);
      return;
    }
    console.error('[slip]', e);
    slipScreen.value = { kind: 'failed' };
  }
}

async function showUsedUp(serial: number, e: SlipUsedError): Promise<void> {
  const lookup = await readSlipLookup(db, serial);
  const scan: Extract<SlipScan, { ok: false }> = {
    ok: false,
    reason: 'already_used',
    serial,
    slip: lookup.slip ?? null,
    uses: [...lookup.localUses],
    ...(e.lastUse ? { lastUse: e.lastUse } : {}),
  };
  slipScreen.value = { kind: 'refused', scan, household: lookup.household, recordable: false };
}

/** Ends the checklist with an outcome, if the checklist allows it; `reason` for a refusal. */
export async function finishChecklist(
  outcome: SlipOutcome,
  reason: SlipRefuseReason | null = null,
): Promise<void> {
  const s = slipScreen.value;
  if (s?.kind !== 'checklist' || s.saving) return;
  if (checklistProblem(s.lines, outcome, outcome === 'refuse' ? reason : s.note)) return;
  slipScreen.value = { ...s, saving: true };
  const lines =
    outcome === 'refuse' ? [] : s.lines.map((l, index) => ({ index, passed: l.passed ?? 0 }));
  await record(s.scan.serial, outcome, {
    lines,
    reason,
    note: outcome === 'partial' ? s.note.trim() : '',
    carrierName: s.carrierName.trim(),
    photo: s.photo,
    householdId: s.scan.slip.householdId,
  });
}

/** Records a refusal from the scan (revoked, expired, used …) for the office, then closes. */
export async function recordScanRefusal(): Promise<void> {
  const s = slipScreen.value;
  if (s?.kind !== 'refused' || !s.recordable || s.scan.serial === null) return;
  const reason = SCAN_TO_RECORD[s.scan.reason] ?? null;
  await record(s.scan.serial, 'refuse', {
    lines: [],
    reason,
    note: '',
    carrierName: '',
    photo: null,
    householdId: s.scan.slip?.householdId ?? null,
  });
}
