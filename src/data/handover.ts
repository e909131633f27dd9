/**
 * What the gate hands over at the end of a shift (交接班), from this kiosk's own registers and
 * copy: the passages recorded since the shift began, the incidents recorded meanwhile, the
 * outing record's open alerts (overdue returns, residents not seen for their N days, delivery
 * reminders), and the events the office has not acknowledged yet.
 */
import { inReminderWindow } from '../domain/care';
import type { IncidentRow, KioskDb } from './db';
import { careResidents, type CareResident } from './gate-lists';

export interface Handover {
  passages: { admitted: number; refused: number };
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
  const [passages, incidents, residents, unsent] = await Promise.all([
    db.passages.where('at').aboveOrEqual(since).toArray(),
    db.incidents.where('at').aboveOrEqual(since).sortBy('occurredAt'),
    careResidents(db, now),
    db.outbox.count(),
  ]);
  const admitted = passages.filter((p) => p.decision === 'admitted').length;
  return {
    passages: { admitted, refused: passages.length - admitted },
    incidents,
    overdue: residents.filter((r) => r.overdue),
    notSeen: residents.filter((r) => r.notSeen),
    reminders: residents.filter((r) => inReminderWindow(r.reminder, today)),
    unsent,
  };
}
