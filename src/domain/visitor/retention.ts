/**
 * How long visitor entries are kept. The kiosk keeps an entry for `kioskRetentionDays` once the
 * server has acknowledged it (an entry whose events are still waiting is never purged: nothing
 * acknowledged is lost, nothing unacknowledged is dropped); the server keeps its register for
 * `serverRetentionDays` (community settings, 30 and 180 days by default).
 */

export const DAY_MS = 86_400_000;

export function retentionCutoff(nowMs: number, days: number): number {
  return nowMs - days * DAY_MS;
}

/**
 * The kiosk entries to purge: older than the cutoff, and with none of their events unacknowledged.
 * `unacknowledged` holds the entry ids of entries whose entry or exit event is still in the
 * outbox or was refused by the server.
 */
export function kioskEntriesToPurge(
  entries: ReadonlyArray<{ id: string; at: number }>,
  nowMs: number,
  days: number,
  unacknowledged: ReadonlySet<string>,
): string[] {
  const cutoff = retentionCutoff(nowMs, days);
  return entries.filter((e) => e.at < cutoff && !unacknowledged.has(e.id)).map((e) => e.id);
}
