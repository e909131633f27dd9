/**
 * Release slips (《物资搬运放行条》, procedure 4.3.1.4): storage, the gate's projection, the
 * gate's records of each slip (projected from `slip.use` events in the ingest transaction), the
 * duplicate-use alert, goods refused without a slip, and what the issuing rules need to know of a
 * household.
 *
 * Invariant: every change to a slip or to its uses republishes the slip's row through the
 * caller's SyncWriter, so a gate learns of a use at another gate at its next pull. The applicant's
 * ID number is sealed to the office key (seal.ts); no view, sync row or audit entry holds it.
 */
import { fromBase64Url } from '../../domain/bytes';
import { goodsRefusedPayloadSchema, slipUsePayloadSchema } from '../../domain/events';
import type { ApplicantRole, SlipItem, SlipState, SlipStatus } from '../../domain/slip';
import { slipState } from '../../domain/slip';
import { maskMobile } from '../../domain/rules/phone';
import { DAY_MS, retentionCutoff } from '../../domain/visitor/retention';
import type { GateEvent } from '../../domain/sync/protocol';
import type { SyncedRow } from '../../domain/sync/tables';
import type { SlipOutcome, SlipUse } from '../../domain/verdict/slip';
import { newId } from '../context';
import { householdRefs, type HouseholdRef } from './cards';
import type { Db } from './db';
import { purgeUnreferencedPhotos, storePhoto } from './photos';
import type { ProjectionContext } from './projections';
import { purgeGateEvents } from './retention';
import type { Row } from './schema';
import { SyncWriter } from './sync-rows';

export type SlipRow = Row<'slip'>;

/** PostgreSQL may hand BIGINT back as text where a driver option is missed: numbers here. */
function normalise(row: SlipRow): SlipRow {
  return {
    ...row,
    serial: Number(row.serial),
    valid_from_s: Number(row.valid_from_s),
    valid_until_s: Number(row.valid_until_s),
    created_at: Number(row.created_at),
    updated_at: Number(row.updated_at),
    status_at: row.status_at === null ? null : Number(row.status_at),
  };
}

export async function loadSlips(
  db: Db,
  communityId: number,
  serials: readonly number[],
): Promise<SlipRow[]> {
  if (serials.length === 0) return [];
  const rows = await db
    .selectFrom('slip')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('serial', 'in', [...serials])
    .execute();
  const order = new Map(serials.map((s, i) => [s, i]));
  return rows.map(normalise).sort((a, b) => order.get(a.serial)! - order.get(b.serial)!);
}

export async function loadSlip(
  db: Db,
  communityId: number,
  serial: number,
): Promise<SlipRow | undefined> {
  return (await loadSlips(db, communityId, [serial]))[0];
}

/** A gate record of a slip, as the office reads it. */
export interface SlipUseView {
  eventId: string;
  serial: number;
  deviceId: string;
  deviceName: string;
  at: number;
  receivedAt: number;
  outcome: SlipOutcome;
  lines: Array<{ index: number; passed: number }>;
  reason: string | null;
  note: string;
  carrierName: string;
  photoHash: string | null;
  guardId: string | null;
}

export async function slipUses(
  db: Db,
  communityId: number,
  serials: readonly number[],
): Promise<Map<number, SlipUseView[]>> {
  const out = new Map<number, SlipUseView[]>(serials.map((s) => [s, []]));
  if (serials.length === 0) return out;
  const rows = await db
    .selectFrom('slip_use')
    .leftJoin('device', 'device.id', 'slip_use.device_id')
    .selectAll('slip_use')
    .select('device.name as device_name')
    .where('slip_use.community_id', '=', communityId)
    .where('slip_use.serial', 'in', [...serials])
    .orderBy('slip_use.at')
    .orderBy('slip_use.event_id')
    .execute();
  for (const r of rows) {
    out.get(Number(r.serial))?.push({
      eventId: r.event_id,
      serial: Number(r.serial),
      deviceId: r.device_id,
      deviceName: r.device_name ?? r.device_id,
      at: Number(r.at),
      receivedAt: Number(r.received_at),
      outcome: r.outcome as SlipOutcome,
      lines: JSON.parse(r.lines) as SlipUseView['lines'],
      reason: r.reason,
      note: r.note,
      carrierName: r.carrier_name,
      photoHash: r.photo_hash,
      guardId: r.guard_id,
    });
  }
  return out;
}

/** The uses that count against the trips: pass and partial records. */
export function tripUses(uses: readonly SlipUseView[]): SlipUse[] {
  return uses.flatMap((u) =>
    u.outcome === 'refuse'
      ? []
      : [{ id: u.eventId, at: u.at, device: u.deviceName.slice(0, 40), outcome: u.outcome }],
  );
}

/** The gate's row: the masked ID number, no phone, and the uses the office has received. */
export function slipSyncRow(row: SlipRow, uses: readonly SlipUseView[]): SyncedRow<'slip'> {
  return {
    serial: row.serial,
    householdId: row.household_id,
    applicantName: row.applicant_name,
    applicantRole: row.applicant_role as SyncedRow<'slip'>['applicantRole'],
    idMasked: row.id_masked,
    items: JSON.parse(row.items) as SlipItem[],
    plate: row.plate,
    carrierName: row.carrier_name,
    validFrom: row.valid_from_s,
    validUntil: row.valid_until_s,
    trips: row.trips,
    status: row.status === 'revoked' ? 'revoked' : 'issued',
    watchSignedOff: row.watch_signoff !== '',
    uses: tripUses(uses).slice(0, 255),
  };
}

/** Publishes slips to the gates (a slip awaiting a supervisor has no code and is not sent). */
export async function publishSlips(writer: SyncWriter, trx: Db, rows: readonly SlipRow[]) {
  const sendable = rows.filter((r) => r.status !== 'awaiting_approval');
  if (sendable.length === 0) return;
  const uses = await slipUses(
    trx,
    writer.communityId,
    sendable.map((r) => r.serial),
  );
  await writer.put(
    'slip',
    sendable.map((r) => ({ id: String(r.serial), data: slipSyncRow(r, uses.get(r.serial) ?? []) })),
  );
}

export async function updateSlip(
  trx: Db,
  communityId: number,
  serial: number,
  patch: Partial<Omit<SlipRow, 'community_id' | 'serial'>>,
): Promise<void> {
  await trx
    .updateTable('slip')
    .set(patch)
    .where('community_id', '=', communityId)
    .where('serial', '=', serial)
    .execute();
}

/** What the office sees of a slip. `code` only where asked (detail, print). */
export interface SlipView {
  serial: number;
  household: HouseholdRef;
  applicantName: string;
  applicantRole: ApplicantRole;
  applicantPhone: string;
  idType: string;
  idMasked: string;
  items: SlipItem[];
  plate: string;
  carrierName: string;
  validFrom: number;
  validUntil: number;
  trips: number;
  consent: Record<string, string> | null;
  arrearsOverride: Record<string, string> | null;
  watchSignOff: Record<string, string> | null;
  status: SlipStatus;
  state: SlipState;
  statusReason: string;
  statusNote: string;
  statusAt: number | null;
  createdAt: number;
  createdBy: string;
  approvedBy: string | null;
  uses: SlipUseView[];
  openAlert: string | null;
  code?: string;
}

const parseOrNull = (s: string) => (s === '' ? null : (JSON.parse(s) as Record<string, string>));

export async function slipViews(
  db: Db,
  communityId: number,
  rows: readonly SlipRow[],
  opts: { code: boolean; nowSeconds: number },
): Promise<SlipView[]> {
  const serials = rows.map((r) => r.serial);
  const [refs, uses, alerts] = await Promise.all([
    householdRefs(
      db,
      communityId,
      rows.map((r) => r.household_id),
    ),
    slipUses(db, communityId, serials),
    serials.length
      ? db
          .selectFrom('slip_alert')
          .select(['id', 'serial'])
          .where('community_id', '=', communityId)
          .where('serial', 'in', serials)
          .where('resolved_at', 'is', null)
          .execute()
      : [],
  ]);
  const alertOf = new Map(alerts.map((a) => [Number(a.serial), a.id]));
  return rows.map((r) => {
    const u = uses.get(r.serial) ?? [];
    const view: SlipView = {
      serial: r.serial,
      household: refs.get(r.household_id) ?? { id: r.household_id, label: '?', movedOut: false },
      applicantName: r.applicant_name,
      applicantRole: r.applicant_role as ApplicantRole,
      applicantPhone: opts.code ? r.applicant_phone : maskMobile(r.applicant_phone),
      idType: r.id_type,
      idMasked: r.id_masked,
      items: JSON.parse(r.items) as SlipItem[],
      plate: r.plate,
      carrierName: r.carrier_name,
      validFrom: r.valid_from_s,
      validUntil: r.valid_until_s,
      trips: r.trips,
      consent: parseOrNull(r.consent),
      arrearsOverride: parseOrNull(r.arrears_override),
      watchSignOff: parseOrNull(r.watch_signoff),
      status: r.status as SlipStatus,
      state: slipState(
        { status: r.status as SlipStatus, validUntil: r.valid_until_s },
        u,
        opts.nowSeconds,
      ),
      statusReason: r.status_reason,
      statusNote: r.status_note,
      statusAt: r.status_at,
      createdAt: r.created_at,
      createdBy: r.created_by,
      approvedBy: r.approved_by,
      uses: u,
      openAlert: alertOf.get(r.serial) ?? null,
    };
    if (opts.code) view.code = r.code;
    return view;
  });
}

/** What the issuing rules need of a household, read inside the issuing transaction. */
export async function slipHouseholdFacts(
  db: Db,
  communityId: number,
  householdId: string,
  nowMs: number,
) {
  const household = await db
    .selectFrom('household')
    .select(['id', 'building', 'unit', 'room', 'occupancy', 'moved_out', 'arrears'])
    .where('community_id', '=', communityId)
    .where('id', '=', householdId)
    .executeTakeFirst();
  if (!household) return null;
  const [key, consent] = await Promise.all([
    db
      .selectFrom('key_household')
      .select('categories')
      .where('community_id', '=', communityId)
      .where('household_id', '=', householdId)
      .executeTakeFirst(),
    db
      .selectFrom('slip_consent')
      .selectAll()
      .where('community_id', '=', communityId)
      .where('household_id', '=', householdId)
      .where('valid_until', '>', nowMs)
      .orderBy('confirmed_at', 'desc')
      .executeTakeFirst(),
  ]);
  const categories = key ? (JSON.parse(key.categories) as string[]) : [];
  return {
    household,
    movedOut: household.moved_out === 1,
    arrears: household.arrears === 1,
    underWatch: categories.includes('under_watch'),
    mainSystemConsent: consent
      ? {
          reference: consent.reference,
          ownerName: consent.owner_name,
          tenantName: consent.tenant_name,
          confirmedAt: Number(consent.confirmed_at),
          validUntil: Number(consent.valid_until),
        }
      : null,
  };
}

/** A photo a gate sent (already checked to be a JPEG), stored by its hash. */
async function storeGatePhoto(trx: Db, ctx: ProjectionContext, photo: string | null) {
  return photo
    ? storePhoto(trx, ctx.now, ctx.communityId, fromBase64Url(photo), 'image/jpeg')
    : null;
}

/**
 * Projects `slip.use` events: each record once (by event id), its photo stored by hash, then per
 * slip the duplicate-use rule: more pass or partial records than trips raises one open alert
 * naming every such record (an open alert grows as more arrive); and the slip's row is
 * republished so every gate learns of the uses.
 */
export async function projectSlipUses(
  trx: Db,
  ctx: ProjectionContext,
  events: GateEvent[],
): Promise<void> {
  const touched = new Set<number>();
  for (const e of events) {
    const p = slipUsePayloadSchema.parse(e.payload);
    const photoHash = await storeGatePhoto(trx, ctx, p.photo);
    await trx
      .insertInto('slip_use')
      .values({
        event_id: e.id,
        community_id: ctx.communityId,
        serial: p.serial,
        device_id: ctx.deviceId,
        at: e.at,
        received_at: ctx.now,
        outcome: p.outcome,
        lines: JSON.stringify(p.lines),
        reason: p.reason,
        note: p.note,
        carrier_name: p.carrierName,
        photo_hash: photoHash,
        guard_id: e.guardId,
      })
      .onConflict((oc) => oc.column('event_id').doNothing())
      .execute();
    touched.add(p.serial);
  }
  const rows = await loadSlips(trx, ctx.communityId, [...touched]);
  if (rows.length === 0) return;
  const uses = await slipUses(trx, ctx.communityId, [...touched]);
  for (const row of rows) {
    const counted = tripUses(uses.get(row.serial) ?? []);
    if (counted.length > row.trips) await raiseDuplicateAlert(trx, ctx, row.serial, counted);
  }
  await publishSlips(await SyncWriter.open(trx, ctx.communityId, ctx.now), trx, rows);
}

async function raiseDuplicateAlert(
  trx: Db,
  ctx: ProjectionContext,
  serial: number,
  uses: readonly SlipUse[],
) {
  const ids = JSON.stringify(uses.map((u) => u.id));
  const open = await trx
    .selectFrom('slip_alert')
    .select('id')
    .where('community_id', '=', ctx.communityId)
    .where('serial', '=', serial)
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
  if (open) {
    await trx
      .updateTable('slip_alert')
      .set({ event_ids: ids, updated_at: ctx.now })
      .where('id', '=', open.id)
      .execute();
    return;
  }
  await trx
    .insertInto('slip_alert')
    .values({
      id: newId(ctx.now),
      community_id: ctx.communityId,
      serial,
      event_ids: ids,
      created_at: ctx.now,
      updated_at: ctx.now,
      resolved_at: null,
      resolved_by: null,
      resolution_note: '',
    })
    .execute();
}

/** Projects `goods.refused` events into the office's list, each once, photo by hash. */
export async function projectGoodsRefusals(
  trx: Db,
  ctx: ProjectionContext,
  events: GateEvent[],
): Promise<void> {
  for (const e of events) {
    const p = goodsRefusedPayloadSchema.parse(e.payload);
    const photoHash = await storeGatePhoto(trx, ctx, p.photo);
    await trx
      .insertInto('goods_refusal')
      .values({
        event_id: e.id,
        community_id: ctx.communityId,
        device_id: ctx.deviceId,
        at: e.at,
        received_at: ctx.now,
        household_id: p.householdId,
        unit_text: p.unitText,
        description: p.description,
        photo_hash: photoHash,
        guard_id: e.guardId,
      })
      .onConflict((oc) => oc.column('event_id').doNothing())
      .execute();
  }
}

/**
 * Housekeeping for slips. A slip leaves the gates a day after its last valid day (its signed code
 * has expired by then; any later use is judged from the code). After the community's retention
 * period (`serverRetentionDays`) the slip, its gate records, alerts, the main system's consents,
 * the goods refused without a slip, their events and the load photos no record names any more
 * are deleted. Revocation rows stay on the revocation stream (see sync-protocol.md).
 */
export async function purgeSlipData(
  trx: Db,
  communityId: number,
  nowMs: number,
  retentionDays: number,
): Promise<{ slips: number; refusals: number; events: number }> {
  const ended = await trx
    .selectFrom('slip')
    .innerJoin('sync_row', (j) =>
      j
        .onRef('sync_row.community_id', '=', 'slip.community_id')
        .on('sync_row.tbl', '=', 'slip')
        .on('sync_row.deleted', '=', 0)
        .on((eb) => eb(eb.cast('slip.serial', 'text'), '=', eb.ref('sync_row.id'))),
    )
    .select('slip.serial')
    .where('slip.community_id', '=', communityId)
    .where('slip.valid_until_s', '<', Math.floor((nowMs - DAY_MS) / 1000))
    .execute();
  if (ended.length > 0) {
    const writer = await SyncWriter.open(trx, communityId, nowMs);
    await writer.delete(
      'slip',
      ended.map((r) => String(r.serial)),
    );
  }

  const cutoff = retentionCutoff(nowMs, retentionDays);
  const old = (
    await trx
      .selectFrom('slip')
      .select('serial')
      .where('community_id', '=', communityId)
      .where('valid_until_s', '<', Math.floor(cutoff / 1000))
      .execute()
  ).map((r) => Number(r.serial));
  for (const table of ['slip_use', 'slip_alert', 'slip'] as const) {
    if (old.length === 0) break;
    await trx
      .deleteFrom(table)
      .where('community_id', '=', communityId)
      .where('serial', 'in', old)
      .execute();
  }
  await trx
    .deleteFrom('slip_consent')
    .where('community_id', '=', communityId)
    .where('valid_until', '<', cutoff)
    .execute();
  const refusals = await trx
    .deleteFrom('goods_refusal')
    .where('community_id', '=', communityId)
    .where('at', '<', cutoff)
    .executeTakeFirst();
  const events = await purgeGateEvents(trx, communityId, ['slip.use', 'goods.refused'], cutoff);
  await purgeUnreferencedPhotos(trx, communityId, cutoff);
  return { slips: old.length, refusals: Number(refusals.numDeletedRows), events };
}
