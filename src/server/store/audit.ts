/**
 * The audit log: every staff action that changes data or reveals sealed personal data, every
 * device and API-key change. Written in the same transaction as the change it records.
 */
import { newId } from '../context';
import type { Db } from './db';

export interface Actor {
  type: 'staff' | 'api_key' | 'device' | 'system';
  id: string;
  ip?: string;
}

export const SYSTEM: Actor = { type: 'system', id: 'system' };

export async function audit(
  db: Db,
  now: number,
  entry: {
    communityId: number | null;
    actor: Actor;
    action: string;
    targetType: string;
    targetId: string | number;
    detail?: Record<string, unknown>;
  },
): Promise<void> {
  await db
    .insertInto('audit')
    .values({
      id: newId(now),
      community_id: entry.communityId,
      actor_type: entry.actor.type,
      actor_id: entry.actor.id,
      action: entry.action,
      target_type: entry.targetType,
      target_id: String(entry.targetId),
      detail: JSON.stringify(entry.detail ?? {}),
      at: now,
      ip: entry.actor.ip ?? '',
    })
    .execute();
}
