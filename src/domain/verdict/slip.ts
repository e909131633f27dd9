/**
 * A release slip at the gate: the scan (is this slip good for a trip now?) and the guard's
 * checklist (which items, how many, and the outcome: pass, partial or refuse).
 *
 * Scan precedence, most serious first: not a Gatepost code → forged → another community → wrong
 * kind of key → not a slip → revoked → expired → not yet valid → unknown here → every trip used →
 * household under watch without a supervisor's sign-off → ok. A slip's trips are used by the
 * gate's pass and partial records: the kiosk's own (which the server may not have yet) and those
 * the server sent back in the slip's row (other gates), counted once each by event id.
 */
import type { VerifyResult } from '../credential/verify';
import type { SyncedRow } from '../sync/tables';

export const SLIP_SCAN_REASONS = [
  'ok',
  'not_gatepost',
  'forged',
  'other_community',
  'wrong_use',
  'not_a_slip',
  'revoked',
  'expired',
  'not_yet_valid',
  'unknown_slip',
  'already_used',
  'watch_without_signoff',
] as const;
export type SlipScanReason = (typeof SLIP_SCAN_REASONS)[number];

/** Why the guard refused a slip: the guard's own findings, and the scan's (recorded as such). */
export const SLIP_REFUSE_REASONS = [
  'items_mismatch',
  'extra_items',
  'wrong_person',
  'expired',
  'already_used',
  'revoked',
  'watch_without_signoff',
  'not_yet_valid',
  'unknown_slip',
] as const;
export type SlipRefuseReason = (typeof SLIP_REFUSE_REASONS)[number];

/** The reasons a guard picks on the checklist (the others come from the scan). */
export const GUARD_REFUSE_REASONS = [
  'items_mismatch',
  'extra_items',
  'wrong_person',
] as const satisfies readonly SlipRefuseReason[];

export const SLIP_OUTCOMES = ['pass', 'partial', 'refuse'] as const;
export type SlipOutcome = (typeof SLIP_OUTCOMES)[number];

type SlipRow = SyncedRow<'slip'>;

/** A use of a slip (a pass or partial record), wherever it happened. */
export interface SlipUse {
  id: string;
  /** Milliseconds. */
  at: number;
  /** The gate's name (the kiosk's device name). */
  device: string;
  outcome: 'pass' | 'partial';
}

export interface SlipLookup {
  slip: SlipRow | undefined;
  revocation: SyncedRow<'revocation'> | undefined;
  /** Instructions for the slip's household when it is a key household. */
  keyHousehold: SyncedRow<'keyHousehold'> | undefined;
  /** This kiosk's own pass and partial records of the slip. */
  localUses: readonly SlipUse[];
}

export type SlipScan =
  | { ok: true; reason: 'ok'; serial: number; slip: SlipRow; uses: SlipUse[]; tripsLeft: number }
  | {
      ok: false;
      reason: Exclude<SlipScanReason, 'ok'>;
      /** Present once the signature passed (the serial can be trusted). */
      serial: number | null;
      slip: SlipRow | null;
      uses: SlipUse[];
      /** The latest use, for "already used: when and where". */
      lastUse?: SlipUse;
    };

const VERIFY_TO_SCAN: Record<string, Exclude<SlipScanReason, 'ok'>> = {
  malformed: 'not_gatepost',
  unknown_prefix: 'not_gatepost',
  unknown_key: 'forged',
  bad_signature: 'forged',
  wrong_community: 'other_community',
  key_not_for_this_use: 'wrong_use',
  not_yet_valid: 'not_yet_valid',
  expired: 'expired',
};

/** Every use once (by event id), oldest first: the kiosk's own and those the server knows. */
export function mergeUses(local: readonly SlipUse[], server: readonly SlipUse[]): SlipUse[] {
  const byId = new Map<string, SlipUse>();
  for (const u of [...server, ...local]) byId.set(u.id, u);
  return [...byId.values()].sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
}

/** Trips left on a slip: its trips less its uses, never below zero. */
export function tripsLeft(trips: number, uses: readonly SlipUse[]): number {
  return Math.max(0, trips - uses.length);
}

/** Judges a scanned (or typed) code as a release slip. `now` in seconds. */
export function judgeSlipScan(verify: VerifyResult, lookup: SlipLookup, now: number): SlipScan {
  const credential = verify.credential;
  // A credential is only present once its signature passed; another community's serial means
  // nothing here.
  const serial = credential && verify.reason !== 'wrong_community' ? credential.serial : null;
  const slip = serial !== null && credential?.type === 'slip' ? (lookup.slip ?? null) : null;
  const uses = slip ? mergeUses(lookup.localUses, slip.uses) : [...lookup.localUses];
  const fail = (reason: Exclude<SlipScanReason, 'ok'>): SlipScan => {
    const lastUse = uses.at(-1);
    return lastUse
      ? { ok: false, reason, serial, slip, uses, lastUse }
      : { ok: false, reason, serial, slip, uses };
  };
  if (!verify.ok) {
    // A code of another type is refused for what it is before any of its dates are believed.
    if (credential && credential.type !== 'slip' && verify.reason !== 'wrong_community')
      return fail('not_a_slip');
    return fail(VERIFY_TO_SCAN[verify.reason] ?? 'forged');
  }
  if (verify.credential.type !== 'slip') return fail('not_a_slip');
  if (lookup.revocation || slip?.status === 'revoked') return fail('revoked');
  if (slip && now >= slip.validUntil) return fail('expired');
  if (slip && now < slip.validFrom) return fail('not_yet_valid');
  if (!slip) return fail('unknown_slip');
  const left = tripsLeft(Math.min(slip.trips, verify.credential.trips), uses);
  if (left === 0) return fail('already_used');
  const watched = lookup.keyHousehold?.instructions.includes('report_to_supervisor') ?? false;
  if (watched && !slip.watchSignedOff) return fail('watch_without_signoff');
  return { ok: true, reason: 'ok', serial: slip.serial, slip, uses, tripsLeft: left };
}

/** A checklist line: the slip's quantity and what the guard lets out (null: not checked yet). */
export interface ChecklistLine {
  expected: number;
  passed: number | null;
}

export type ChecklistProblem =
  | 'lines_unchecked'
  | 'quantities_short'
  | 'nothing_held_back'
  | 'nothing_passed'
  | 'reason_required';

/** Ticking a line lets out the slip's full quantity. */
export const tick = (line: ChecklistLine): ChecklistLine => ({
  ...line,
  passed: line.passed === null ? line.expected : null,
});

/** Correcting a line down by one (from the full quantity when unchecked), never below zero. */
export const correctDown = (line: ChecklistLine): ChecklistLine => ({
  ...line,
  passed: Math.max(0, (line.passed ?? line.expected) - 1),
});

/**
 * Whether the guard may end the check with this outcome: pass needs every line checked at its
 * full quantity; partial needs every line checked, something held back, something let out, and
 * the reason; refuse needs a reason code (the items need not be checked).
 */
export function checklistProblem(
  lines: readonly ChecklistLine[],
  outcome: SlipOutcome,
  reason: string | null,
): ChecklistProblem | null {
  if (outcome === 'refuse') return reason ? null : 'reason_required';
  if (lines.some((l) => l.passed === null)) return 'lines_unchecked';
  const short = lines.some((l) => l.passed! < l.expected);
  if (outcome === 'pass') return short ? 'quantities_short' : null;
  if (!short) return 'nothing_held_back';
  if (lines.every((l) => l.passed === 0)) return 'nothing_passed';
  return reason?.trim() ? null : 'reason_required';
}
