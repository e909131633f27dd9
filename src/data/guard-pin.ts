/**
 * A guard's PIN checked offline at this kiosk against the synced `guard` rows (PBKDF2, domain/pin.ts),
 * with a lockout kept in the database under a key of its own per use (the supervisor's override,
 * the shift sign-in), so reloading the page does not reset it: five wrong PINs in a row lock that
 * use at this kiosk for five minutes, during which no PIN is even checked.
 */
import { afterAttempt, checkPin, isLockedOut, NO_FAILURES, type LockoutState } from '../domain/pin';
import type { SyncedRow } from '../domain/sync/tables';
import type { KioskDb } from './db';
import { activeSet, allRows } from './synced-rows';

export type PinLock = 'supervisorPinLockout' | 'shiftPinLockout';

export interface GateGuard {
  id: string;
  row: SyncedRow<'guard'>;
}

export type GuardPinResult =
  | { ok: true; guard: GateGuard }
  | { ok: false; reason: 'wrong' | 'locked'; lockedUntil: number; failures: number };

/** Every guard row of the active table set, active or not. */
export async function gateGuards(db: KioskDb): Promise<GateGuard[]> {
  const rows = await allRows(db, 'guard', await activeSet(db));
  return rows.map((r) => ({ id: r.id, row: r.d }));
}

export async function lockoutState(db: KioskDb, lock: PinLock): Promise<LockoutState> {
  return (await db.getMeta(lock)) ?? NO_FAILURES;
}

/**
 * Checks `pin` against each candidate in turn and counts the attempt under `lock`. `now` in
 * seconds. Whoever the candidates are, a wrong PIN counts the same.
 */
export async function checkGuardPin(
  db: KioskDb,
  lock: PinLock,
  pin: string,
  now: number,
  candidates: readonly GateGuard[],
): Promise<GuardPinResult> {
  const state = await lockoutState(db, lock);
  if (isLockedOut(state, now))
    return { ok: false, reason: 'locked', lockedUntil: state.lockedUntil, failures: 0 };
  let match: GateGuard | null = null;
  for (const g of candidates) {
    const { pinHash: hash, pinSalt: salt, pinIterations: iterations } = g.row;
    if (await checkPin(pin, { hash, salt, iterations })) {
      match = g;
      break;
    }
  }
  const next = afterAttempt(state, now, match !== null);
  await db.putMeta(lock, next);
  if (match) return { ok: true, guard: match };
  return isLockedOut(next, now)
    ? { ok: false, reason: 'locked', lockedUntil: next.lockedUntil, failures: 0 }
    : { ok: false, reason: 'wrong', lockedUntil: 0, failures: next.failures };
}
