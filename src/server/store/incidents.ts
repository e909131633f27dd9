/**
 * Incident records (《突发事件处理记录表》) projected from the gate's `incident` events. The
 * signatures and photos are stored apart (incident_image) and the event's own stored payload is
 * cut down to what the incident was and where, so the raw event list and the main system's feed
 * never carry what happened or the images: those are read here, by those allowed to.
 */
import { createHash } from 'node:crypto';
import { fromBase64Url } from '../../domain/bytes';
import {
  incidentPayloadSchema,
  SIGNERS,
  type IncidentAction,
  type IncidentType,
  type Signer,
} from '../../domain/incident';
import { householdLabel } from '../../domain/household';
import type { GateEvent } from '../../domain/sync/protocol';
import type { Db } from './db';
import type { ProjectionContext } from './projections';
import { purgeGateEvents } from './retention';

async function storeImage(
  trx: Db,
  communityId: number,
  incidentId: string,
  base64: string,
  contentType: 'image/png' | 'image/jpeg',
): Promise<string> {
  const bytes = fromBase64Url(base64);
  const hash = createHash('sha256').update(bytes).digest('hex');
  await trx
    .insertInto('incident_image')
    .values({
      community_id: communityId,
      hash,
      incident_id: incidentId,
      content_type: contentType,
      bytes,
    })
    .onConflict((oc) => oc.columns(['community_id', 'incident_id', 'hash']).doNothing())
    .execute();
  return hash;
}

export async function projectIncidents(trx: Db, ctx: ProjectionContext, events: GateEvent[]) {
  for (const e of events) {
    const p = incidentPayloadSchema.parse(e.payload);
    const signatures: Record<string, { name: string; image: string }> = {};
    for (const s of SIGNERS) {
      signatures[s] = {
        name: p.signatures[s].name,
        image: await storeImage(trx, ctx.communityId, e.id, p.signatures[s].png, 'image/png'),
      };
    }
    const photos: string[] = [];
    for (const photo of p.photos)
      photos.push(await storeImage(trx, ctx.communityId, e.id, photo, 'image/jpeg'));
    await trx
      .insertInto('incident')
      .values({
        id: e.id,
        community_id: ctx.communityId,
        device_id: ctx.deviceId,
        guard_id: e.guardId,
        recorded_at: e.at,
        occurred_at: p.occurredAt,
        type: p.type,
        household_id: p.householdId,
        place: p.place,
        people: p.people,
        happened: p.happened,
        actions: JSON.stringify(p.actions),
        actions_note: p.actionsNote,
        signatures: JSON.stringify(signatures),
        photos: JSON.stringify(photos),
        received_at: ctx.now,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    await trx
      .updateTable('event')
      .set({
        payload: JSON.stringify({
          incidentId: e.id,
          type: p.type,
          householdId: p.householdId,
          occurredAt: p.occurredAt,
        }),
      })
      .where('id', '=', e.id)
      .execute();
  }
}

export interface IncidentSummary {
  id: string;
  type: IncidentType;
  householdId: string | null;
  unit: string;
  occurredAt: number;
  recordedAt: number;
  deviceName: string;
  guardId: string | null;
  signedBy: Record<Signer, string>;
  photoCount: number;
}

function query(db: Db, communityId: number) {
  return db
    .selectFrom('incident as i')
    .innerJoin('device as d', 'd.id', 'i.device_id')
    .leftJoin('household as h', (j) =>
      j.onRef('h.id', '=', 'i.household_id').onRef('h.community_id', '=', 'i.community_id'),
    )
    .selectAll('i')
    .select(['d.name as device_name', 'h.building', 'h.unit', 'h.room'])
    .where('i.community_id', '=', communityId);
}

type Joined = Awaited<ReturnType<ReturnType<typeof query>['executeTakeFirstOrThrow']>>;

function summary(r: Joined): IncidentSummary {
  const signatures = JSON.parse(r.signatures) as Record<Signer, { name: string }>;
  const unit =
    r.building !== null
      ? householdLabel({ building: r.building, unit: r.unit!, room: r.room! }) +
        (r.place ? ` ${r.place}` : '')
      : r.place;
  return {
    id: r.id,
    type: r.type as IncidentType,
    householdId: r.household_id,
    unit,
    occurredAt: r.occurred_at,
    recordedAt: r.recorded_at,
    deviceName: r.device_name,
    guardId: r.guard_id,
    signedBy: Object.fromEntries(SIGNERS.map((s) => [s, signatures[s]?.name ?? ''])) as Record<
      Signer,
      string
    >,
    photoCount: (JSON.parse(r.photos) as string[]).length,
  };
}

export async function listIncidents(
  db: Db,
  communityId: number,
  q: { from?: number; to?: number; limit: number },
) {
  let sel = query(db, communityId).orderBy('i.occurred_at', 'desc').limit(q.limit);
  if (q.from !== undefined) sel = sel.where('i.occurred_at', '>=', q.from);
  if (q.to !== undefined) sel = sel.where('i.occurred_at', '<', q.to);
  return (await sel.execute()).map(summary);
}

export async function getIncident(db: Db, communityId: number, id: string) {
  const r = await query(db, communityId).where('i.id', '=', id).executeTakeFirst();
  if (!r) return null;
  return {
    ...summary(r),
    people: r.people,
    happened: r.happened,
    actions: JSON.parse(r.actions) as IncidentAction[],
    actionsNote: r.actions_note,
    signatures: JSON.parse(r.signatures) as Record<Signer, { name: string; image: string }>,
    photos: JSON.parse(r.photos) as string[],
  };
}

export async function readIncidentImage(db: Db, communityId: number, id: string, hash: string) {
  return db
    .selectFrom('incident_image')
    .select(['content_type', 'bytes'])
    .where('community_id', '=', communityId)
    .where('incident_id', '=', id)
    .where('hash', '=', hash)
    .executeTakeFirst();
}

/** Incident records, their images and their gate events are deleted `days` after the incident. */
export async function purgeIncidents(trx: Db, communityId: number, before: number) {
  const old = trx
    .selectFrom('incident')
    .select('id')
    .where('community_id', '=', communityId)
    .where('occurred_at', '<', before);
  await trx
    .deleteFrom('incident_image')
    .where('community_id', '=', communityId)
    .where('incident_id', 'in', old)
    .execute();
  await trx
    .deleteFrom('incident')
    .where('community_id', '=', communityId)
    .where('occurred_at', '<', before)
    .execute();
  await purgeGateEvents(trx, communityId, ['incident'], before);
}
