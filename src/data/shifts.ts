/**
 * Shifts at this gate (domain/shift.ts): started with the guard's PIN, ended with their PIN or a
 * supervisor's, checked offline with the shift sign-in's own lockout (guard-pin.ts). Each start and
 * end is a row of the `shifts` register and its event, in one strict transaction (outbox.ts).
 */
import { ulid } from '../domain/ids';
import type { ShiftEndReason } from '../domain/shift';
import type { KioskDb, ShiftRow } from './db';
import { checkGuardPin, gateGuards, type GuardPinResult } from './guard-pin';
import { recordEvent } from './outbox';

export interface Shift {
  shiftId: string;
  guardId: string;
  name: string;
  /** Milliseconds. */
  startedAt: number;
}

/**
 * The shift on duty at this gate, or null: the latest start, unless its end is recorded. (A
 * take-over records the old shift's end and the new start in the same millisecond, so the order
 * of rows alone cannot say which came last.)
 */
export async function currentShift(db: KioskDb): Promise<Shift | null> {
  const start = await db.shifts
    .orderBy('at')
    .reverse()
    .filter((r) => r.kind === 'start')
    .first();
  if (!start) return null;
  const ended = await db.shifts
    .where('shiftId')
    .equals(start.shiftId)
    .filter((r) => r.kind === 'end')
    .count();
  if (ended > 0) return null;
  return { shiftId: start.shiftId, guardId: start.guardId, name: start.name, startedAt: start.at };
}

/** Passages this gate recorded since `from` (ms): the shift's count for the handover. */
export function passagesSince(db: KioskDb, from: number): Promise<number> {
  return db.passages.where('at').aboveOrEqual(from).count();
}

/** The guards who may start a shift here, by name. */
export async function shiftGuards(db: KioskDb): Promise<Array<{ id: string; name: string }>> {
  const byName = new Intl.Collator('zh-Hans-CN-u-co-pinyin');
  return (await gateGuards(db))
    .filter((g) => g.row.active)
    .map((g) => ({ id: g.id, name: g.row.name }))
    .sort((a, b) => byName.compare(a.name, b.name));
}

function record(
  db: KioskDb,
  row: Omit<ShiftRow, 'id'>,
  payload: Record<string, unknown>,
  tzOffset: number,
) {
  return recordEvent<ShiftRow>(
    db,
    {
      type: row.kind === 'start' ? 'shift.start' : 'shift.end',
      payload,
      guardId: row.guardId,
      register: { table: 'shifts', row: (id) => ({ id, ...row }) },
    },
    row.at,
    tzOffset,
  );
}

async function end(db: KioskDb, shift: Shift, reason: ShiftEndReason, now: number, tz: number) {
  const passages = await passagesSince(db, shift.startedAt);
  const { shiftId, guardId, name } = shift;
  await record(
    db,
    { kind: 'end', shiftId, guardId, name, at: now },
    { shiftId, guardId, reason, passages },
    tz,
  );
}

/**
 * Starts `guardId`'s shift if `pin` is theirs (an active guard's). A shift still running here is
 * ended first as taken over. `now` in milliseconds.
 */
export async function startShift(
  db: KioskDb,
  guardId: string,
  pin: string,
  now: number,
  tzOffset: number,
): Promise<GuardPinResult> {
  const guard = (await gateGuards(db)).filter((g) => g.id === guardId && g.row.active);
  const r = await checkGuardPin(db, 'shiftPinLockout', pin, Math.floor(now / 1000), guard);
  if (!r.ok) return r;
  const running = await currentShift(db);
  if (running) await end(db, running, 'taken_over', now, tzOffset);
  const shiftId = ulid(now, crypto.getRandomValues(new Uint8Array(10)));
  const { name } = r.guard.row;
  await record(
    db,
    { kind: 'start', shiftId, guardId, name, at: now },
    { shiftId, guardId },
    tzOffset,
  );
  return r;
}

/**
 * Ends the shift on duty with its guard's PIN (even if the office has since deactivated them) or
 * an active supervisor's. Resolves with the PIN check's result; nothing is recorded on a failure
 * or when no shift is running.
 */
export async function endShift(
  db: KioskDb,
  pin: string,
  now: number,
  tzOffset: number,
): Promise<GuardPinResult | null> {
  const running = await currentShift(db);
  if (!running) return null;
  const allowed = (await gateGuards(db)).filter(
    (g) => g.id === running.guardId || (g.row.active && g.row.role === 'supervisor'),
  );
  const r = await checkGuardPin(db, 'shiftPinLockout', pin, Math.floor(now / 1000), allowed);
  if (r.ok) await end(db, running, 'ended', now, tzOffset);
  return r;
}
