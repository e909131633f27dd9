/**
 * The supervisor's PIN at this kiosk, for admitting someone on a red verdict: checked offline
 * against the active supervisors of the synced `guard` table (PBKDF2, domain/pin.ts). Five wrong
 * PINs lock supervisor PINs at this kiosk for five minutes; the count is kept in the database,
 * so reloading the page does not reset it.
 */
import { afterAttempt, checkPin, isLockedOut, NO_FAILURES } from '../domain/pin';
import type { SyncedRow } from '../domain/sync/tables';
import type { KioskDb } from './db';

export type SupervisorPinResult =
  | { ok: true; supervisorId: string; name: string }
  | { ok: false; reason: 'wrong' | 'locked' | 'no_supervisor'; lockedUntil: number };

/** `now` in seconds. */
export async function checkSupervisorPin(
  db: KioskDb,
  pin: string,
  now: number,
): Promise<SupervisorPinResult> {
  const state = (await db.getMeta('supervisorPinLockout')) ?? NO_FAILURES;
  if (isLockedOut(state, now))
    return { ok: false, reason: 'locked', lockedUntil: state.lockedUntil };
  const set = (await db.getMeta('feed'))?.activeSet ?? 'a';
  const supervisors = (await db.synced('guard', set).toArray()).filter((r) => {
    const g = r.d as SyncedRow<'guard'>;
    return g.active && g.role === 'supervisor';
  });
  if (supervisors.length === 0) return { ok: false, reason: 'no_supervisor', lockedUntil: 0 };
  let match: { id: string; name: string } | null = null;
  for (const r of supervisors) {
    const g = r.d as SyncedRow<'guard'>;
    if (await checkPin(pin, { hash: g.pinHash, salt: g.pinSalt, iterations: g.pinIterations })) {
      match = { id: r.id, name: g.name };
      break;
    }
  }
  const next = afterAttempt(state, now, match !== null);
  await db.putMeta('supervisorPinLockout', next);
  if (match) return { ok: true, supervisorId: match.id, name: match.name };
  return isLockedOut(next, now)
    ? { ok: false, reason: 'locked', lockedUntil: next.lockedUntil }
    : { ok: false, reason: 'wrong', lockedUntil: 0 };
}
