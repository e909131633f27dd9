/**
 * What every register's retention purge shares: its gate events, their index by household and
 * their dead letters go with it (the payloads hold the same personal data as the register rows
 * projected from them).
 */
import type { EventType } from '../../domain/sync/protocol';
import type { Db } from './db';

/**
 * Retention: deletes a feature's gate events recorded before `cutoffMs` (device time) and its
 * dead letters received before it. The caller purges the registers projected from them.
 */
export async function purgeGateEvents(
  trx: Db,
  communityId: number,
  types: readonly EventType[],
  cutoffMs: number,
): Promise<number> {
  await trx
    .deleteFrom('event_household')
    .where('event_id', 'in', (eb) =>
      eb
        .selectFrom('event')
        .select('id')
        .where('community_id', '=', communityId)
        .where('type', 'in', types)
        .where('at', '<', cutoffMs),
    )
    .execute();
  const events = await trx
    .deleteFrom('event')
    .where('community_id', '=', communityId)
    .where('type', 'in', types)
    .where('at', '<', cutoffMs)
    .executeTakeFirst();
  await trx
    .deleteFrom('dead_letter')
    .where('community_id', '=', communityId)
    .where('type', 'in', types)
    .where('received_at', '<', cutoffMs)
    .execute();
  return Number(events.numDeletedRows);
}
