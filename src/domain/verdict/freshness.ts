/**
 * Whether the kiosk may trust its own copy and its own clock, before any code is judged.
 *
 * - Clock: the kiosk keeps the latest time it can trust (server time seen at sync, and its own
 *   latest reading). A device clock behind that, by more than the tolerance, has been set back
 *   (or lost its time in a power cut): no verdict may then be allowed automatically, since
 *   expiry and hours depend on the clock (the DCC verifiers' known weakness, research qr.md §1.8).
 * - Data: after `staleAmberHours` without a complete pull the copy may miss a revocation, so
 *   verdicts turn amber; after `staleDenyHours`, no automatic allow at all (both set per
 *   community by the office).
 */

export type Freshness =
  | { state: 'fresh' }
  | { state: 'stale'; hoursSincePull: number }
  | { state: 'too_old'; hoursSincePull: number | null }
  | { state: 'clock_behind'; behindSeconds: number };

export interface FreshnessInput {
  /** Device time, seconds. */
  now: number;
  /** Latest trusted time, seconds (0 if none yet). */
  trustedNow: number;
  /** Last complete pull, seconds, or null if the kiosk never completed one. */
  lastPullAt: number | null;
  staleAmberHours: number;
  staleDenyHours: number;
  /** How far behind the trusted time the clock may be before it counts as wrong, seconds. */
  clockToleranceS: number;
}

export function freshness(i: FreshnessInput): Freshness {
  if (i.trustedNow - i.now > i.clockToleranceS) {
    return { state: 'clock_behind', behindSeconds: i.trustedNow - i.now };
  }
  if (i.lastPullAt === null) return { state: 'too_old', hoursSincePull: null };
  const hours = Math.max(0, (i.now - i.lastPullAt) / 3600);
  if (hours >= i.staleDenyHours) return { state: 'too_old', hoursSincePull: hours };
  if (hours >= i.staleAmberHours) return { state: 'stale', hoursSincePull: hours };
  return { state: 'fresh' };
}
