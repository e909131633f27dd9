/**
 * What the gate hands over at the end of a shift (交接班), from this kiosk's own registers and
 * copy: who is inside (visitors registered and not signed out), the passages, visitors and slips
 * recorded since the shift began and the incidents recorded meanwhile, the open alerts (overdue
 * returns, residents not seen for their N days, delivery reminders, visitors of the shift who
 * matched the watch list) and the events the office has not acknowledged yet.
 */
import { inReminderWindow } from '../domain/care';
import { householdLabel } from '../domain/household';
import type { IncidentRow, KioskDb, VisitorRow } from './db';
import { householdsById } from './gate-copy';
import { careResidents, type CareResident } from './gate-lists';

export interface InsideVisitor {
  id: string;
  name: string;
  persons: number;
  householdLabel: string;
  /** Milliseconds. */
  since: number;
}

export interface Handover {
  inside: InsideVisitor[];
  passages: { admitted: number; refused: number };
  /** Visitor entries and slip checks recorded during the shift. */
  visitors: number;
  slipChecks: number;
  /** Visitors of the shift who matched the watch list. */
  watchMatches: VisitorRow[];
  incidents: IncidentRow[];
  overdue: CareResident[];
  notSeen: CareResident[];
  reminders: CareResident[];
  /** Events still in the outbox. */
  unsent: number;
}

/** `since` and `now` in milliseconds; `today` is the local day (YYYY-MM-DD) for reminders. */
export async function handover(
  db: KioskDb,
  since: number,
  now: number,
  today: string,
): Promise<Handover> {
  const [passages, incidents, residents, unsent, visitors, slipChecks] = await Promise.all([
    db.passages.where('at').aboveOrEqual(since).toArray(),
    db.incidents.where('at').aboveOrEqual(since).sortBy('occurredAt'),
    careResidents(db, now),
    db.outbox.count(),
    db.visitors.orderBy('at').toArray(),
    db.slipChecks.where('at').aboveOrEqual(since).count(),
  ]);
  const inside = visitors.filter((v) => v.admitted && v.exitAt === null);
  const shiftVisitors = visitors.filter((v) => v.at >= since);
  const addresses = await householdsById(db, [...new Set(inside.map((v) => v.householdId))]);
  const admitted = passages.filter((p) => p.decision === 'admitted').length;
  return {
    inside: inside.map((v) => {
      const h = addresses.get(v.householdId);
      return {
        id: v.id,
        name: v.name,
        persons: v.persons,
        householdLabel: h ? householdLabel(h) : '',
        since: v.at,
      };
    }),
    passages: { admitted, refused: passages.length - admitted },
    visitors: shiftVisitors.length,
    slipChecks,
    watchMatches: shiftVisitors.filter((v) => v.watch !== null),
    incidents,
    overdue: residents.filter((r) => r.overdue),
    notSeen: residents.filter((r) => r.notSeen),
    reminders: residents.filter((r) => inReminderWindow(r.reminder, today)),
    unsent,
  };
}
