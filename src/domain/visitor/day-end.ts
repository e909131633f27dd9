/**
 * Who is still inside, and the end-of-day sign-out: a visitor still inside when the community
 * closes is signed out then by the kiosk, with the flag `end_of_day` (the register shows it, so
 * the office knows the time out is not when they left).
 */
import { addDays } from '../rules/civil-date';
import { epochFromLocal, localDate } from '../rules/time-window';

/** The latest closing instant at or before `nowSeconds` (closing = minutes after local midnight). */
export function lastClosingAt(
  nowSeconds: number,
  closingMinutes: number,
  timeZone: string,
): number {
  const today = localDate(nowSeconds, timeZone);
  const closingToday = epochFromLocal(today, closingMinutes, timeZone);
  return closingToday <= nowSeconds
    ? closingToday
    : epochFromLocal(addDays(today, -1), closingMinutes, timeZone);
}

export interface InsideEntry {
  id: string;
  /** Time in, milliseconds. */
  at: number;
}

/** Entries still inside that came in before the last closing time: to be signed out now. */
export function dueForEndOfDay<E extends InsideEntry>(
  inside: readonly E[],
  nowMs: number,
  closingMinutes: number,
  timeZone: string,
): E[] {
  const closing = lastClosingAt(Math.floor(nowMs / 1000), closingMinutes, timeZone) * 1000;
  return inside.filter((e) => e.at < closing);
}
