/**
 * Registers kept by the office are projections of gate events, written in the same transaction
 * that accepts the events. Each feature adds its projector here, by event type.
 */
import { EVENT_TYPES, type EventType, type GateEvent } from '../../domain/sync/protocol';
import type { Db } from './db';
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
};

export async function projectEvents(
  trx: Db,
  ctx: ProjectionContext,
  events: GateEvent[],
): Promise<void> {
  const byType = new Map<string, GateEvent[]>();
  for (const e of events) byType.set(e.type, [...(byType.get(e.type) ?? []), e]);
  // In the order of EVENT_TYPES, not of arrival: an entry is projected before the exit that
  // closes it even when one batch holds an older exit first.
  for (const type of EVENT_TYPES) {
    const list = byType.get(type);
    if (list) await PROJECTORS[type]?.(trx, ctx, list);
  }
}
