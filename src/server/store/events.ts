/**
 * Gate → office: event ingest (idempotent, one transaction per batch, durable before the answer),
 * the dead letter, gaps in an installation's sequence, and the cursor-based event feed that the
 * main property-management system reads.
 */
import { sql } from 'kysely';
import { checkEventPayload } from '../../domain/events';
import type { EventResult, GateEvent, PushRequest } from '../../domain/sync/protocol';
import type { Db } from './db';
import type { DeviceRow } from './devices';
import { projectEvents } from './projections';

type Device = NonNullable<DeviceRow>;

export interface IngestOutcome {
  results: EventResult[];
  accepted: GateEvent[];
}

/** Runs inside the caller's transaction, which commits durably before the kiosk is answered. */
export async function ingestEvents(
  trx: Db,
  now: number,
  device: Device,
  req: PushRequest,
): Promise<IngestOutcome> {
  const installation = await trx
    .selectFrom('installation')
    .select(['device_id'])
    .where('id', '=', req.installationId)
    .executeTakeFirst();
  if (!installation) {
    await trx
      .insertInto('installation')
      .values({
        id: req.installationId,
        community_id: device.community_id,
        device_id: device.id,
        first_seen_at: now,
        replaced_at: null,
        max_seq: 0,
        event_count: 0,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  } else if (installation.device_id !== device.id) {
    return {
      accepted: [],
      results: req.events.map((e) => ({
        id: e.id,
        status: 'rejected',
        reason: 'installation_of_another_device',
      })),
    };
  }

  const results = new Map<string, EventResult>();
  const rejected: Array<{ event: GateEvent; reason: string }> = [];
  const candidates: GateEvent[] = [];
  const seen = new Set<string>();
  for (const e of req.events) {
    if (seen.has(e.id)) continue; // the same id twice in one batch: one answer, one row
    seen.add(e.id);
    const check = checkEventPayload(e.type, e.payload);
    if (check.ok) candidates.push(e);
    else rejected.push({ event: e, reason: check.reason });
  }

  let accepted: GateEvent[] = [];
  if (candidates.length > 0) {
    const { event_version } = await trx
      .updateTable('community')
      .set({ event_version: sql`event_version + 1` })
      .where('id', '=', device.community_id)
      .returning('event_version')
      .executeTakeFirstOrThrow();
    const inserted = await trx
      .insertInto('event')
      .values(
        candidates.map((e) => ({
          id: e.id,
          community_id: device.community_id,
          device_id: device.id,
          installation_id: req.installationId,
          seq: e.seq,
          type: e.type,
          at: e.at,
          tz_offset: e.tzOffset,
          guard_id: e.guardId,
          payload: JSON.stringify(e.payload),
          received_at: now,
          feed_version: event_version,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .execute();
    const insertedIds = new Set(inserted.map((r) => r.id));
    accepted = candidates.filter((e) => insertedIds.has(e.id));
    const notInserted = candidates.filter((e) => !insertedIds.has(e.id));
    const existing = notInserted.length
      ? await trx
          .selectFrom('event')
          .select(['id', 'installation_id', 'seq'])
          .where(
            'id',
            'in',
            notInserted.map((e) => e.id),
          )
          .execute()
      : [];
    const existingIds = new Set(existing.map((r) => r.id));
    for (const e of notInserted) {
      if (existingIds.has(e.id)) results.set(e.id, { id: e.id, status: 'duplicate' });
      // A new id with a sequence number this installation already used: the kiosk's counter is
      // broken; keep the event aside for the office rather than lose or double-count it.
      else rejected.push({ event: e, reason: 'sequence_reused' });
    }
    if (accepted.length > 0) {
      const maxSeq = Math.max(...accepted.map((e) => e.seq));
      await trx
        .updateTable('installation')
        .set((eb) => ({
          max_seq: sql<number>`case when ${eb.ref('max_seq')} < ${maxSeq} then ${maxSeq} else ${eb.ref('max_seq')} end`,
          event_count: sql<number>`${eb.ref('event_count')} + ${accepted.length}`,
        }))
        .where('id', '=', req.installationId)
        .execute();
      await projectEvents(
        trx,
        { communityId: device.community_id, deviceId: device.id, now },
        accepted,
      );
    }
    for (const e of accepted) results.set(e.id, { id: e.id, status: 'accepted' });
  }

  if (rejected.length > 0) {
    await trx
      .insertInto('dead_letter')
      .values(
        rejected.map(({ event, reason }) => ({
          id: event.id,
          community_id: device.community_id,
          device_id: device.id,
          installation_id: req.installationId,
          seq: event.seq,
          type: event.type,
          body: JSON.stringify(event),
          reason,
          received_at: now,
        })),
      )
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    for (const { event, reason } of rejected)
      results.set(event.id, { id: event.id, status: 'rejected', reason });
  }

  return { accepted, results: [...seen].map((id) => results.get(id)!) };
}

/** Sequence numbers of an installation that never arrived, as inclusive ranges. */
export async function sequenceGaps(
  db: Db,
  installationId: string,
): Promise<Array<{ from: number; to: number }>> {
  const rows = await sql<{ from_seq: number; to_seq: number }>`
    select prev + 1 as from_seq, seq - 1 as to_seq from (
      select seq, lag(seq, 1, 0) over (order by seq) as prev
      from event where installation_id = ${installationId}
    ) s where seq - prev > 1 order by seq`.execute(db);
  return rows.rows.map((r) => ({ from: Number(r.from_seq), to: Number(r.to_seq) }));
}

export interface FeedCursor {
  version: number;
  id: string;
}

export function encodeFeedCursor(c: FeedCursor): string {
  return `${c.version}.${c.id}`;
}

export function decodeFeedCursor(s: string | undefined): FeedCursor | null {
  if (!s) return { version: 0, id: '' };
  const m = /^(\d{1,15})\.([0-9A-Z]{0,26})$/.exec(s);
  return m ? { version: Number(m[1]), id: m[2]! } : null;
}

/** The gate's events in the order the office received them, after a cursor (keyset pages). */
export async function readEventFeed(db: Db, communityId: number, after: FeedCursor, limit: number) {
  const rows = await db
    .selectFrom('event')
    .innerJoin('device', 'device.id', 'event.device_id')
    .select([
      'event.id',
      'event.type',
      'event.at',
      'event.tz_offset',
      'event.guard_id',
      'event.payload',
      'event.received_at',
      'event.feed_version',
      'event.seq',
      'device.name as device_name',
    ])
    .where('event.community_id', '=', communityId)
    .where((eb) =>
      eb(eb.refTuple('event.feed_version', 'event.id'), '>', eb.tuple(after.version, after.id)),
    )
    .orderBy('event.feed_version')
    .orderBy('event.id')
    .limit(limit)
    .execute();
  const last = rows.at(-1);
  return {
    events: rows.map((r) => ({
      id: r.id,
      type: r.type,
      at: r.at,
      tzOffset: r.tz_offset,
      guardId: r.guard_id,
      device: r.device_name,
      receivedAt: r.received_at,
      payload: JSON.parse(r.payload) as Record<string, unknown>,
    })),
    next: encodeFeedCursor(last ? { version: last.feed_version, id: last.id } : after),
    hasMore: rows.length === limit,
  };
}
