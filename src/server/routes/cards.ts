/**
 * Temporary access cards (临时《出入卡》, procedure 4.4.2–4.4.3) from the office: issue with the
 * holder's photo, list and search, the expiring list, the paper roster for the gate, renew,
 * revoke, report lost (with a replacement), reinstate after review, and reveal the sealed ID
 * number to those allowed to. Each write signs what needs signing, publishes the gate's rows and
 * writes its audit entry in one transaction.
 */
import { z } from '@hono/zod-openapi';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import {
  cardFieldsSchema,
  cardIssueSchema,
  cardReinstateSchema,
  cardRenewSchema,
  cardReportLostSchema,
  cardRevokeSchema,
  cardRulesOf,
  decodePhoto,
  type CardIssueContext,
} from '../../domain/card';
import type { CardWindow } from '../../domain/credential/body';
import { issueCode } from '../../domain/credential/code';
import { utf8Decode, utf8Encode } from '../../domain/webcrypto';
import { portraitProblem } from '../../domain/photo';
import {
  proposeRenewal,
  validateCardValidity,
  validateRenewal,
} from '../../domain/rules/card-validity';
import { maskIdNumber } from '../../domain/rules/masking';
import { CARD_ROLES, CARD_STATUSES } from '../../domain/sync/tables';
import type { ServerDeps } from '../context';
import { clientAddress } from '../http/auth';
import { createRouter } from '../http/env';
import { ApiError, fieldErrors, invalidInput, type FieldError } from '../http/errors';
import { communityParams, json, jsonBody, staffRoute } from '../http/routes';
import { audit, type Actor } from '../store/audit';
import {
  activeCardsOfHolder,
  allocateSerial,
  cardViews,
  householdRefs,
  insertCard,
  loadCard,
  loadCards,
  publishCards,
  publishRevocation,
  replaceCardHouseholds,
  updateCard,
  type CardRecord,
  type NewCard,
  type RevocationReason,
} from '../store/cards';
import { getCommunity } from '../store/communities';
import type { Db } from '../store/db';
import { likeSubstring } from '../store/households';
import { signerFor } from '../store/keys';
import { readPhoto, storePhoto } from '../store/photos';
import type { Database } from '../store/schema';
import { SyncWriter } from '../store/sync-rows';

const windowSchema = z.object({
  weekdays: z.number(),
  startQuarter: z.number(),
  endQuarter: z.number(),
});

export const cardViewSchema = z
  .object({
    serial: z.number(),
    holderName: z.string(),
    role: z.enum(CARD_ROLES),
    roleLabel: z.string(),
    idType: z.string(),
    /** Always masked; the number itself only through the reveal route. */
    idMasked: z.string(),
    phone: z.string(),
    photoHash: z.string().nullable(),
    households: z.array(z.object({ id: z.string(), label: z.string(), movedOut: z.boolean() })),
    window: windowSchema,
    validFrom: z.number(),
    validUntil: z.number(),
    depositNote: z.string(),
    status: z.enum(CARD_STATUSES),
    statusReason: z.string(),
    statusNote: z.string(),
    statusAt: z.number().nullable(),
    followsSerial: z.number().nullable(),
    followedBySerial: z.number().nullable(),
    createdAt: z.number(),
    code: z.string().optional(),
  })
  .openapi('Card');

const serialParams = communityParams.extend({
  serial: z.coerce
    .number()
    .int()
    .min(1)
    .max(0xffffffff)
    .openapi({ param: { name: 'serial', in: 'path' } }),
});

export const CARD_STATES = [
  'valid',
  'not_yet_valid',
  'expired',
  'suspended',
  'revoked',
  'superseded',
] as const;
const CARD_SORTS = ['serial', 'holderName', 'validUntil', 'createdAt'] as const;
const SORT_COLUMNS = {
  serial: 'serial',
  holderName: 'holder_name',
  validUntil: 'valid_until_s',
  createdAt: 'created_at',
} as const;

/** Keyed hashes of ID numbers serve this one purpose; the community is part of the input. */
const ID_HASH_PURPOSE = 'card-holder-id';
const DAY_S = 86_400;

type Staff = { id: string };

async function cardContext(db: Db, communityId: number, nowMs: number) {
  const community = await getCommunity(db, communityId);
  if (!community) throw new ApiError(404, 'not_found', 'no such community');
  const ctx: CardIssueContext = {
    now: Math.floor(nowMs / 1000),
    timeZone: community.settings.timeZone,
    rules: cardRulesOf(community.settings),
  };
  return { community, ctx };
}

function validityFields(errors: ReadonlyArray<{ field: string; reason: string }>): FieldError[] {
  return errors.map((e) => ({ path: e.field, message: e.reason }));
}

/** The employer households exist and none has moved out; else a 400 at `householdIds`. */
async function checkEmployers(db: Db, communityId: number, ids: readonly string[]) {
  const refs = await householdRefs(db, communityId, ids);
  const problems: FieldError[] = [];
  ids.forEach((id, i) => {
    const ref = refs.get(id);
    if (!ref) problems.push({ path: `householdIds.${i}`, message: 'no such household' });
    else if (ref.movedOut) problems.push({ path: `householdIds.${i}`, message: 'has moved out' });
  });
  if (problems.length) throw invalidInput(problems);
}

async function signCard(
  db: Db,
  deps: ServerDeps,
  communityId: number,
  serial: number,
  card: { validFrom: number; validUntil: number; window: CardWindow },
): Promise<string> {
  let signer;
  try {
    signer = await signerFor(db, deps.masterKey, communityId, 'card', card.validFrom * 1000);
  } catch {
    throw new ApiError(
      409,
      'no_signing_key',
      'no signing key of this community may sign a card starting then; choose a later start',
    );
  }
  return issueCode(
    {
      type: 'card',
      communityId,
      keyId: signer.keyId,
      serial,
      notBefore: card.validFrom,
      expires: card.validUntil,
      window: card.window,
    },
    signer.privateKey,
  );
}

/** A new card from `base` (the holder's details) with its own serial, validity and code. */
async function createCard(
  trx: Db,
  deps: ServerDeps,
  writer: SyncWriter,
  now: number,
  staff: Staff,
  base: Omit<
    NewCard,
    | 'serial'
    | 'code'
    | 'valid_from_s'
    | 'valid_until_s'
    | 'status'
    | 'status_reason'
    | 'status_note'
    | 'status_at'
    | 'followed_by_serial'
    | 'created_at'
    | 'created_by'
    | 'updated_at'
  >,
  validity: { validFrom: number; validUntil: number },
  householdIds: readonly string[],
): Promise<CardRecord> {
  const communityId = writer.communityId;
  const serial = await allocateSerial(trx, communityId, 'card');
  const window = {
    weekdays: base.weekdays,
    startQuarter: base.start_quarter,
    endQuarter: base.end_quarter,
  };
  const code = await signCard(trx, deps, communityId, serial, { ...validity, window });
  const record = await insertCard(
    trx,
    communityId,
    {
      ...base,
      serial,
      code,
      valid_from_s: validity.validFrom,
      valid_until_s: validity.validUntil,
      status: 'active',
      status_reason: '',
      status_note: '',
      status_at: null,
      followed_by_serial: null,
      created_at: now,
      created_by: staff.id,
      updated_at: now,
    },
    householdIds,
  );
  await publishCards(trx, writer, deps.masterKey, now, [record]);
  return record;
}

/**
 * The writer of a card transaction, holding the community's write lock from the start: writes
 * of one community are serialised before any other lock (the serial counter) is taken, and the
 * one-live-card check sees every card committed before it.
 */
async function lockedWriter(trx: Db, communityId: number, now: number): Promise<SyncWriter> {
  const writer = await SyncWriter.open(trx, communityId, now);
  return writer;
}

async function mustLoad(db: Db, communityId: number, serial: number): Promise<CardRecord> {
  const card = await loadCard(db, communityId, serial);
  if (!card) throw new ApiError(404, 'not_found', 'no such card in this community');
  return card;
}

/** Stops a card for good: status revoked, and the revocation row the gates pull first. */
async function revokeRecord(
  trx: Db,
  deps: ServerDeps,
  writer: SyncWriter,
  now: number,
  record: CardRecord,
  reason: RevocationReason,
  note: string,
): Promise<CardRecord> {
  if (record.row.status !== 'active' && record.row.status !== 'suspended') {
    throw new ApiError(409, 'not_active', `the card is already ${record.row.status}`);
  }
  const patch = {
    status: 'revoked',
    status_reason: reason,
    status_note: note,
    status_at: now,
    updated_at: now,
  };
  await updateCard(trx, writer.communityId, record.row.serial, patch);
  const revoked = { ...record, row: { ...record.row, ...patch } };
  await publishCards(trx, writer, deps.masterKey, now, [revoked]);
  await publishRevocation(writer, record.row.serial, Math.floor(now / 1000), reason, note);
  return revoked;
}

export function cardRoutes(deps: ServerDeps) {
  const db: Kysely<Database> = deps.store.db;
  const actor = (c: Parameters<typeof clientAddress>[0] & { get(k: 'staff'): Staff }): Actor => ({
    type: 'staff',
    id: c.get('staff').id,
    ip: clientAddress(c),
  });
  const views = (records: readonly CardRecord[], communityId: number, detail: boolean) =>
    cardViews(db, communityId, records, { code: detail, fullPhone: detail });

  return createRouter()
    .openapi(
      staffRoute(deps, 'card.read', {
        method: 'get',
        path: '/communities/{communityId}/cards',
        tags: ['cards'],
        summary:
          'Cards, searched by holder, serial or employer unit, filtered by state or by expiry within N days, sorted and paged',
        request: {
          params: communityParams,
          query: z.object({
            q: z.string().max(60).optional(),
            state: z.enum(CARD_STATES).optional(),
            expiringWithinDays: z.coerce.number().int().min(1).max(90).optional(),
            sort: z.enum(CARD_SORTS).default('serial'),
            desc: z.enum(['true', 'false']).default('true'),
            offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
            limit: z.coerce.number().int().min(1).max(200).default(50),
          }),
        },
        responses: { 200: json(z.object({ total: z.number(), items: z.array(cardViewSchema) })) },
      }),
      async (c) => {
        const { communityId } = c.req.valid('param');
        const q = c.req.valid('query');
        const now = Math.floor(deps.now() / 1000);
        let base = db.selectFrom('card').where('card.community_id', '=', communityId);
        switch (q.state) {
          case 'valid':
            base = base
              .where('status', '=', 'active')
              .where('valid_from_s', '<=', now)
              .where('valid_until_s', '>', now);
            break;
          case 'not_yet_valid':
            base = base.where('status', '=', 'active').where('valid_from_s', '>', now);
            break;
          case 'expired':
            base = base.where('status', '=', 'active').where('valid_until_s', '<=', now);
            break;
          case undefined:
            break;
          default:
            base = base.where('status', '=', q.state);
        }
        if (q.expiringWithinDays !== undefined) {
          base = base
            .where('status', '=', 'active')
            .where('valid_until_s', '>', now)
            .where('valid_until_s', '<=', now + q.expiringWithinDays * DAY_S);
        }
        const text = q.q?.trim();
        if (text) {
          const pattern = likeSubstring(text.toLowerCase());
          const serial = /^\d{1,10}$/.test(text) ? Number(text) : null;
          base = base.where((eb) =>
            eb.or([
              eb(sql`lower(holder_name)`, 'like', sql`${pattern} escape '\\'`),
              ...(serial === null ? [] : [eb('serial', '=', serial)]),
              eb.exists(
                eb
                  .selectFrom('card_household')
                  .innerJoin('household', (j) =>
                    j
                      .onRef('household.community_id', '=', 'card_household.community_id')
                      .onRef('household.id', '=', 'card_household.household_id'),
                  )
                  .select('card_household.serial')
                  .whereRef('card_household.community_id', '=', 'card.community_id')
                  .whereRef('card_household.serial', '=', 'card.serial')
                  .where(
                    sql`lower(household.building || '-' || household.unit || '-' || household.room)`,
                    'like',
                    sql`${pattern} escape '\\'`,
                  ),
              ),
            ]),
          );
        }
        const total = await base
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        const rows = await base
          .select('serial')
          .orderBy(SORT_COLUMNS[q.sort], q.desc === 'true' ? 'desc' : 'asc')
          .orderBy('serial', 'desc')
          .offset(q.offset)
          .limit(q.limit)
          .execute();
        const records = await loadCards(
          db,
          communityId,
          rows.map((r) => Number(r.serial)),
        );
        return c.json(
          { total: Number(total.n), items: await views(records, communityId, false) },
          200,
        );
      },
    )
    .openapi(
      staffRoute(deps, 'card.read', {
        method: 'get',
        path: '/communities/{communityId}/cards/roster',
        tags: ['cards'],
        summary:
          'Every card valid now, with photo hashes, serials and validity: the paper list for the gate when the tablet is down',
        request: { params: communityParams },
        responses: {
          200: json(
            z.object({
              communityName: z.string(),
              generatedAt: z.number(),
              items: z.array(cardViewSchema),
            }),
          ),
        },
      }),
      async (c) => {
        const { communityId } = c.req.valid('param');
        const nowMs = deps.now();
        const now = Math.floor(nowMs / 1000);
        const { community } = await cardContext(db, communityId, nowMs);
        const rows = await db
          .selectFrom('card')
          .select('serial')
          .where('community_id', '=', communityId)
          .where('status', '=', 'active')
          .where('valid_from_s', '<=', now)
          .where('valid_until_s', '>', now)
          .orderBy('holder_name')
          .orderBy('serial')
          .limit(5000)
          .execute();
        const records = await loadCards(
          db,
          communityId,
          rows.map((r) => Number(r.serial)),
        );
        const items = await views(records, communityId, false);
        return c.json({ communityName: community.name, generatedAt: nowMs, items }, 200);
      },
    )
    .openapi(
      staffRoute(deps, 'card.write', {
        method: 'post',
        path: '/communities/{communityId}/cards',
        tags: ['cards'],
        summary:
          'Issue a card: holder, role, ID (checksum-checked, stored sealed), phone, employers, days and hours, validity (at most three months), 1-inch photo (JPEG 295×413, ≤ 50 KB)',
        request: { params: communityParams, ...jsonBody(cardFieldsSchema) },
        responses: { 201: json(cardViewSchema, 'Issued; `code` is the GP1 text to print') },
      }),
      async (c) => {
        const { communityId } = c.req.valid('param');
        const now = deps.now();
        const { ctx } = await cardContext(db, communityId, now);
        const parsed = cardIssueSchema(ctx).safeParse(c.req.valid('json'));
        if (!parsed.success) throw invalidInput(fieldErrors(parsed.error));
        const input = parsed.data;
        const photo = decodePhoto(input.photo);
        const problem = portraitProblem(photo);
        if (problem) throw invalidInput([{ path: 'photo', message: problem }]);
        const staff = c.get('staff');
        const who = actor(c);
        const record = await db.transaction().execute(async (trx) => {
          const writer = await lockedWriter(trx, communityId, now);
          await checkEmployers(trx, communityId, input.householdIds);
          const idHash = deps.masterKey.keyedHash(
            ID_HASH_PURPOSE,
            `${communityId}:${input.idType}:${input.holderKey}`,
          );
          const others = await activeCardsOfHolder(trx, communityId, idHash, ctx.now);
          if (others.length > 0) {
            throw new ApiError(
              409,
              'holder_has_card',
              `this person already holds card ${others.join(', ')}: renew or revoke it instead`,
            );
          }
          const photoHash = await storePhoto(trx, now, communityId, photo, 'image/jpeg');
          const created = await createCard(
            trx,
            deps,
            writer,
            now,
            staff,
            {
              holder_name: input.holderName,
              role: input.role,
              role_label: input.roleLabel,
              id_type: input.idType,
              id_sealed: deps.masterKey.seal(utf8Encode(input.idNumber)),
              id_masked: maskIdNumber(input.idNumber),
              id_hash: idHash,
              phone: input.phone,
              photo_hash: photoHash,
              weekdays: input.window.weekdays,
              start_quarter: input.window.startQuarter,
              end_quarter: input.window.endQuarter,
              deposit_note: input.depositNote,
              follows_serial: null,
            },
            { validFrom: input.validFrom, validUntil: input.validUntil },
            input.householdIds,
          );
          await audit(trx, now, {
            communityId,
            actor: who,
            action: 'card.issue',
            targetType: 'card',
            targetId: created.row.serial,
            detail: {
              households: input.householdIds,
              validFrom: input.validFrom,
              validUntil: input.validUntil,
            },
          });
          return created;
        });
        return c.json((await views([record], communityId, true))[0]!, 201);
      },
    )
    .openapi(
      staffRoute(deps, 'card.read', {
        method: 'get',
        path: '/communities/{communityId}/cards/{serial}',
        tags: ['cards'],
        summary: 'A card with its code (a reprint prints the same code)',
        request: { params: serialParams },
        responses: { 200: json(cardViewSchema) },
      }),
      async (c) => {
        const { communityId, serial } = c.req.valid('param');
        const record = await mustLoad(db, communityId, serial);
        return c.json((await views([record], communityId, true))[0]!, 200);
      },
    )
    .openapi(
      staffRoute(deps, 'card.write', {
        method: 'post',
        path: '/communities/{communityId}/cards/{serial}/renew',
        tags: ['cards'],
        summary:
          'Renew a card within 7 days of its expiry: a new card and code from now; the old card stops when the new one starts',
        request: { params: serialParams, ...jsonBody(cardRenewSchema) },
        responses: { 201: json(cardViewSchema, 'The new card') },
      }),
      async (c) => {
        const { communityId, serial } = c.req.valid('param');
        const body = c.req.valid('json');
        const now = deps.now();
        const { ctx } = await cardContext(db, communityId, now);
        const staff = c.get('staff');
        const who = actor(c);
        const record = await db.transaction().execute(async (trx) => {
          const writer = await lockedWriter(trx, communityId, now);
          const old = await mustLoad(trx, communityId, serial);
          if (old.row.status !== 'active') {
            throw new ApiError(409, 'not_active', `the card is ${old.row.status}`);
          }
          const oldValidity = {
            validFrom: Number(old.row.valid_from_s),
            validUntil: Number(old.row.valid_until_s),
          };
          const proposal = proposeRenewal(oldValidity, ctx);
          const renewal = {
            validFrom: proposal.validFrom,
            validUntil: body.validUntil ?? proposal.validUntil,
          };
          const check = validateRenewal(oldValidity, renewal, ctx);
          if (!check.ok) throw invalidInput(validityFields(check.errors));
          await checkEmployers(trx, communityId, old.householdIds);
          const { row } = old;
          const created = await createCard(
            trx,
            deps,
            writer,
            now,
            staff,
            {
              holder_name: row.holder_name,
              role: row.role,
              role_label: row.role_label,
              id_type: row.id_type,
              id_sealed: row.id_sealed,
              id_masked: row.id_masked,
              id_hash: row.id_hash,
              phone: row.phone,
              photo_hash: row.photo_hash,
              weekdays: row.weekdays,
              start_quarter: row.start_quarter,
              end_quarter: row.end_quarter,
              deposit_note: row.deposit_note,
              follows_serial: serial,
            },
            renewal,
            old.householdIds,
          );
          const patch = {
            status: 'superseded',
            status_reason: 'renewed',
            status_note: '',
            status_at: now,
            valid_until_s: check.oldStopsAt,
            followed_by_serial: created.row.serial,
            updated_at: now,
          };
          await updateCard(trx, communityId, serial, patch);
          await publishCards(trx, writer, deps.masterKey, now, [
            { ...old, row: { ...old.row, ...patch } },
          ]);
          await publishRevocation(writer, serial, check.oldStopsAt, 'renewed', '');
          await audit(trx, now, {
            communityId,
            actor: who,
            action: 'card.renew',
            targetType: 'card',
            targetId: serial,
            detail: {
              newSerial: created.row.serial,
              oldStopsAt: check.oldStopsAt,
              validUntil: renewal.validUntil,
            },
          });
          return created;
        });
        return c.json((await views([record], communityId, true))[0]!, 201);
      },
    )
    .openapi(
      staffRoute(deps, 'card.write', {
        method: 'post',
        path: '/communities/{communityId}/cards/{serial}/revoke',
        tags: ['cards'],
        summary:
          'Revoke a card with a reason (lost, left the job, misuse, other); it reaches the gates first, on the revocation stream',
        request: { params: serialParams, ...jsonBody(cardRevokeSchema) },
        responses: { 200: json(cardViewSchema) },
      }),
      async (c) => {
        const { communityId, serial } = c.req.valid('param');
        const body = c.req.valid('json');
        const now = deps.now();
        const who = actor(c);
        const record = await db.transaction().execute(async (trx) => {
          const writer = await lockedWriter(trx, communityId, now);
          const card = await mustLoad(trx, communityId, serial);
          const revoked = await revokeRecord(trx, deps, writer, now, card, body.reason, body.note);
          await audit(trx, now, {
            communityId,
            actor: who,
            action: 'card.revoke',
            targetType: 'card',
            targetId: serial,
            detail: { reason: body.reason, note: body.note },
          });
          return revoked;
        });
        return c.json((await views([record], communityId, true))[0]!, 200);
      },
    )
    .openapi(
      staffRoute(deps, 'card.write', {
        method: 'post',
        path: '/communities/{communityId}/cards/{serial}/report-lost',
        tags: ['cards'],
        summary:
          'Report a card lost: it is revoked at once and, unless asked not to, replaced by a new card (new code, same holder, same end)',
        request: { params: serialParams, ...jsonBody(cardReportLostSchema) },
        responses: {
          200: json(z.object({ revoked: cardViewSchema, replacement: cardViewSchema.nullable() })),
        },
      }),
      async (c) => {
        const { communityId, serial } = c.req.valid('param');
        const body = c.req.valid('json');
        const now = deps.now();
        const { ctx } = await cardContext(db, communityId, now);
        const staff = c.get('staff');
        const who = actor(c);
        const r = await db.transaction().execute(async (trx) => {
          const writer = await lockedWriter(trx, communityId, now);
          const card = await mustLoad(trx, communityId, serial);
          const revoked = await revokeRecord(trx, deps, writer, now, card, 'lost', body.note);
          let replacement: CardRecord | null = null;
          if (body.replace) {
            const { row } = card;
            const validity = {
              validFrom: Math.max(ctx.now, Number(row.valid_from_s)),
              validUntil: Number(row.valid_until_s),
            };
            const check = validateCardValidity(validity, ctx);
            if (!check.ok) {
              throw new ApiError(
                409,
                'cannot_replace',
                'the card has ended; issue a new card instead',
              );
            }
            await checkEmployers(trx, communityId, card.householdIds);
            replacement = await createCard(
              trx,
              deps,
              writer,
              now,
              staff,
              {
                holder_name: row.holder_name,
                role: row.role,
                role_label: row.role_label,
                id_type: row.id_type,
                id_sealed: row.id_sealed,
                id_masked: row.id_masked,
                id_hash: row.id_hash,
                phone: row.phone,
                photo_hash: row.photo_hash,
                weekdays: row.weekdays,
                start_quarter: row.start_quarter,
                end_quarter: row.end_quarter,
                deposit_note: row.deposit_note,
                follows_serial: serial,
              },
              validity,
              card.householdIds,
            );
            const patch = { followed_by_serial: replacement.row.serial };
            await updateCard(trx, communityId, serial, patch);
            revoked.row = { ...revoked.row, ...patch };
          }
          await audit(trx, now, {
            communityId,
            actor: who,
            action: 'card.report_lost',
            targetType: 'card',
            targetId: serial,
            detail: { note: body.note, replacement: replacement?.row.serial ?? null },
          });
          return { revoked, replacement };
        });
        const [revoked, replacement] = await views(
          r.replacement ? [r.revoked, r.replacement] : [r.revoked],
          communityId,
          true,
        );
        return c.json({ revoked: revoked!, replacement: replacement ?? null }, 200);
      },
    )
    .openapi(
      staffRoute(deps, 'card.write', {
        method: 'post',
        path: '/communities/{communityId}/cards/{serial}/reinstate',
        tags: ['cards'],
        summary:
          'After review, reinstate a card suspended because an employer moved out, keeping only employers still living here',
        request: { params: serialParams, ...jsonBody(cardReinstateSchema) },
        responses: { 200: json(cardViewSchema) },
      }),
      async (c) => {
        const { communityId, serial } = c.req.valid('param');
        const body = c.req.valid('json');
        const now = deps.now();
        const who = actor(c);
        const record = await db.transaction().execute(async (trx) => {
          const writer = await lockedWriter(trx, communityId, now);
          const card = await mustLoad(trx, communityId, serial);
          if (card.row.status !== 'suspended') {
            throw new ApiError(409, 'not_suspended', `the card is ${card.row.status}`);
          }
          const householdIds = body.householdIds ?? card.householdIds;
          await checkEmployers(trx, communityId, householdIds);
          if (body.householdIds)
            await replaceCardHouseholds(trx, communityId, serial, householdIds);
          const patch = {
            status: 'active',
            status_reason: '',
            status_note: body.note,
            status_at: now,
            updated_at: now,
          };
          await updateCard(trx, communityId, serial, patch);
          const reinstated = { householdIds: [...householdIds], row: { ...card.row, ...patch } };
          await publishCards(trx, writer, deps.masterKey, now, [reinstated]);
          await writer.delete('revocation', [`card:${serial}`]);
          await audit(trx, now, {
            communityId,
            actor: who,
            action: 'card.reinstate',
            targetType: 'card',
            targetId: serial,
            detail: { households: householdIds, note: body.note },
          });
          return reinstated;
        });
        return c.json((await views([record], communityId, true))[0]!, 200);
      },
    )
    .openapi(
      staffRoute(deps, 'sealed.reveal', {
        method: 'post',
        path: '/communities/{communityId}/cards/{serial}/reveal-id',
        tags: ['cards'],
        summary: "Reveal the holder's ID number; the reveal is written to the audit log",
        request: { params: serialParams },
        responses: { 200: json(z.object({ idType: z.string(), idNumber: z.string() })) },
      }),
      async (c) => {
        const { communityId, serial } = c.req.valid('param');
        const now = deps.now();
        const who = actor(c);
        const revealed = await db.transaction().execute(async (trx) => {
          const card = await mustLoad(trx, communityId, serial);
          await audit(trx, now, {
            communityId,
            actor: who,
            action: 'card.reveal_id',
            targetType: 'card',
            targetId: serial,
          });
          return {
            idType: card.row.id_type,
            idNumber: utf8Decode(deps.masterKey.open(card.row.id_sealed)),
          };
        });
        return c.json(revealed, 200);
      },
    )
    .openapi(
      staffRoute(deps, 'card.read', {
        method: 'get',
        path: '/communities/{communityId}/photos/{hash}',
        tags: ['cards'],
        summary: 'A photo of this community by its SHA-256 (the hash a card names)',
        request: {
          params: communityParams.extend({
            hash: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in hex'),
          }),
        },
        responses: {
          200: {
            description: 'The image',
            content: { 'image/jpeg': { schema: z.string().openapi({ format: 'binary' }) } },
          },
        },
      }),
      async (c) => {
        const { communityId, hash } = c.req.valid('param');
        const photo = await readPhoto(db, communityId, hash);
        if (!photo) throw new ApiError(404, 'not_found', 'no such photo');
        return c.body(new Uint8Array(photo.bytes), 200, {
          'content-type': photo.content_type,
          'cache-control': 'private, max-age=31536000, immutable',
        });
      },
    );
}
