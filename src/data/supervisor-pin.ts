/**
 * The supervisor's PIN at this kiosk, for admitting someone on a red verdict: any active
 * supervisor's PIN (guard-pin.ts), with the override's own lockout.
 */
import { checkGuardPin, gateGuards } from './guard-pin';
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
  const supervisors = (await gateGuards(db)).filter(
    (g) => g.row.active && g.row.role === 'supervisor',
  );
  if (supervisors.length === 0) return { ok: false, reason: 'no_supervisor', lockedUntil: 0 };
  const r = await checkGuardPin(db, 'supervisorPinLockout', pin, now, supervisors);
  if (r.ok) return { ok: true, supervisorId: r.guard.id, name: r.guard.row.name };
  return { ok: false, reason: r.reason, lockedUntil: r.lockedUntil };
}
