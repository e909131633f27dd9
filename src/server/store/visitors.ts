/**
 * The visitor register as the office keeps it, built from the gates' `visitor.entry` and
 * `visitor.exit` events in the transaction that accepts them; invitations and the watch list
 * with their gate rows; and the retention purge.
 *
 * The sealed ID number is stored as the kiosk sent it (sealed to the office key): nothing here
 * opens it; the reveal route does, for roles allowed to, with an audit entry.
 */
import { sql } from 'kysely';
import type { SyncedRow, InvitationStatus } from '../../domain/sync/tables';
import type { GateEvent } from '../../domain/sync/protocol';
import {
  visitorEntryPayloadSchema,
  visitorExitPayloadSchema,
  type WatchLevel,
} from '../../domain/visitor/entry';
import { retentionCutoff } from '../../domain/visitor/retention';
import type { Db } from './db';
import type { ProjectionContext } from './projections';
import { purgeGateEvents } from './retention';
import type { Row } from './schema';
import { SyncWriter } from './sync-rows';

export function invitationSyncRow(r: Row<'invitation'>): SyncedRow<'invitation'> {
  return {
    serial: Number(r.serial),
    name: r.name,
    householdId: r.household_id,
    persons: r.persons,
    plate: r.plate,
    phone: r.phone,
    validFrom: Number(r.valid_from_s),
    validUntil: Number(r.valid_until_s),
    status: r.status as InvitationStatus,
  };
}

export async function publishInvitations(writer: SyncWriter, rows: readonly Row<'invitation'>[]) {
  await writer.put(
    'invitation',
    rows.map((r) => ({ id: String(r.serial), data: invitationSyncRow(r) })),
  );
}

export function watchSyncRow(r: Row<'watch_entry'>): SyncedRow<'watch'> {
  return {
    level: r.level as WatchLevel,
    idHash: r.id_hash,
    namePhoneHash: r.name_phone_hash,
    instruction: r.instruction,
  };
}

export async function loadInvitation(
  db: Db,
  communityId: number,
  serial: number,
): Promise<Row<'invitation'> | undefined> {
  return db
    .selectFrom('invitation')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('serial', '=', serial)
    .executeTakeFirst();
}

/** Entries in; an entry with an invitation marks it used (and the gates learn it). */
export async function projectVisitorEntries(
  trx: Db,
  ctx: ProjectionContext,
  events: GateEvent[],
): Promise<void> {
  const entries = events.map((e) => ({ e, p: visitorEntryPayloadSchema.parse(e.payload) }));
  const rows = entries.map(({ e, p }) => {
    return {
      community_id: ctx.communityId,
      id: e.id,
      device_id: ctx.deviceId,
      guard_id: e.guardId,
      at: e.at,
      name: p.name,
      id_type: p.idType,
      id_masked: p.idMasked,
      id_hash: p.idHash,
      id_sealed: p.idSealed ? JSON.stringify(p.idSealed) : null,
      phone: p.phone,
      household_id: p.householdId,
      reason: p.reason,
      persons: p.persons,
      plate: p.plate,
      invitation_serial: p.invitationSerial,
      watch_level: p.watch?.level ?? null,
      watch_instruction: p.watch?.instruction ?? '',
      mode: p.mode,
      admitted: p.admitted ? 1 : 0,
      exit_at: null,
      exit_method: null,
      received_at: ctx.now,
    };
  });
  await trx
    .insertInto('visitor_entry')
    .values(rows)
    .onConflict((oc) => oc.columns(['community_id', 'id']).doNothing())
    .execute();
  const photos = entries.flatMap(({ e, p }) =>
    p.photoSealed
      ? [
          {
            community_id: ctx.communityId,
            entry_id: e.id,
            at: e.at,
            sealed: JSON.stringify(p.photoSealed),
          },
        ]
      : [],
  );
  if (photos.length > 0)
    await trx
      .insertInto('visitor_photo')
      .values(photos)
      .onConflict((oc) => oc.columns(['community_id', 'entry_id']).doNothing())
      .execute();
  const serials = [
    ...new Set(
      rows
        .filter((r) => r.admitted && r.invitation_serial !== null)
        .map((r) => r.invitation_serial!),
    ),
  ];
  if (serials.length === 0) return;
  const used = await trx
    .updateTable('invitation')
    .set({ status: 'used', status_at: ctx.now })
    .where('community_id', '=', ctx.communityId)
    .where('serial', 'in', serials)
    .where('status', '=', 'active')
    .returningAll()
    .execute();
  if (used.length > 0) {
    const writer = await SyncWriter.open(trx, ctx.communityId, ctx.now);
    await publishInvitations(writer, used);
  }
}

/** Exits close their entry; a second exit of the same entry changes nothing. */
export async function projectVisitorExits(
  trx: Db,
  ctx: ProjectionContext,
  events: GateEvent[],
): Promise<void> {
  for (const e of events) {
    const p = visitorExitPayloadSchema.parse(e.payload);
    await trx
      .updateTable('visitor_entry')
      .set({ exit_at: e.at, exit_method: p.method })
      .where('community_id', '=', ctx.communityId)
      .where('id', '=', p.entryId)
      .where('exit_at', 'is', null)
      .execute();
  }
}

/**
 * Retention: register entries and the gate events that carried them, older than the community's
 * period, are deleted; invitations that ended are withdrawn from the gates a day later and
 * deleted after the period. Returns what was deleted, for the log.
 */
export async function purgeVisitorData(
  trx: Db,
  communityId: number,
  nowMs: number,
  retentionDays: number,
): Promise<{ entries: number; events: number; invitations: number }> {
  const cutoff = retentionCutoff(nowMs, retentionDays);
  const entries = await trx
    .deleteFrom('visitor_entry')
    .where('community_id', '=', communityId)
    .where('at', '<', cutoff)
    .executeTakeFirst();
  await trx
    .deleteFrom('visitor_photo')
    .where('community_id', '=', communityId)
    .where('at', '<', cutoff)
    .execute();
  const events = await purgeGateEvents(trx, communityId, ['visitor.entry', 'visitor.exit'], cutoff);

  const endedBefore = Math.floor(nowMs / 1000) - 86_400;
  const ended = await trx
    .selectFrom('invitation')
    .select('serial')
    .where('community_id', '=', communityId)
    .where('on_gates', '=', 1)
    .where('valid_until_s', '<', endedBefore)
    .execute();
  if (ended.length > 0) {
    const writer = await SyncWriter.open(trx, communityId, nowMs);
    const serials = ended.map((r) => Number(r.serial));
    await writer.delete(
      'invitation',
      serials.map((s) => String(s)),
    );
    await trx
      .updateTable('invitation')
      .set({ on_gates: 0 })
      .where('community_id', '=', communityId)
      .where('serial', 'in', serials)
      .execute();
  }
  const invitations = await trx
    .deleteFrom('invitation')
    .where('community_id', '=', communityId)
    .where('valid_until_s', '<', Math.floor(cutoff / 1000))
    .executeTakeFirst();
  return {
    entries: Number(entries.numDeletedRows),
    events,
    invitations: Number(invitations.numDeletedRows),
  };
}

export interface RegisterQuery {
  from?: number | undefined;
  to?: number | undefined;
  householdId?: string | undefined;
  /** Building-unit-room text, e.g. "3-2" or "3-2-1201". */
  unit?: string | undefined;
  reason?: string | undefined;
  insideNow?: boolean | undefined;
  offset: number;
  limit: number;
}

/** The register for the office: newest first, filtered, with the household's address. */
export async function listVisitorEntries(db: Db, communityId: number, q: RegisterQuery) {
  let base = db
    .selectFrom('visitor_entry')
    .leftJoin('household', (j) =>
      j
        .onRef('household.community_id', '=', 'visitor_entry.community_id')
        .onRef('household.id', '=', 'visitor_entry.household_id'),
    )
    .where('visitor_entry.community_id', '=', communityId);
  if (q.from !== undefined) base = base.where('visitor_entry.at', '>=', q.from);
  if (q.to !== undefined) base = base.where('visitor_entry.at', '<', q.to);
  if (q.householdId) base = base.where('visitor_entry.household_id', '=', q.householdId);
  if (q.unit) {
    const prefix = `${q.unit.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    base = base.where(
      sql`household.building || '-' || household.unit || '-' || household.room`,
      'like',
      sql`${prefix} escape '\\'`,
    );
  }
  if (q.reason) base = base.where('visitor_entry.reason', '=', q.reason);
  if (q.insideNow)
    base = base.where('visitor_entry.exit_at', 'is', null).where('visitor_entry.admitted', '=', 1);
  const total = await base
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const rows = await base
    .selectAll('visitor_entry')
    .select(['household.building', 'household.unit', 'household.room'])
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('visitor_photo')
            .select('visitor_photo.entry_id')
            .whereRef('visitor_photo.community_id', '=', 'visitor_entry.community_id')
            .whereRef('visitor_photo.entry_id', '=', 'visitor_entry.id'),
        )
        .as('has_photo'),
    )
    .orderBy('visitor_entry.at', 'desc')
    .orderBy('visitor_entry.id', 'desc')
    .offset(q.offset)
    .limit(q.limit)
    .execute();
  return { total: Number(total.n), rows };
}
