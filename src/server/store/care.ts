/**
 * Vulnerable residents under the outing record (出门备案, procedure 4.3.3.3): kept only with the
 * consent on file, projected to the gates as the `careResident` row (how to call them, their latest
 * outing from any gate, when last seen, the delivery reminder), and the outing register projected
 * from the gate's `outing.out` / `outing.back` events.
 */
import {
  outingBackPayloadSchema,
  outingOutPayloadSchema,
  outingState,
  reminderWindow,
  type CareResidentInput,
} from '../../domain/care';
import { householdLabel } from '../../domain/household';
import type { GateEvent } from '../../domain/sync/protocol';
import type { SyncedRow } from '../../domain/sync/tables';
import type { Db } from './db';
import type { ProjectionContext } from './projections';
import { purgeGateEvents } from './retention';
import { SyncWriter } from './sync-rows';

async function syncedRow(trx: Db, communityId: number, id: string) {
  const r = await trx
    .selectFrom('care_resident')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!r) return null;
  const o = r.last_outing_id
    ? await trx
        .selectFrom('outing')
        .selectAll()
        .where('id', '=', r.last_outing_id)
        .executeTakeFirst()
    : undefined;
  const row: SyncedRow<'careResident'> = {
    householdId: r.household_id,
    label: r.label,
    notSeenDays: r.not_seen_days,
    since: r.created_at,
    lastSeenAt: r.last_seen_at,
    lastOuting: o
      ? {
          outingId: o.id,
          outAt: o.out_at,
          expectedBack: o.expected_back,
          takenBy: o.taken_by,
          note: o.note,
          backAt: o.back_at,
        }
      : null,
    reminder: r.due_date ? reminderWindow(r.due_date) : null,
  };
  return row;
}

async function publish(trx: Db, writer: SyncWriter, id: string) {
  const row = await syncedRow(trx, writer.communityId, id);
  if (row) await writer.put('careResident', [{ id, data: row }]);
}

export async function saveCareResident(
  trx: Db,
  writer: SyncWriter,
  now: number,
  by: string,
  id: string,
  input: CareResidentInput,
  created: boolean,
) {
  const values = {
    household_id: input.householdId,
    label: input.label,
    consent_by: input.consentBy,
    consent_note: input.consentNote,
    not_seen_days: input.notSeenDays,
    due_date: input.dueDate,
    updated_at: now,
    updated_by: by,
  };
  if (created)
    await trx
      .insertInto('care_resident')
      .values({
        id,
        community_id: writer.communityId,
        last_seen_at: null,
        last_outing_id: null,
        created_at: now,
        created_by: by,
        ...values,
      })
      .execute();
  else
    await trx
      .updateTable('care_resident')
      .set(values)
      .where('community_id', '=', writer.communityId)
      .where('id', '=', id)
      .execute();
  await publish(trx, writer, id);
}

/** Consent withdrawn: the gates forget the resident; the outing register ages out as usual. */
export async function removeCareResident(trx: Db, writer: SyncWriter, id: string) {
  const r = await trx
    .deleteFrom('care_resident')
    .where('community_id', '=', writer.communityId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(r.numDeletedRows) === 0) return false;
  await writer.delete('careResident', [id]);
  return true;
}

export async function getCareResident(db: Db, communityId: number, id: string) {
  return db
    .selectFrom('care_resident')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Every resident with the state the office acts on: out, overdue, not seen, reminder days. */
export async function listCareResidents(db: Db, communityId: number, now: number) {
  const rows = await db
    .selectFrom('care_resident as r')
    .innerJoin('household as h', (j) =>
      j.onRef('h.id', '=', 'r.household_id').onRef('h.community_id', '=', 'r.community_id'),
    )
    .select(['r.id', 'h.building', 'h.unit', 'h.room'])
    .where('r.community_id', '=', communityId)
    .orderBy('h.building')
    .orderBy('h.unit')
    .orderBy('h.room')
    .execute();
  const out = [];
  for (const r of rows) {
    const full = (await getCareResident(db, communityId, r.id))!;
    const synced = (await syncedRow(db, communityId, r.id))!;
    const state = outingState(synced, [], synced.notSeenDays, now);
    out.push({
      id: r.id,
      householdId: full.household_id,
      householdLabel: householdLabel(r),
      label: full.label,
      consentBy: full.consent_by as CareResidentInput['consentBy'],
      consentNote: full.consent_note,
      notSeenDays: full.not_seen_days,
      dueDate: full.due_date,
      reminder: synced.reminder,
      since: full.created_at,
      lastSeenAt: state.lastSeenAt,
      open: state.open,
      overdue: state.overdue,
      notSeen: state.notSeen,
    });
  }
  return out;
}

/** The outing register, newest first, between two times (out at). */
export async function listOutings(
  db: Db,
  communityId: number,
  q: { from?: number; to?: number; residentId?: string; limit: number },
) {
  let query = db
    .selectFrom('outing as o')
    .leftJoin('care_resident as r', 'r.id', 'o.resident_id')
    .innerJoin('household as h', (j) =>
      j.onRef('h.id', '=', 'o.household_id').onRef('h.community_id', '=', 'o.community_id'),
    )
    .select([
      'o.id',
      'o.resident_id',
      'o.out_at',
      'o.expected_back',
      'o.taken_by',
      'o.note',
      'o.back_at',
      'o.out_guard_id',
      'o.back_guard_id',
      'r.label',
      'h.building',
      'h.unit',
      'h.room',
    ])
    .where('o.community_id', '=', communityId)
    .orderBy('o.out_at', 'desc')
    .limit(q.limit);
  if (q.from !== undefined) query = query.where('o.out_at', '>=', q.from);
  if (q.to !== undefined) query = query.where('o.out_at', '<', q.to);
  if (q.residentId) query = query.where('o.resident_id', '=', q.residentId);
  return (await query.execute()).map((o) => ({
    id: o.id,
    residentId: o.resident_id,
    label: o.label ?? '',
    householdLabel: householdLabel(o),
    outAt: o.out_at,
    expectedBack: o.expected_back,
    takenBy: o.taken_by,
    note: o.note,
    backAt: o.back_at,
    outGuardId: o.out_guard_id,
    backGuardId: o.back_guard_id,
  }));
}

/** Projects outings into the register and the residents' rows the gates hold. */
export async function projectOutings(trx: Db, ctx: ProjectionContext, events: GateEvent[]) {
  const touched = new Set<string>();
  for (const e of [...events].sort((a, b) => a.at - b.at)) {
    if (e.type === 'outing.out') {
      const p = outingOutPayloadSchema.parse(e.payload);
      await trx
        .insertInto('outing')
        .values({
          id: p.outingId,
          community_id: ctx.communityId,
          resident_id: p.residentId,
          household_id: p.householdId,
          out_at: e.at,
          expected_back: p.expectedBack,
          taken_by: p.takenBy,
          note: p.note,
          out_device_id: ctx.deviceId,
          out_guard_id: e.guardId,
          back_at: null,
          back_device_id: null,
          back_guard_id: null,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      touched.add(p.residentId);
    } else {
      const p = outingBackPayloadSchema.parse(e.payload);
      await trx
        .updateTable('outing')
        .set({ back_at: e.at, back_device_id: ctx.deviceId, back_guard_id: e.guardId })
        .where('community_id', '=', ctx.communityId)
        .where('id', '=', p.outingId)
        .where('back_at', 'is', null)
        .execute();
      touched.add(p.residentId);
    }
  }
  const residents = touched.size
    ? await trx
        .selectFrom('care_resident')
        .select('id')
        .where('community_id', '=', ctx.communityId)
        .where('id', 'in', [...touched])
        .execute()
    : [];
  if (residents.length === 0) return;
  const writer = await SyncWriter.open(trx, ctx.communityId, ctx.now);
  for (const { id } of residents) {
    const latest = await trx
      .selectFrom('outing')
      .select('id')
      .where('community_id', '=', ctx.communityId)
      .where('resident_id', '=', id)
      .orderBy('out_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    const seen = await trx
      .selectFrom('outing')
      .select((eb) => [eb.fn.max('out_at').as('out'), eb.fn.max('back_at').as('back')])
      .where('community_id', '=', ctx.communityId)
      .where('resident_id', '=', id)
      .executeTakeFirstOrThrow();
    const lastSeen = latest ? Math.max(Number(seen.out ?? 0), Number(seen.back ?? 0)) : null;
    await trx
      .updateTable('care_resident')
      .set({ last_outing_id: latest?.id ?? null, last_seen_at: lastSeen })
      .where('id', '=', id)
      .execute();
    await publish(trx, writer, id);
  }
}

/**
 * The outing register is about whereabouts (PIPL: sensitive): kept `days`, then deleted with its
 * gate events. The residents' rows keep only the latest outing, which goes with it.
 */
export async function purgeOutings(trx: Db, communityId: number, before: number) {
  await trx
    .updateTable('care_resident')
    .set({ last_outing_id: null })
    .where('community_id', '=', communityId)
    .where('last_outing_id', 'in', (eb) =>
      eb
        .selectFrom('outing')
        .select('id')
        .where('community_id', '=', communityId)
        .where('out_at', '<', before),
    )
    .execute();
  await trx
    .deleteFrom('outing')
    .where('community_id', '=', communityId)
    .where('out_at', '<', before)
    .execute();
  await purgeGateEvents(trx, communityId, ['outing.out', 'outing.back'], before);
}
