/**
 * The shift register (who was on duty at which gate, from when to when, and how many passages the
 * gate recorded meanwhile), projected from the gates' `shift.start` and `shift.end` events. Each
 * event upserts its half of the row, so the two halves meet whatever order they are projected in.
 */
import type { ShiftEndPayload, ShiftEndReason, ShiftStartPayload } from '../../domain/shift';
import type { GateEvent } from '../../domain/sync/protocol';
import type { Db } from './db';
import type { ProjectionContext } from './projections';
import { purgeGateEvents } from './retention';

export async function projectShifts(trx: Db, ctx: ProjectionContext, events: GateEvent[]) {
  for (const e of events) {
    const base = { community_id: ctx.communityId, device_id: ctx.deviceId };
    if (e.type === 'shift.start') {
      const p = e.payload as ShiftStartPayload;
      const half = { guard_id: p.guardId, started_at: e.at };
      await trx
        .insertInto('guard_shift')
        .values({ id: p.shiftId, ...base, ...half })
        .onConflict((oc) => oc.column('id').doUpdateSet(half))
        .execute();
    } else {
      const p = e.payload as ShiftEndPayload;
      const half = {
        guard_id: p.guardId,
        ended_at: e.at,
        end_reason: p.reason,
        passages: p.passages,
      };
      await trx
        .insertInto('guard_shift')
        .values({ id: p.shiftId, ...base, ...half })
        .onConflict((oc) => oc.column('id').doUpdateSet(half))
        .execute();
    }
  }
}

export interface ShiftView {
  id: string;
  guardId: string;
  guardName: string;
  deviceId: string;
  deviceName: string;
  startedAt: number | null;
  endedAt: number | null;
  endReason: ShiftEndReason | null;
  passages: number | null;
}

/** Shifts started in [from, to) (milliseconds), newest first. */
export async function listShifts(
  db: Db,
  communityId: number,
  q: { from?: number; to?: number; guardId?: string; limit: number },
): Promise<ShiftView[]> {
  let query = db
    .selectFrom('guard_shift as s')
    .leftJoin('guard as g', (j) =>
      j.onRef('g.id', '=', 's.guard_id').onRef('g.community_id', '=', 's.community_id'),
    )
    .leftJoin('device as d', (j) =>
      j.onRef('d.id', '=', 's.device_id').onRef('d.community_id', '=', 's.community_id'),
    )
    .select([
      's.id',
      's.guard_id',
      's.device_id',
      's.started_at',
      's.ended_at',
      's.end_reason',
      's.passages',
      'g.name as guard_name',
      'd.name as device_name',
    ])
    .where('s.community_id', '=', communityId);
  if (q.from !== undefined) query = query.where('s.started_at', '>=', q.from);
  if (q.to !== undefined) query = query.where('s.started_at', '<', q.to);
  if (q.guardId !== undefined) query = query.where('s.guard_id', '=', q.guardId);
  // Shift ids are ULIDs the gate made at the start: their order is the order the shifts began.
  const rows = await query.orderBy('s.id', 'desc').limit(q.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    guardId: r.guard_id,
    guardName: r.guard_name ?? '',
    deviceId: r.device_id,
    deviceName: r.device_name ?? '',
    startedAt: r.started_at,
    endedAt: r.ended_at,
    endReason: r.end_reason as ShiftEndReason | null,
    passages: r.passages,
  }));
}

/**
 * Who is on duty now, by guard: a shift not yet ended that is also the latest one started at its
 * gate (a gate wiped mid-shift never sends the end; the next shift there closes the question).
 */
export async function onDuty(
  db: Db,
  communityId: number,
): Promise<Map<string, { deviceName: string; since: number }>> {
  const open = await listShifts(db, communityId, { limit: 1000 }).then((all) => {
    const latestByDevice = new Map<string, ShiftView>();
    for (const s of all) if (!latestByDevice.has(s.deviceId)) latestByDevice.set(s.deviceId, s);
    return [...latestByDevice.values()].filter((s) => s.endedAt === null && s.startedAt !== null);
  });
  return new Map(open.map((s) => [s.guardId, { deviceName: s.deviceName, since: s.startedAt! }]));
}

/**
 * Retention: shifts that ended (or, never ended, began) before `before` (ms), with their
 * `shift.start` and `shift.end` events.
 */
export async function purgeShifts(trx: Db, communityId: number, before: number) {
  await trx
    .deleteFrom('guard_shift')
    .where('community_id', '=', communityId)
    .where((eb) => eb.fn.coalesce('ended_at', 'started_at'), '<', before)
    .execute();
  await purgeGateEvents(trx, communityId, ['shift.start', 'shift.end'], before);
}
