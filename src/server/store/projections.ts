/**
 * Registers kept by the office are projections of gate events, written in the same transaction
 * that accepts the events. Each feature adds its projector here, by event type.
 */
import { householdIdsOf } from '../../domain/events';
import { EVENT_TYPES, type EventType, type GateEvent } from '../../domain/sync/protocol';
import { projectOutings } from './care';
import type { Db } from './db';
import { projectIncidents } from './incidents';
import { projectShifts } from './shifts';
import { projectGoodsRefusals, projectSlipUses } from './slips';
import { projectVisitorEntries, projectVisitorExits } from './visitors';

export interface ProjectionContext {
  communityId: number;
  deviceId: string;
  now: number;
}

export type Projector = (trx: Db, ctx: ProjectionContext, events: GateEvent[]) => Promise<void>;

const PROJECTORS: Partial<Record<EventType, Projector>> = {
  'visitor.entry': projectVisitorEntries,
  'visitor.exit': projectVisitorExits,
  'slip.use': projectSlipUses,
  'goods.refused': projectGoodsRefusals,
  'outing.out': projectOutings,
  'outing.back': projectOutings,
  incident: projectIncidents,
  'shift.start': projectShifts,
  'shift.end': projectShifts,
};

/** Every event that names households is indexed by them, for the office's per-household view. */
async function indexHouseholds(trx: Db, ctx: ProjectionContext, events: GateEvent[]) {
  const rows = events.flatMap((e) =>
    householdIdsOf(e.payload).map((household_id) => ({
      event_id: e.id,
      community_id: ctx.communityId,
      household_id,
      at: e.at,
    })),
  );
  if (rows.length)
    await trx
      .insertInto('event_household')
      .values(rows)
      .onConflict((oc) => oc.columns(['event_id', 'household_id']).doNothing())
      .execute();
}

export async function projectEvents(
  trx: Db,
  ctx: ProjectionContext,
  events: GateEvent[],
): Promise<void> {
  await indexHouseholds(trx, ctx, events);
  const byType = new Map<string, GateEvent[]>();
  for (const e of events) byType.set(e.type, [...(byType.get(e.type) ?? []), e]);
  // In the order of EVENT_TYPES, not of arrival: an entry is projected before the exit that
  // closes it even when one batch holds an older exit first.
  for (const type of EVENT_TYPES) {
    const list = byType.get(type);
    if (list) await PROJECTORS[type]?.(trx, ctx, list);
  }
}
