/**
 * Registers kept by the office are projections of gate events, written in the same transaction
 * that accepts the events. Each feature adds its projector here, by event type.
 */
import type { EventType, GateEvent } from '../../domain/sync/protocol';
import type { Db } from './db';
import { projectGoodsRefusals, projectSlipUses } from './slips';

export interface ProjectionContext {
  communityId: number;
  deviceId: string;
  now: number;
}

export type Projector = (trx: Db, ctx: ProjectionContext, events: GateEvent[]) => Promise<void>;

const PROJECTORS: Partial<Record<EventType, Projector>> = {
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
  for (const [type, list] of byType) await PROJECTORS[type as EventType]?.(trx, ctx, list);
}
