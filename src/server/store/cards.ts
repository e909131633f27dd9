/**
 * Temporary access cards (临时《出入卡》, procedure 4.4.2–4.4.3): storage, the gate's projection
 * and the lifecycle writes. Every write publishes the card row, and every card that stops being
 * usable publishes a revocation row (which kiosks pull first), through the caller's SyncWriter in
 * the caller's transaction, with an audit entry.
 *
 * The ID number is stored sealed under the master key, with its masked form for screens and a
 * keyed hash of its holder part for finding the holder's other cards. Neither the number nor the
 * sealed text is ever part of a view, a sync row, an audit entry or a log line.
 */
import { sql } from 'kysely';
import { cardsToSuspend } from '../../domain/card';
import type { CardWindow } from '../../domain/credential/body';
import type { CredentialTypeName } from '../../domain/credential/body';
import { householdLabel } from '../../domain/household';
import { matchHash } from '../../domain/match-hash';
import { maskMobile } from '../../domain/rules/phone';
import {
  type CardRole,
  type CardStatus,
  type revocationRowSchema,
  type SyncedRow,
} from '../../domain/sync/tables';
import type { z } from 'zod';
import type { MasterKey } from '../crypto/secrets';
import { audit, type Actor } from './audit';
import { communitySecrets, matchKeyBytes } from './community-secrets';
import type { Db } from './db';
import type { Row } from './schema';
import type { SyncWriter } from './sync-rows';

export type RevocationReason = z.infer<typeof revocationRowSchema>['reason'];

const U32_MAX = 0xffffffff;

/** The next serial of a type in a community: 1, 2, 3 … Atomic on both engines (an upsert). */
export async function allocateSerial(
  trx: Db,
  communityId: number,
  type: CredentialTypeName,
): Promise<number> {
  const row = await trx
    .insertInto('credential_serial')
    .values({ community_id: communityId, type, last: 1 })
    .onConflict((oc) =>
      oc
        .columns(['community_id', 'type'])
        .doUpdateSet({ last: sql<number>`credential_serial.last + 1` }),
    )
    .returning('last')
    .executeTakeFirstOrThrow();
  const serial = Number(row.last);
  if (serial > U32_MAX) throw new Error(`community ${communityId} has run out of ${type} serials`);
  return serial;
}

export interface CardRecord {
  row: Row<'card'>;
  householdIds: string[];
}

export interface HouseholdRef {
  id: string;
  label: string;
  movedOut: boolean;
}

export async function loadCards(
  db: Db,
  communityId: number,
  serials: readonly number[],
): Promise<CardRecord[]> {
  if (serials.length === 0) return [];
  const rows = await db
    .selectFrom('card')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('serial', 'in', serials)
    .execute();
  const links = await db
    .selectFrom('card_household')
    .select(['serial', 'household_id'])
    .where('community_id', '=', communityId)
    .where('serial', 'in', serials)
    .orderBy('household_id')
    .execute();
  const bySerial = new Map<number, string[]>();
  for (const l of links) {
    const serial = Number(l.serial);
    bySerial.set(serial, [...(bySerial.get(serial) ?? []), l.household_id]);
  }
  const order = new Map(serials.map((s, i) => [s, i]));
  return rows
    .map((row) => ({ row: normalise(row), householdIds: bySerial.get(Number(row.serial)) ?? [] }))
    .sort((a, b) => order.get(a.row.serial)! - order.get(b.row.serial)!);
}

export async function loadCard(
  db: Db,
  communityId: number,
  serial: number,
): Promise<CardRecord | undefined> {
  return (await loadCards(db, communityId, [serial]))[0];
}

/** PostgreSQL may hand BIGINT back as text where a driver option is missed: numbers here. */
function normalise(row: Row<'card'>): Row<'card'> {
  return {
    ...row,
    serial: Number(row.serial),
    follows_serial: row.follows_serial === null ? null : Number(row.follows_serial),
    followed_by_serial: row.followed_by_serial === null ? null : Number(row.followed_by_serial),
  };
}

export async function householdRefs(
  db: Db,
  communityId: number,
  ids: readonly string[],
): Promise<Map<string, HouseholdRef>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('household')
    .select(['id', 'building', 'unit', 'room', 'moved_out'])
    .where('community_id', '=', communityId)
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(
    rows.map((h) => [h.id, { id: h.id, label: householdLabel(h), movedOut: h.moved_out === 1 }]),
  );
}

/** What the office sees of a card. `code` only where asked (detail, print); the phone masked in lists. */
export interface CardView {
  serial: number;
  holderName: string;
  role: CardRole;
  roleLabel: string;
  idType: string;
  idMasked: string;
  phone: string;
  photoHash: string | null;
  households: HouseholdRef[];
  window: CardWindow;
  validFrom: number;
  validUntil: number;
  depositNote: string;
  status: CardStatus;
  statusReason: string;
  statusNote: string;
  statusAt: number | null;
  followsSerial: number | null;
  followedBySerial: number | null;
  createdAt: number;
  code?: string;
}

export function cardView(
  record: CardRecord,
  households: Map<string, HouseholdRef>,
  opts: { code: boolean; fullPhone: boolean },
): CardView {
  const r = record.row;
  const view: CardView = {
    serial: r.serial,
    holderName: r.holder_name,
    role: r.role as CardRole,
    roleLabel: r.role_label,
    idType: r.id_type,
    idMasked: r.id_masked,
    phone: opts.fullPhone || r.phone === '' ? r.phone : maskMobile(r.phone),
    photoHash: r.photo_hash,
    households: record.householdIds.map(
      (id) => households.get(id) ?? { id, label: '?', movedOut: false },
    ),
    window: { weekdays: r.weekdays, startQuarter: r.start_quarter, endQuarter: r.end_quarter },
    validFrom: Number(r.valid_from_s),
    validUntil: Number(r.valid_until_s),
    depositNote: r.deposit_note,
    status: r.status as CardStatus,
    statusReason: r.status_reason,
    statusNote: r.status_note,
    statusAt: r.status_at === null ? null : Number(r.status_at),
    followsSerial: r.follows_serial,
    followedBySerial: r.followed_by_serial,
    createdAt: Number(r.created_at),
  };
  if (opts.code) view.code = r.code;
  return view;
}

export async function cardViews(
  db: Db,
  communityId: number,
  records: readonly CardRecord[],
  opts: { code: boolean; fullPhone: boolean },
): Promise<CardView[]> {
  const refs = await householdRefs(
    db,
    communityId,
    records.flatMap((r) => r.householdIds),
  );
  return records.map((r) => cardView(r, refs, opts));
}

/**
 * The gate's row (sync/tables.ts cardRowSchema): no ID number, no phone, no deposit note. The
 * phone travels only as its keyed hash under the community's match key (`phoneMatch`), so the
 * gate can find a holder by the number they say without holding any number.
 */
export async function cardSyncRow(
  record: CardRecord,
  matchKey: Uint8Array,
): Promise<SyncedRow<'card'>> {
  const r = record.row;
  return {
    serial: r.serial,
    holderName: r.holder_name,
    role: r.role as CardRole,
    roleLabel: r.role_label,
    householdIds: record.householdIds,
    photoHash: r.photo_hash,
    validFrom: Number(r.valid_from_s),
    validUntil: Number(r.valid_until_s),
    window: { weekdays: r.weekdays, startQuarter: r.start_quarter, endQuarter: r.end_quarter },
    status: r.status as CardStatus,
    statusReason: r.status_reason,
    statusAt: r.status_at === null ? null : Math.floor(Number(r.status_at) / 1000),
    idMasked: r.id_masked,
    ...(r.phone === '' ? {} : { phoneMatch: await matchHash(matchKey, 'phone', r.phone) }),
  };
}

/** Publishes the cards' gate rows; `now` in ms (the match key is made on first use). */
export async function publishCards(
  trx: Db,
  writer: SyncWriter,
  master: MasterKey,
  now: number,
  records: readonly CardRecord[],
) {
  if (records.length === 0) return;
  const matchKey = matchKeyBytes(await communitySecrets(trx, master, writer.communityId, now));
  const rows = [];
  for (const r of records) {
    rows.push({ id: String(r.row.serial), data: await cardSyncRow(r, matchKey) });
  }
  await writer.put('card', rows);
}

/**
 * A revocation row (`<type>:<serial>`, a card unless said otherwise): kiosks pull these first and
 * refuse the credential from `at`.
 */
export async function publishRevocation(
  writer: SyncWriter,
  serial: number,
  atSeconds: number,
  reason: RevocationReason,
  note: string,
  type: CredentialTypeName = 'card',
) {
  await writer.put('revocation', [
    {
      id: `${type}:${serial}`,
      data: { type, serial, revokedAt: atSeconds, reason, note: note.slice(0, 200) },
    },
  ]);
}

export type NewCard = Omit<Row<'card'>, 'community_id'>;

export async function insertCard(
  trx: Db,
  communityId: number,
  card: NewCard,
  householdIds: readonly string[],
): Promise<CardRecord> {
  const row = { community_id: communityId, ...card };
  await trx.insertInto('card').values(row).execute();
  await trx
    .insertInto('card_household')
    .values(
      householdIds.map((h) => ({
        community_id: communityId,
        serial: card.serial,
        household_id: h,
      })),
    )
    .execute();
  return { row, householdIds: [...householdIds] };
}

export async function updateCard(
  trx: Db,
  communityId: number,
  serial: number,
  patch: Partial<Omit<Row<'card'>, 'community_id' | 'serial'>>,
): Promise<void> {
  await trx
    .updateTable('card')
    .set(patch)
    .where('community_id', '=', communityId)
    .where('serial', '=', serial)
    .execute();
}

export async function replaceCardHouseholds(
  trx: Db,
  communityId: number,
  serial: number,
  householdIds: readonly string[],
): Promise<void> {
  await trx
    .deleteFrom('card_household')
    .where('community_id', '=', communityId)
    .where('serial', '=', serial)
    .execute();
  await trx
    .insertInto('card_household')
    .values(householdIds.map((h) => ({ community_id: communityId, serial, household_id: h })))
    .execute();
}

/** Active cards of a holder (by the keyed hash of their ID number), optionally but one. */
export async function activeCardsOfHolder(
  db: Db,
  communityId: number,
  idHash: string,
  nowSeconds: number,
): Promise<number[]> {
  const rows = await db
    .selectFrom('card')
    .select('serial')
    .where('community_id', '=', communityId)
    .where('id_hash', '=', idHash)
    .where('status', 'in', ['active', 'suspended'])
    .where('valid_until_s', '>', nowSeconds)
    .execute();
  return rows.map((r) => Number(r.serial));
}

/**
 * The moved-out rule, in the one place every path calls (the integration API, the office's CSV
 * import and its moved-out switch): active cards that list one of these households are suspended
 * for review, and the gates learn it through the revocation stream. Returns the serials.
 */
export async function suspendCardsOfMovedOut(
  trx: Db,
  writer: SyncWriter,
  now: number,
  movedOut: readonly string[],
  actor: Actor,
  master: MasterKey,
): Promise<number[]> {
  if (movedOut.length === 0) return [];
  const communityId = writer.communityId;
  const linked = await trx
    .selectFrom('card_household')
    .innerJoin('card', (j) =>
      j
        .onRef('card.community_id', '=', 'card_household.community_id')
        .onRef('card.serial', '=', 'card_household.serial'),
    )
    .select('card.serial')
    .where('card_household.community_id', '=', communityId)
    .where('card_household.household_id', 'in', [...new Set(movedOut)])
    .where('card.status', '=', 'active')
    .execute();
  const records = await loadCards(trx, communityId, [
    ...new Set(linked.map((l) => Number(l.serial))),
  ]);
  const serials = cardsToSuspend(
    records.map((r) => ({
      serial: r.row.serial,
      status: r.row.status as CardStatus,
      householdIds: r.householdIds,
    })),
    new Set(movedOut),
  );
  const suspended: CardRecord[] = [];
  for (const record of records.filter((r) => serials.includes(r.row.serial))) {
    const patch = {
      status: 'suspended',
      status_reason: 'moved_out',
      status_note: '',
      status_at: now,
      updated_at: now,
    };
    await updateCard(trx, communityId, record.row.serial, patch);
    suspended.push({ ...record, row: { ...record.row, ...patch } });
    await publishRevocation(writer, record.row.serial, Math.floor(now / 1000), 'moved_out', '');
    await audit(trx, now, {
      communityId,
      actor,
      action: 'card.suspend',
      targetType: 'card',
      targetId: record.row.serial,
      detail: {
        reason: 'moved_out',
        households: record.householdIds.filter((h) => movedOut.includes(h)),
      },
    });
  }
  await publishCards(trx, writer, master, now, suspended);
  return suspended.map((r) => r.row.serial);
}
