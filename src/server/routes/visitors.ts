/**
 * The visitor register in the office (procedure 4.4.4, 《来访人员情况登记表》): the register
 * filtered by date, unit, reason and inside-now, its CSV export, revealing a sealed ID number to
 * those allowed to; invitations (office and integration API) with their `GP1:` code as text and
 * PNG; and the watch and deny lists, which reach the gates as keyed hashes only.
 */
import { z } from '@hono/zod-openapi';
import QRCode from 'qrcode';
import { fromBase64Url } from '../../domain/bytes';
import { issueCode } from '../../domain/credential/code';
import { csvDocument } from '../../domain/csv';
import { householdLabel } from '../../domain/household';
import { validateIdDocument } from '../../domain/rules/identity-documents';
import { maskIdNumber, maskName } from '../../domain/rules/masking';
import { maskMobile, validateMobile } from '../../domain/rules/phone';
import { localParts } from '../../domain/rules/time-window';
import { matchHash, sealedSchema } from '../../domain/seal';
import { INVITATION_STATUSES } from '../../domain/sync/tables';
import {
  EXIT_METHODS,
  ID_SEAL_CONTEXT,
  PHOTO_SEAL_CONTEXT,
  idMatchValue,
  namePhoneMatchValue,
  VISIT_REASONS,
  WATCH_LEVELS,
} from '../../domain/visitor/entry';
import {
  invitationDayProblems,
  invitationFieldsSchema,
  invitationValidity,
  isoOf,
  todayIn,
  type InvitationFields,
} from '../../domain/visitor/invitation';
import { watchFieldsSchema } from '../../domain/visitor/watch';
import { lineText } from '../../domain/text';
import type { ServerDeps } from '../context';
import { newId } from '../context';
import { clientAddress } from '../http/auth';
import { createRouter } from '../http/env';
import { ApiError, invalidInput, type FieldError } from '../http/errors';
import { apiKeyRoute, communityParams, json, jsonBody, staffRoute } from '../http/routes';
import { audit, type Actor } from '../store/audit';
import { allocateSerial, householdRefs } from '../store/cards';
import { getCommunity } from '../store/communities';
import { communitySecrets, matchKeyBytes, openSealed } from '../store/community-secrets';
import type { Db } from '../store/db';
import { signerFor } from '../store/keys';
import type { Row } from '../store/schema';
import { SyncWriter } from '../store/sync-rows';
import {
  listVisitorEntries,
  loadInvitation,
  publishInvitations,
  watchSyncRow,
  type RegisterQuery,
} from '../store/visitors';

export const invitationViewSchema = z
  .object({
    serial: z.number(),
    name: z.string(),
    householdId: z.string(),
    householdLabel: z.string(),
    persons: z.number(),
    plate: z.string(),
    phone: z.string(),
    note: z.string(),
    validFrom: z.number(),
    validUntil: z.number(),
    status: z.enum(INVITATION_STATUSES),
    /** The `GP1:` text to send on (also as a PNG at `…/qr.png`). */
    code: z.string(),
    createdAt: z.number(),
  })
  .openapi('Invitation');

const registerEntrySchema = z
  .object({
    id: z.string(),
    at: z.number(),
    name: z.string(),
    idType: z.string().nullable(),
    /** Always masked; the number itself only through the reveal route. */
    idMasked: z.string(),
    sealedId: z.boolean(),
    /** A photo was taken at the gate; opened only through the reveal route. */
    hasPhoto: z.boolean(),
    phone: z.string(),
    householdId: z.string(),
    householdLabel: z.string(),
    reason: z.enum(VISIT_REASONS),
    persons: z.number(),
    plate: z.string(),
    invitationSerial: z.number().nullable(),
    watchLevel: z.enum(WATCH_LEVELS).nullable(),
    watchInstruction: z.string(),
    mode: z.string(),
    admitted: z.boolean(),
    exitAt: z.number().nullable(),
    exitMethod: z.enum(EXIT_METHODS).nullable(),
    deviceId: z.string(),
  })
  .openapi('VisitorEntry');

const watchViewSchema = z
  .object({
    id: z.string(),
    level: z.enum(WATCH_LEVELS),
    name: z.string(),
    phoneMasked: z.string(),
    idType: z.string().nullable(),
    idMasked: z.string(),
    instruction: z.string(),
    createdAt: z.number(),
  })
  .openapi('WatchEntry');

const registerQuerySchema = z.object({
  /** Milliseconds, inclusive. */
  from: z.coerce.number().int().min(0).optional(),
  /** Milliseconds, exclusive. */
  to: z.coerce.number().int().min(0).optional(),
  householdId: z.string().max(64).optional(),
  unit: z
    .string()
    .max(40)
    .regex(/^[\p{L}\p{N}\-#]*$/u, 'building-unit-room, e.g. 3-2-1201')
    .optional(),
  reason: z.enum(VISIT_REASONS).optional(),
  insideNow: z.enum(['true', 'false']).optional(),
});

const serialParams = communityParams.extend({
  serial: z.coerce
    .number()
    .int()
    .min(1)
    .max(0xffffffff)
    .openapi({ param: { name: 'serial', in: 'path' } }),
});

const entryParams = communityParams.extend({
  entryId: z
    .string()
    .regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be an entry id')
    .openapi({ param: { name: 'entryId', in: 'path' } }),
});

const CSV_LIMIT = 50_000;

function invitationView(r: Row<'invitation'>, label: string) {
  return {
    serial: Number(r.serial),
    name: r.name,
    householdId: r.household_id,
    householdLabel: label,
    persons: r.persons,
    plate: r.plate,
    phone: r.phone,
    note: r.note,
    validFrom: Number(r.valid_from_s),
    validUntil: Number(r.valid_until_s),
    status: r.status as (typeof INVITATION_STATUSES)[number],
    code: r.code,
    createdAt: Number(r.created_at),
  };
}

type EntryRow = Awaited<ReturnType<typeof listVisitorEntries>>['rows'][number];

function entryView(r: EntryRow): z.infer<typeof registerEntrySchema> {
  return {
    id: r.id,
    at: Number(r.at),
    name: r.name,
    idType: r.id_type,
    idMasked: r.id_masked,
    sealedId: r.id_sealed !== null,
    hasPhoto: Boolean(r.has_photo),
    phone: r.phone,
    householdId: r.household_id,
    householdLabel: r.building
      ? householdLabel({ building: r.building, unit: r.unit!, room: r.room! })
      : '?',
    reason: r.reason as (typeof VISIT_REASONS)[number],
    persons: r.persons,
    plate: r.plate,
    invitationSerial: r.invitation_serial === null ? null : Number(r.invitation_serial),
    watchLevel: r.watch_level as (typeof WATCH_LEVELS)[number] | null,
    watchInstruction: r.watch_instruction,
    mode: r.mode,
    admitted: r.admitted === 1,
    exitAt: r.exit_at === null ? null : Number(r.exit_at),
    exitMethod: r.exit_method as (typeof EXIT_METHODS)[number] | null,
    deviceId: r.device_id,
  };
}

export const REASON_WORDS: Record<(typeof VISIT_REASONS)[number], string> = {
  visiting: '探访',
  delivery: '送货',
  repair: '维修',
  domestic_work: '家政（无卡）',
  other: '其他',
};

const EXIT_WORDS: Record<(typeof EXIT_METHODS)[number], string> = {
  tap: '',
  invitation: '扫码离开',
  phone: '凭手机号离开',
  end_of_day: '闭园自动签退',
};

/** The paper form's columns (《来访人员情况登记表》), times in the community's zone. */
function registerCsv(rows: readonly EntryRow[], timeZone: string): string {
  const time = (ms: number | null) => {
    if (ms === null) return '';
    const p = localParts(Math.floor(ms / 1000), timeZone);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(Math.floor(p.minutes / 60))}:${pad(p.minutes % 60)}`;
  };
  return csvDocument([
    [
      '来访时间',
      '离开时间',
      '姓名',
      '证件号码',
      '联系电话',
      '被访单元',
      '事由',
      '人数',
      '车牌号',
      '备注',
    ],
    ...rows.map((r) => {
      const v = entryView(r);
      const notes = [
        v.admitted ? '' : '未放行',
        v.exitMethod ? EXIT_WORDS[v.exitMethod] : '',
        v.invitationSerial !== null ? `邀请 ${v.invitationSerial}` : '',
        v.watchLevel ? `名单：${v.watchInstruction}` : '',
      ].filter(Boolean);
      return [
        time(v.at),
        time(v.exitAt),
        v.name,
        v.idMasked,
        v.phone,
        v.householdLabel,
        REASON_WORDS[v.reason],
        String(v.persons),
        v.plate,
        notes.join('；'),
      ];
    }),
  ]);
}

async function invitationPng(code: string): Promise<Uint8Array<ArrayBuffer>> {
  // ECC level M: the code is shown on a phone screen (DESIGN §3.3).
  const buffer = await QRCode.toBuffer(code, {
    errorCorrectionLevel: 'M',
    margin: 4,
    scale: 10,
    type: 'png',
  });
  return new Uint8Array(buffer);
}

/** Creates, signs and publishes an invitation, with its audit entry; inside the caller's transaction. */
async function createInvitation(
  trx: Db,
  deps: ServerDeps,
  communityId: number,
  input: InvitationFields,
  actor: Actor,
  householdField: string,
): Promise<Row<'invitation'>> {
  const now = deps.now();
  const writer = await SyncWriter.open(trx, communityId, now);
  const community = await getCommunity(trx, communityId);
  if (!community) throw new ApiError(404, 'not_found', 'no such community');
  const tz = community.settings.timeZone;
  const problems: FieldError[] = invitationDayProblems(
    input.firstDay,
    input.lastDay,
    todayIn(Math.floor(now / 1000), tz),
  ).map((p) => ({ path: p.field, message: p.message }));
  const household = (await householdRefs(trx, communityId, [input.householdId])).get(
    input.householdId,
  );
  if (!household) problems.push({ path: householdField, message: 'no such household' });
  else if (household.movedOut) problems.push({ path: householdField, message: 'has moved out' });
  if (problems.length) throw invalidInput(problems);
  const { validFrom, validUntil } = invitationValidity(input.firstDay, input.lastDay, tz);
  const serial = await allocateSerial(trx, communityId, 'invitation');
  let signer;
  try {
    signer = await signerFor(trx, deps.masterKey, communityId, 'invitation', validFrom * 1000);
  } catch {
    throw new ApiError(409, 'no_signing_key', 'no signing key of this community may sign it');
  }
  const code = await issueCode(
    {
      type: 'invitation',
      communityId,
      keyId: signer.keyId,
      serial,
      notBefore: validFrom,
      expires: validUntil,
      persons: input.persons,
    },
    signer.privateKey,
  );
  const row: Row<'invitation'> = {
    community_id: communityId,
    serial,
    name: input.name,
    household_id: input.householdId,
    persons: input.persons,
    plate: input.plate,
    phone: input.phone,
    note: input.note,
    valid_from_s: validFrom,
    valid_until_s: validUntil,
    status: 'active',
    status_at: null,
    code,
    on_gates: 1,
    created_at: now,
    created_by: `${actor.type}:${actor.id}`,
  };
  await trx.insertInto('invitation').values(row).execute();
  await publishInvitations(writer, [row]);
  await audit(trx, now, {
    communityId,
    actor,
    action: 'invitation.create',
    targetType: 'invitation',
    targetId: serial,
    detail: {
      household: input.householdId,
      firstDay: isoOf(input.firstDay),
      lastDay: isoOf(input.lastDay),
    },
  });
  return row;
}

async function cancelInvitation(
  trx: Db,
  deps: ServerDeps,
  communityId: number,
  serial: number,
  actor: Actor,
): Promise<Row<'invitation'>> {
  const now = deps.now();
  const writer = await SyncWriter.open(trx, communityId, now);
  const row = await loadInvitation(trx, communityId, serial);
  if (!row) throw new ApiError(404, 'not_found', 'no such invitation');
  if (row.status !== 'active')
    throw new ApiError(409, 'not_active', `the invitation is ${row.status}`);
  const cancelled = { ...row, status: 'cancelled', status_at: now };
  await trx
    .updateTable('invitation')
    .set({ status: 'cancelled', status_at: now })
    .where('community_id', '=', communityId)
    .where('serial', '=', serial)
    .execute();
  await publishInvitations(writer, [cancelled]);
  await writer.put('revocation', [
    {
      id: `invitation:${serial}`,
      data: {
        type: 'invitation',
        serial,
        revokedAt: Math.floor(now / 1000),
        reason: 'other',
        note: '',
      },
    },
  ]);
  await audit(trx, now, {
    communityId,
    actor,
    action: 'invitation.cancel',
    targetType: 'invitation',
    targetId: serial,
  });
  return cancelled;
}

const integrationInvitationSchema = invitationFieldsSchema
  .omit({ householdId: true })
  .extend({ householdExternalId: lineText(64).pipe(z.string().min(1, 'required')) })
  .strict();

const pngResponse = {
  200: {
    description: 'The QR code (ECC level M) as a PNG',
    content: { 'image/png': { schema: z.string().openapi({ format: 'binary' }) } },
  },
};

export function visitorRoutes(deps: ServerDeps) {
  const db = deps.store.db;
  const staffActor = (
    c: Parameters<typeof clientAddress>[0] & { get(k: 'staff'): { id: string } },
  ): Actor => ({
    type: 'staff',
    id: c.get('staff').id,
    ip: clientAddress(c),
  });
  const keyActor = (
    c: Parameters<typeof clientAddress>[0] & { get(k: 'apiKey'): { id: string } },
  ): Actor => ({
    type: 'api_key',
    id: c.get('apiKey').id,
    ip: clientAddress(c),
  });
  const label = async (communityId: number, id: string) =>
    (await householdRefs(db, communityId, [id])).get(id)?.label ?? '?';

  return createRouter()
    .openapi(
      staffRoute(deps, 'register.read', {
        method: 'get',
        path: '/communities/{communityId}/visitors',
        tags: ['visitors'],
        summary:
          'The visitor register, newest first: filtered by time, unit, reason and who is inside now',
        request: {
          params: communityParams,
          query: registerQuerySchema.extend({
            offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
            limit: z.coerce.number().int().min(1).max(500).default(100),
          }),
        },
        responses: {
          200: json(z.object({ total: z.number(), items: z.array(registerEntrySchema) })),
        },
      }),
      async (c) => {
        const { communityId } = c.req.valid('param');
        const q = c.req.valid('query');
        const r = await listVisitorEntries(db, communityId, {
          ...q,
          insideNow: q.insideNow === 'true',
        } satisfies RegisterQuery);
        return c.json({ total: r.total, items: r.rows.map(entryView) }, 200);
      },
    )
    .openapi(
      staffRoute(deps, 'register.read', {
        method: 'get',
        path: '/communities/{communityId}/visitors/export.csv',
        tags: ['visitors'],
        summary:
          "The register as CSV in the paper form's columns (UTF-8 with BOM for Excel; formula-like cells neutralised; ID numbers masked)",
        request: { params: communityParams, query: registerQuerySchema },
        responses: {
          200: {
            description: 'CSV',
            content: { 'text/csv': { schema: z.string() } },
          },
        },
      }),
      async (c) => {
        const { communityId } = c.req.valid('param');
        const q = c.req.valid('query');
        const community = await getCommunity(db, communityId);
        if (!community) throw new ApiError(404, 'not_found', 'no such community');
        const r = await listVisitorEntries(db, communityId, {
          ...q,
          insideNow: q.insideNow === 'true',
          offset: 0,
          limit: CSV_LIMIT,
        });
        await audit(db, deps.now(), {
          communityId,
          actor: staffActor(c),
          action: 'visitor.export',
          targetType: 'visitor_register',
          targetId: `${r.rows.length} rows`,
          detail: { filters: q },
        });
        return new Response(registerCsv(r.rows, community.settings.timeZone), {
          status: 200,
          headers: {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': `attachment; filename="visitors.csv"`,
            'cache-control': 'no-store',
          },
        });
      },
    )
    .openapi(
      staffRoute(deps, 'sealed.reveal', {
        method: 'post',
        path: '/communities/{communityId}/visitors/{entryId}/reveal-id',
        tags: ['visitors'],
        summary: "Open the visitor's sealed ID number; the reveal is written to the audit log",
        request: {
          params: entryParams,
        },
        responses: { 200: json(z.object({ idType: z.string(), idNumber: z.string() })) },
      }),
      async (c) => {
        const { communityId, entryId } = c.req.valid('param');
        const now = deps.now();
        const row = await db
          .selectFrom('visitor_entry')
          .select(['id_type', 'id_sealed'])
          .where('community_id', '=', communityId)
          .where('id', '=', entryId)
          .executeTakeFirst();
        if (!row) throw new ApiError(404, 'not_found', 'no such register entry');
        if (!row.id_sealed || !row.id_type)
          throw new ApiError(409, 'no_id', 'this visitor gave no ID number');
        const sealed = sealedSchema.parse(JSON.parse(row.id_sealed));
        const idNumber = await db.transaction().execute(async (trx) => {
          await audit(trx, now, {
            communityId,
            actor: staffActor(c),
            action: 'visitor.reveal_id',
            targetType: 'visitor_entry',
            targetId: entryId,
          });
          return openSealed(trx, deps.masterKey, communityId, sealed, ID_SEAL_CONTEXT);
        });
        return c.json({ idType: row.id_type, idNumber }, 200);
      },
    )
    .openapi(
      staffRoute(deps, 'sealed.reveal', {
        method: 'post',
        path: '/communities/{communityId}/visitors/{entryId}/reveal-photo',
        tags: ['visitors'],
        summary: "Open the visitor's sealed photo (JPEG); the reveal is written to the audit log",
        request: { params: entryParams },
        responses: {
          200: {
            description: 'The photo taken at the gate',
            content: { 'image/jpeg': { schema: z.string().openapi({ format: 'binary' }) } },
          },
        },
      }),
      async (c) => {
        const { communityId, entryId } = c.req.valid('param');
        const now = deps.now();
        const row = await db
          .selectFrom('visitor_photo')
          .select('sealed')
          .where('community_id', '=', communityId)
          .where('entry_id', '=', entryId)
          .executeTakeFirst();
        if (!row) throw new ApiError(404, 'not_found', 'no photo was taken for this entry');
        const photo = await db.transaction().execute(async (trx) => {
          await audit(trx, now, {
            communityId,
            actor: staffActor(c),
            action: 'visitor.reveal_photo',
            targetType: 'visitor_entry',
            targetId: entryId,
          });
          // An altered value, or one sealed for another field, does not open (AES-GCM's tag).
          return openSealed(
            trx,
            deps.masterKey,
            communityId,
            JSON.parse(row.sealed),
            PHOTO_SEAL_CONTEXT,
          ).catch(() => {
            throw new ApiError(422, 'unreadable', 'the photo sent by the gate cannot be opened');
          });
        });
        return c.body(new Uint8Array(fromBase64Url(photo)), 200, {
          'content-type': 'image/jpeg',
          'cache-control': 'no-store',
        });
      },
    )
    .openapi(
      staffRoute(deps, 'register.read', {
        method: 'get',
        path: '/communities/{communityId}/invitations',
        tags: ['visitors'],
        summary: 'Invitations, newest first',
        request: {
          params: communityParams,
          query: z.object({
            status: z.enum(INVITATION_STATUSES).optional(),
            limit: z.coerce.number().int().min(1).max(500).default(100),
          }),
        },
        responses: { 200: json(z.object({ items: z.array(invitationViewSchema) })) },
      }),
      async (c) => {
        const { communityId } = c.req.valid('param');
        const q = c.req.valid('query');
        let query = db
          .selectFrom('invitation')
          .selectAll()
          .where('community_id', '=', communityId)
          .orderBy('serial', 'desc')
          .limit(q.limit);
        if (q.status) query = query.where('status', '=', q.status);
        const rows = await query.execute();
        const refs = await householdRefs(
          db,
          communityId,
          rows.map((r) => r.household_id),
        );
        return c.json(
          { items: rows.map((r) => invitationView(r, refs.get(r.household_id)?.label ?? '?')) },
          200,
        );
      },
    )
    .openapi(
      staffRoute(deps, 'invitation.write', {
        method: 'post',
        path: '/communities/{communityId}/invitations',
        tags: ['visitors'],
        summary:
          'Invite a visitor: name, unit, first and last day, number of people, plate; answers with the GP1 code',
        request: { params: communityParams, ...jsonBody(invitationFieldsSchema) },
        responses: { 201: json(invitationViewSchema) },
      }),
      async (c) => {
        const { communityId } = c.req.valid('param');
        const input = c.req.valid('json');
        const row = await db
          .transaction()
          .execute((trx) =>
            createInvitation(trx, deps, communityId, input, staffActor(c), 'householdId'),
          );
        return c.json(invitationView(row, await label(communityId, row.household_id)), 201);
      },
    )
    .openapi(
      staffRoute(deps, 'invitation.write', {
        method: 'post',
        path: '/communities/{communityId}/invitations/{serial}/cancel',
        tags: ['visitors'],
        summary: 'Cancel an invitation: every gate refuses it from its next sync',
        request: { params: serialParams },
        responses: { 200: json(invitationViewSchema) },
      }),
      async (c) => {
        const { communityId, serial } = c.req.valid('param');
        const row = await db
          .transaction()
          .execute((trx) => cancelInvitation(trx, deps, communityId, serial, staffActor(c)));
        return c.json(invitationView(row, await label(communityId, row.household_id)), 200);
      },
    )
    .openapi(
      staffRoute(deps, 'register.read', {
        method: 'get',
        path: '/communities/{communityId}/invitations/{serial}/qr.png',
        tags: ['visitors'],
        summary: "The invitation's code as a PNG to send to the visitor's phone",
        request: { params: serialParams },
        responses: pngResponse,
      }),
      async (c) => {
        const { communityId, serial } = c.req.valid('param');
        const row = await loadInvitation(db, communityId, serial);
        if (!row) throw new ApiError(404, 'not_found', 'no such invitation');
        return c.body(await invitationPng(row.code), 200, {
          'content-type': 'image/png',
          'cache-control': 'no-store',
        });
      },
    )
    .openapi(
      staffRoute(deps, 'watchlist.write', {
        method: 'get',
        path: '/communities/{communityId}/watch-list',
        tags: ['visitors'],
        summary: 'The watch and deny lists (names as typed; phone and ID number masked)',
        request: { params: communityParams },
        responses: { 200: json(z.object({ items: z.array(watchViewSchema) })) },
      }),
      async (c) => {
        const { communityId } = c.req.valid('param');
        const rows = await db
          .selectFrom('watch_entry')
          .selectAll()
          .where('community_id', '=', communityId)
          .orderBy('created_at', 'desc')
          .execute();
        return c.json(
          {
            items: rows.map((r) => ({
              id: r.id,
              level: r.level as (typeof WATCH_LEVELS)[number],
              name: r.name,
              phoneMasked: r.phone_masked,
              idType: r.id_type,
              idMasked: r.id_masked,
              instruction: r.instruction,
              createdAt: Number(r.created_at),
            })),
          },
          200,
        );
      },
    )
    .openapi(
      staffRoute(deps, 'watchlist.write', {
        method: 'post',
        path: '/communities/{communityId}/watch-list',
        tags: ['visitors'],
        summary:
          'Add a watch or deny entry by ID number and/or name with phone; the gates receive keyed hashes and the instruction only',
        request: { params: communityParams, ...jsonBody(watchFieldsSchema) },
        responses: { 201: json(watchViewSchema) },
      }),
      async (c) => {
        const { communityId } = c.req.valid('param');
        const input = c.req.valid('json');
        const now = deps.now();
        const community = await getCommunity(db, communityId);
        if (!community) throw new ApiError(404, 'not_found', 'no such community');
        const problems: FieldError[] = [];
        let id = null;
        if (input.idNumber.trim() !== '') {
          if (!input.idType) problems.push({ path: 'idType', message: 'required with a number' });
          else {
            const r = validateIdDocument(
              input.idType,
              input.idNumber,
              todayIn(Math.floor(now / 1000), community.settings.timeZone),
            );
            if (r.ok) id = r.value;
            else problems.push({ path: 'idNumber', message: `not a valid number (${r.reason})` });
          }
        }
        let phone = '';
        if (input.phone.trim() !== '') {
          const r = validateMobile(input.phone);
          if (r.ok) phone = r.value;
          else problems.push({ path: 'phone', message: `not a mobile number (${r.reason})` });
        }
        if (input.phone.trim() !== '' && input.name === '')
          problems.push({ path: 'name', message: 'required with a phone number' });
        if (input.name !== '' && input.phone.trim() === '' && !id)
          problems.push({ path: 'phone', message: 'required with a name' });
        if (!id && phone === '' && problems.length === 0)
          problems.push({ path: 'idNumber', message: 'give an ID number, or a name with a phone' });
        if (problems.length) throw invalidInput(problems);
        const secrets = await communitySecrets(db, deps.masterKey, communityId, now);
        const key = matchKeyBytes(secrets);
        const row: Row<'watch_entry'> = {
          community_id: communityId,
          id: newId(now),
          level: input.level,
          name: input.name,
          phone_masked: phone ? maskMobile(phone) : '',
          id_type: id?.type ?? null,
          id_masked: id ? maskIdNumber(id.number) : '',
          id_hash: id ? await matchHash(key, 'id', idMatchValue(id)) : null,
          name_phone_hash:
            phone && input.name
              ? await matchHash(key, 'name_phone', namePhoneMatchValue(input.name, phone))
              : null,
          instruction: input.instruction,
          created_at: now,
          created_by: c.get('staff').id,
        };
        await db.transaction().execute(async (trx) => {
          const writer = await SyncWriter.open(trx, communityId, now);
          await trx.insertInto('watch_entry').values(row).execute();
          await writer.put('watch', [{ id: row.id, data: watchSyncRow(row) }]);
          await audit(trx, now, {
            communityId,
            actor: staffActor(c),
            action: 'watchlist.add',
            targetType: 'watch_entry',
            targetId: row.id,
            detail: { level: row.level, name: input.name ? maskName(input.name) : '' },
          });
        });
        return c.json(
          {
            id: row.id,
            level: input.level,
            name: row.name,
            phoneMasked: row.phone_masked,
            idType: row.id_type,
            idMasked: row.id_masked,
            instruction: row.instruction,
            createdAt: now,
          },
          201,
        );
      },
    )
    .openapi(
      staffRoute(deps, 'watchlist.write', {
        method: 'delete',
        path: '/communities/{communityId}/watch-list/{entryId}',
        tags: ['visitors'],
        summary: 'Remove a watch or deny entry; the gates drop it at their next sync',
        request: {
          params: entryParams,
        },
        responses: { 200: json(z.object({ removed: z.literal(true) })) },
      }),
      async (c) => {
        const { communityId, entryId } = c.req.valid('param');
        const now = deps.now();
        await db.transaction().execute(async (trx) => {
          const writer = await SyncWriter.open(trx, communityId, now);
          const r = await trx
            .deleteFrom('watch_entry')
            .where('community_id', '=', communityId)
            .where('id', '=', entryId)
            .executeTakeFirst();
          if (Number(r.numDeletedRows) === 0)
            throw new ApiError(404, 'not_found', 'no such watch-list entry');
          await writer.delete('watch', [entryId]);
          await audit(trx, now, {
            communityId,
            actor: staffActor(c),
            action: 'watchlist.remove',
            targetType: 'watch_entry',
            targetId: entryId,
          });
        });
        return c.json({ removed: true as const }, 200);
      },
    )
    .openapi(
      apiKeyRoute(deps, 'invitations:write', {
        method: 'post',
        path: '/integration/v1/invitations',
        tags: ['integration'],
        summary:
          'Invite a visitor to a household (by its external id); answers with the GP1 code as text and as a base64 PNG',
        request: jsonBody(integrationInvitationSchema),
        responses: {
          201: json(
            invitationViewSchema.extend({
              /** The QR code as a PNG, base64: ready to send to the visitor. */
              png: z.string(),
            }),
          ),
        },
      }),
      async (c) => {
        const { householdExternalId, ...rest } = c.req.valid('json');
        const communityId = c.get('apiKey').communityId;
        const household = await db
          .selectFrom('household')
          .select('id')
          .where('community_id', '=', communityId)
          .where('external_id', '=', householdExternalId)
          .executeTakeFirst();
        if (!household)
          throw invalidInput([{ path: 'householdExternalId', message: 'no such household' }]);
        const row = await db
          .transaction()
          .execute((trx) =>
            createInvitation(
              trx,
              deps,
              communityId,
              { ...rest, householdId: household.id },
              keyActor(c),
              'householdExternalId',
            ),
          );
        const image = await invitationPng(row.code);
        return c.json(
          {
            ...invitationView(row, await label(communityId, row.household_id)),
            png: Buffer.from(image).toString('base64'),
          },
          201,
        );
      },
    )
    .openapi(
      apiKeyRoute(deps, 'invitations:write', {
        method: 'get',
        path: '/integration/v1/invitations/{serial}/qr.png',
        tags: ['integration'],
        summary: "An invitation's code as a PNG",
        request: { params: serialParams.omit({ communityId: true }) },
        responses: pngResponse,
      }),
      async (c) => {
        const { serial } = c.req.valid('param');
        const row = await loadInvitation(db, c.get('apiKey').communityId, serial);
        if (!row) throw new ApiError(404, 'not_found', 'no such invitation');
        return c.body(await invitationPng(row.code), 200, {
          'content-type': 'image/png',
          'cache-control': 'no-store',
        });
      },
    )
    .openapi(
      apiKeyRoute(deps, 'invitations:write', {
        method: 'post',
        path: '/integration/v1/invitations/{serial}/cancel',
        tags: ['integration'],
        summary: 'Cancel an invitation',
        request: { params: serialParams.omit({ communityId: true }) },
        responses: { 200: json(invitationViewSchema) },
      }),
      async (c) => {
        const { serial } = c.req.valid('param');
        const communityId = c.get('apiKey').communityId;
        const row = await db
          .transaction()
          .execute((trx) => cancelInvitation(trx, deps, communityId, serial, keyActor(c)));
        return c.json(invitationView(row, await label(communityId, row.household_id)), 200);
      },
    );
}
