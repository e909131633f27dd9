/**
 * Release slips (《物资搬运放行条》, procedure 4.3.1.4) from the office: what the issuing rules
 * know of a household, issue (or keep for a supervisor), approve, revoke, reveal the applicant's
 * ID number, the register by state with each slip's gate records, goods refused without a slip,
 * and the duplicate-use alerts; and the main system's owner consents (integration API). Each
 * write signs what needs signing, publishes the gate's rows and writes its audit entry in one
 * transaction.
 */
import { randomBytes } from 'node:crypto';
import { z } from '@hono/zod-openapi';
import { sql, type ExpressionBuilder } from 'kysely';
import { BulkValidationError, parseRows, type RowError } from '../../domain/bulk';
import { fromBase64Url } from '../../domain/bytes';
import { issueCode } from '../../domain/credential/code';
import { can } from '../../domain/permissions';
import { maskIdNumber } from '../../domain/rules/masking';
import { seal, sealedSchema } from '../../domain/seal';
import {
  APPLICANT_ROLES,
  CONSENT_DEFAULT_MS,
  SLIP_STATES,
  SLIP_STATUSES,
  SUPERVISOR_BLOCKS,
  slipAlertResolveSchema,
  slipApproveSchema,
  slipConsentInputSchema,
  slipFieldsSchema,
  slipIssueBlocks,
  slipIssueSchema,
  slipRevokeSchema,
  type SlipBlock,
} from '../../domain/slip';
import { SLIP_OUTCOMES } from '../../domain/verdict/slip';
import type { ServerDeps } from '../context';
import { clientAddress } from '../http/auth';
import { createRouter } from '../http/env';
import { ApiError, fieldErrors, invalidInput } from '../http/errors';
import { apiKeyRoute, communityParams, json, jsonBody, staffRoute } from '../http/routes';
import { audit, type Actor } from '../store/audit';
import { allocateSerial, householdRefs, publishRevocation } from '../store/cards';
import { getCommunity } from '../store/communities';
import { communitySecrets, openSealed } from '../store/community-secrets';
import type { Db } from '../store/db';
import { likeSubstring } from '../store/households';
import { signerFor } from '../store/keys';
import type { Database } from '../store/schema';
import {
  loadSlip,
  loadSlips,
  publishSlips,
  slipHouseholdFacts,
  slipUses,
  slipViews,
  tripUses,
  updateSlip,
  type SlipRow,
} from '../store/slips';
import { SyncWriter } from '../store/sync-rows';

const ID_CONTEXT = 'slip.applicantId';

const useSchema = z
  .object({
    eventId: z.string(),
    serial: z.number(),
    deviceId: z.string(),
    deviceName: z.string(),
    at: z.number(),
    receivedAt: z.number(),
    outcome: z.enum(SLIP_OUTCOMES),
    lines: z.array(z.object({ index: z.number(), passed: z.number() })),
    reason: z.string().nullable(),
    note: z.string(),
    carrierName: z.string(),
    photoHash: z.string().nullable(),
    guardId: z.string().nullable(),
  })
  .openapi('SlipGateRecord');

const householdRefSchema = z.object({ id: z.string(), label: z.string(), movedOut: z.boolean() });

export const slipViewSchema = z
  .object({
    serial: z.number(),
    household: householdRefSchema,
    applicantName: z.string(),
    applicantRole: z.enum(APPLICANT_ROLES),
    applicantPhone: z.string(),
    idType: z.string(),
    /** Always masked; the number itself only through the reveal route. */
    idMasked: z.string(),
    items: z.array(
      z.object({ name: z.string(), quantity: z.number(), unit: z.string(), note: z.string() }),
    ),
    plate: z.string(),
    carrierName: z.string(),
    validFrom: z.number(),
    validUntil: z.number(),
    trips: z.number(),
    consent: z.record(z.string(), z.string()).nullable(),
    arrearsOverride: z.record(z.string(), z.string()).nullable(),
    watchSignOff: z.record(z.string(), z.string()).nullable(),
    status: z.enum(SLIP_STATUSES),
    state: z.enum(SLIP_STATES),
    statusReason: z.string(),
    statusNote: z.string(),
    statusAt: z.number().nullable(),
    createdAt: z.number(),
    createdBy: z.string(),
    approvedBy: z.string().nullable(),
    uses: z.array(useSchema),
    openAlert: z.string().nullable(),
    code: z.string().optional(),
  })
  .openapi('Slip');

const serialParams = communityParams.extend({
  serial: z.coerce
    .number()
    .int()
    .min(1)
    .max(0xffffffff)
    .openapi({ param: { name: 'serial', in: 'path' } }),
});

/** Where the issuing form shows each rule that blocks. */
const BLOCK_FIELD: Record<SlipBlock, string> = {
  household_moved_out: 'householdId',
  consent_required: 'consent',
  consent_not_in_main_system: 'consent',
  arrears_override_required: 'arrearsOverride',
  watch_signoff_required: 'watchSignOff',
  override_needs_supervisor: 'arrearsOverride',
};

const SLIP_SORTS = ['serial', 'validFrom', 'createdAt'] as const;
const SORT_COLUMNS = {
  serial: 'serial',
  validFrom: 'valid_from_s',
  createdAt: 'created_at',
} as const;

type Staff = { id: string; roles: Array<{ communityId: number; role: Parameters<typeof can>[0] }> };

const canOverride = (staff: Staff, communityId: number) =>
  staff.roles.some((r) => r.communityId === communityId && can(r.role, 'slip.override'));

async function signSlip(
  db: Db,
  deps: ServerDeps,
  communityId: number,
  row: Pick<SlipRow, 'serial' | 'valid_from_s' | 'valid_until_s' | 'trips'>,
): Promise<string> {
  let signer;
  try {
    signer = await signerFor(db, deps.masterKey, communityId, 'slip', row.valid_from_s * 1000);
  } catch {
    throw new ApiError(
      409,
      'no_signing_key',
      'no signing key of this community may sign a slip starting then',
    );
  }
  return issueCode(
    {
      type: 'slip',
      communityId,
      keyId: signer.keyId,
      serial: row.serial,
      notBefore: row.valid_from_s,
      expires: row.valid_until_s,
      trips: row.trips,
    },
    signer.privateKey,
  );
}

async function mustLoad(db: Db, communityId: number, serial: number): Promise<SlipRow> {
  const slip = await loadSlip(db, communityId, serial);
  if (!slip) throw new ApiError(404, 'not_found', 'no such slip in this community');
  return slip;
}

async function timeZoneOf(db: Db, communityId: number): Promise<string> {
  const community = await getCommunity(db, communityId);
  if (!community) throw new ApiError(404, 'not_found', 'no such community');
  return community.settings.timeZone;
}

type SlipQuery = ExpressionBuilder<Database, 'slip'>;
const usesWith = (eb: SlipQuery, outcomes: string[]) =>
  eb.exists(
    eb
      .selectFrom('slip_use')
      .select('slip_use.event_id')
      .whereRef('slip_use.community_id', '=', 'slip.community_id')
      .whereRef('slip_use.serial', '=', 'slip.serial')
      .where('slip_use.outcome', 'in', outcomes),
  );

export function slipRoutes(deps: ServerDeps) {
  const db = deps.store.db;
  const actor = (c: Parameters<typeof clientAddress>[0] & { get(k: 'staff'): Staff }): Actor => ({
    type: 'staff',
    id: c.get('staff').id,
    ip: clientAddress(c),
  });
  const nowS = () => Math.floor(deps.now() / 1000);
  const views = (rows: readonly SlipRow[], communityId: number, code: boolean) =>
    slipViews(db, communityId, rows, { code, nowSeconds: nowS() });

  return createRouter()
    .openapi(
      staffRoute(deps, 'slip.read', {
        method: 'get',
        path: '/communities/{communityId}/slips',
        tags: ['slips'],
        summary:
          'Release slips by state (awaiting approval, issued, used, partly used, refused, expired, revoked), searched by applicant, serial or unit, with their gate records',
        request: {
          params: communityParams,
          query: z.object({
            q: z.string().max(60).optional(),
            state: z.enum(SLIP_STATES).optional(),
            /** Slips valid on or after this instant (seconds) … */
            from: z.coerce.number().int().min(0).optional(),
            /** … and starting before this one. */
            to: z.coerce.number().int().min(0).optional(),
            sort: z.enum(SLIP_SORTS).default('serial'),
            desc: z.enum(['true', 'false']).default('true'),
            offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
            limit: z.coerce.number().int().min(1).max(200).default(50),
          }),
        },
        responses: { 200: json(z.object({ total: z.number(), items: z.array(slipViewSchema) })) },
      }),
      async (c) => {
        const { communityId } = c.req.valid('param');
        const q = c.req.valid('query');
        const now = nowS();
        let base = db.selectFrom('slip').where('slip.community_id', '=', communityId);
        const trip = ['pass', 'partial'];
        switch (q.state) {
          case undefined:
            break;
          case 'revoked':
          case 'awaiting_approval':
            base = base.where('status', '=', q.state);
            break;
          case 'partly_used':
            base = base.where('status', '=', 'issued').where((eb) => usesWith(eb, ['partial']));
            break;
          case 'used':
            base = base
              .where('status', '=', 'issued')
              .where((eb) => eb.and([usesWith(eb, ['pass']), eb.not(usesWith(eb, ['partial']))]));
            break;
          case 'expired':
            base = base
              .where('status', '=', 'issued')
              .where('valid_until_s', '<=', now)
              .where((eb) => eb.not(usesWith(eb, trip)));
            break;
          case 'refused':
            base = base
              .where('status', '=', 'issued')
              .where('valid_until_s', '>', now)
              .where((eb) => eb.and([usesWith(eb, ['refuse']), eb.not(usesWith(eb, trip))]));
            break;
          case 'issued':
            base = base
              .where('status', '=', 'issued')
              .where('valid_until_s', '>', now)
              .where((eb) => eb.not(usesWith(eb, [...trip, 'refuse'])));
            break;
        }
        if (q.from !== undefined) base = base.where('valid_until_s', '>', q.from);
        if (q.to !== undefined) base = base.where('valid_from_s', '<', q.to);
        const text = q.q?.trim();
        if (text) {
          const pattern = likeSubstring(text.toLowerCase());
          const serial = /^\d{1,10}$/.test(text) ? Number(text) : null;
          base = base.where((eb) =>
            eb.or([
              eb(sql`lower(applicant_name)`, 'like', sql`${pattern} escape '\\'`),
              ...(serial === null ? [] : [eb('serial', '=', serial)]),
              eb.exists(
                eb
                  .selectFrom('household')
                  .select('household.id')
                  .whereRef('household.community_id', '=', 'slip.community_id')
                  .whereRef('household.id', '=', 'slip.household_id')
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
        const slips = await loadSlips(
          db,
          communityId,
          rows.map((r) => Number(r.serial)),
        );
        return c.json(
          { total: Number(total.n), items: await views(slips, communityId, false) },
          200,
        );
      },
    )
    .openapi(
      staffRoute(deps, 'slip.write', {
        method: 'get',
        path: '/communities/{communityId}/slip-context/{householdId}',
        tags: ['slips'],
        summary:
          "What the issuing rules know of a household: moved out, arrears (main system), under watch, and the owner's consent confirmed in the main system",
        request: {
          params: communityParams.extend({
            householdId: z
              .string()
              .min(1)
              .max(64)
              .openapi({ param: { name: 'householdId', in: 'path' } }),
          }),
        },
        responses: {
          200: json(
            z.object({
              household: householdRefSchema,
              occupancy: z.string(),
              movedOut: z.boolean(),
              arrears: z.boolean(),
              underWatch: z.boolean(),
              mainSystemConsent: z
                .object({
                  reference: z.string(),
                  ownerName: z.string(),
                  tenantName: z.string(),
                  confirmedAt: z.number(),
                  validUntil: z.number(),
                })
                .nullable(),
            }),
          ),
        },
      }),
      async (c) => {
        const { communityId, householdId } = c.req.valid('param');
        const facts = await slipHouseholdFacts(db, communityId, householdId, deps.now());
        if (!facts) throw new ApiError(404, 'not_found', 'no such household');
        const ref = (await householdRefs(db, communityId, [householdId])).get(householdId)!;
        return c.json(
          {
            household: ref,
            occupancy: facts.household.occupancy,
            movedOut: facts.movedOut,
            arrears: facts.arrears,
            underWatch: facts.underWatch,
            mainSystemConsent: facts.mainSystemConsent,
          },
          200,
        );
      },
    )
    .openapi(
      staffRoute(deps, 'slip.write', {
        method: 'post',
        path: '/communities/{communityId}/slips',
        tags: ['slips'],
        summary:
          "Issue a slip: household, applicant (ID sealed), items, plate, carrier, valid day(s) (at most 3), trips. Refused with 409 `slip_blocked` naming each rule that blocks (owner's consent for a tenant, arrears override, watch sign-off); with `requestApproval` a slip blocked only by a supervisor's part waits for one",
        request: { params: communityParams, ...jsonBody(slipFieldsSchema) },
        responses: { 201: json(slipViewSchema, 'Issued (or awaiting approval); `code` to print') },
      }),
      async (c) => {
        const { communityId } = c.req.valid('param');
        const now = deps.now();
        const ctx = { now: Math.floor(now / 1000), timeZone: await timeZoneOf(db, communityId) };
        const parsed = slipIssueSchema(ctx).safeParse(c.req.valid('json'));
        if (!parsed.success) throw invalidInput(fieldErrors(parsed.error));
        const input = parsed.data;
        const staff = c.get('staff') as Staff;
        const who = actor(c);
        const row = await db.transaction().execute(async (trx) => {
          const writer = await SyncWriter.open(trx, communityId, now);
          const facts = await slipHouseholdFacts(trx, communityId, input.householdId, now);
          if (!facts) throw invalidInput([{ path: 'householdId', message: 'no such household' }]);
          const household = { ...facts, mainSystemConsent: facts.mainSystemConsent !== null };
          const blocks = slipIssueBlocks(input, household, canOverride(staff, communityId));
          const waits =
            blocks.length > 0 &&
            input.requestApproval &&
            blocks.every((b) => SUPERVISOR_BLOCKS.includes(b));
          if (blocks.length > 0 && !waits) {
            throw new ApiError(
              409,
              'slip_blocked',
              `the slip cannot be issued: ${blocks.join(', ')}`,
              blocks.map((b) => ({ path: BLOCK_FIELD[b], message: b })),
            );
          }
          const serial = await allocateSerial(trx, communityId, 'slip');
          const secrets = await communitySecrets(trx, deps.masterKey, communityId, now);
          const sealed = await seal(
            input.applicantIdNumber,
            fromBase64Url(secrets.sealPublicKey),
            ID_CONTEXT,
            (n) => new Uint8Array(randomBytes(n)),
          );
          const consent =
            input.applicantRole === 'tenant' && input.consent
              ? {
                  ...input.consent,
                  reference: facts.mainSystemConsent?.reference ?? '',
                  ...(input.consent.way === 'main_system'
                    ? { ownerName: facts.mainSystemConsent?.ownerName ?? '' }
                    : {}),
                }
              : null;
          const override =
            facts.arrears && input.arrearsOverride && !waits
              ? { reason: input.arrearsOverride.reason, by: staff.id }
              : null;
          const signOff =
            facts.underWatch && input.watchSignOff && !waits
              ? { note: input.watchSignOff.note, by: staff.id }
              : null;
          const slip: SlipRow = {
            community_id: communityId,
            serial,
            household_id: input.householdId,
            applicant_name: input.applicantName,
            applicant_role: input.applicantRole,
            applicant_phone: input.applicantPhone,
            id_type: input.applicantIdType,
            id_sealed: JSON.stringify(sealed),
            id_masked: maskIdNumber(input.applicantIdNumber),
            items: JSON.stringify(input.items),
            plate: input.plate,
            carrier_name: input.carrierName,
            valid_from_s: input.validFrom,
            valid_until_s: input.validUntil,
            trips: input.trips,
            consent: consent ? JSON.stringify(consent) : '',
            arrears_override: override ? JSON.stringify(override) : '',
            watch_signoff: signOff ? JSON.stringify(signOff) : '',
            status: waits ? 'awaiting_approval' : 'issued',
            status_reason: waits ? blocks.join(',') : '',
            status_note: '',
            status_at: now,
            code: '',
            created_at: now,
            created_by: staff.id,
            approved_by: waits
              ? null
              : blocks.length === 0 && (override || signOff)
                ? staff.id
                : null,
            updated_at: now,
          };
          if (!waits) slip.code = await signSlip(trx, deps, communityId, slip);
          await trx.insertInto('slip').values(slip).execute();
          await publishSlips(writer, trx, [slip]);
          await audit(trx, now, {
            communityId,
            actor: who,
            action: 'slip.issue',
            targetType: 'slip',
            targetId: serial,
            detail: {
              household: input.householdId,
              validFrom: input.validFrom,
              validUntil: input.validUntil,
              trips: input.trips,
              items: input.items.length,
              consent: consent?.way ?? null,
              arrearsOverride: override?.reason ?? null,
              watchSignOff: signOff !== null,
              awaitingApproval: waits ? blocks : null,
            },
          });
          return slip;
        });
        return c.json((await views([row], communityId, true))[0]!, 201);
      },
    )
    .openapi(
      staffRoute(deps, 'slip.read', {
        method: 'get',
        path: '/communities/{communityId}/slips/{serial}',
        tags: ['slips'],
        summary: 'A slip with its code and its gate records',
        request: { params: serialParams },
        responses: { 200: json(slipViewSchema) },
      }),
      async (c) => {
        const { communityId, serial } = c.req.valid('param');
        const slip = await mustLoad(db, communityId, serial);
        return c.json((await views([slip], communityId, true))[0]!, 200);
      },
    )
    .openapi(
      staffRoute(deps, 'slip.override', {
        method: 'post',
        path: '/communities/{communityId}/slips/{serial}/approve',
        tags: ['slips'],
        summary:
          "A supervisor approves a slip that waited: the arrears override's reason and the watch sign-off; the slip is signed and sent to the gates",
        request: { params: serialParams, ...jsonBody(slipApproveSchema) },
        responses: { 200: json(slipViewSchema) },
      }),
      async (c) => {
        const { communityId, serial } = c.req.valid('param');
        const body = c.req.valid('json');
        const now = deps.now();
        const staff = c.get('staff') as Staff;
        const who = actor(c);
        const row = await db.transaction().execute(async (trx) => {
          const writer = await SyncWriter.open(trx, communityId, now);
          const slip = await mustLoad(trx, communityId, serial);
          if (slip.status !== 'awaiting_approval')
            throw new ApiError(409, 'not_awaiting_approval', `the slip is ${slip.status}`);
          if (now >= slip.valid_until_s * 1000)
            throw new ApiError(409, 'expired', 'the slip has ended; issue a new one');
          const facts = await slipHouseholdFacts(trx, communityId, slip.household_id, now);
          const problems = [];
          if (facts?.movedOut)
            throw new ApiError(409, 'household_moved_out', 'the household has moved out');
          if (facts?.arrears && body.arrearsReason === '')
            problems.push({ path: 'arrearsReason', message: 'arrears_override_required' });
          if (problems.length) throw invalidInput(problems);
          const patch = {
            status: 'issued',
            status_reason: '',
            status_at: now,
            arrears_override: facts?.arrears
              ? JSON.stringify({ reason: body.arrearsReason, by: staff.id })
              : '',
            watch_signoff: facts?.underWatch
              ? JSON.stringify({ note: body.watchNote, by: staff.id })
              : '',
            approved_by: staff.id,
            updated_at: now,
            code: await signSlip(trx, deps, communityId, slip),
          };
          await updateSlip(trx, communityId, serial, patch);
          const approved = { ...slip, ...patch };
          await publishSlips(writer, trx, [approved]);
          await audit(trx, now, {
            communityId,
            actor: who,
            action: 'slip.approve',
            targetType: 'slip',
            targetId: serial,
            detail: { arrearsOverride: body.arrearsReason || null, watchNote: body.watchNote },
          });
          return approved;
        });
        return c.json((await views([row], communityId, true))[0]!, 200);
      },
    )
    .openapi(
      staffRoute(deps, 'slip.write', {
        method: 'post',
        path: '/communities/{communityId}/slips/{serial}/revoke',
        tags: ['slips'],
        summary:
          'Revoke an unused slip (cancelled, misuse, other); it reaches the gates first, on the revocation stream',
        request: { params: serialParams, ...jsonBody(slipRevokeSchema) },
        responses: { 200: json(slipViewSchema) },
      }),
      async (c) => {
        const { communityId, serial } = c.req.valid('param');
        const body = c.req.valid('json');
        const now = deps.now();
        const who = actor(c);
        const row = await db.transaction().execute(async (trx) => {
          const writer = await SyncWriter.open(trx, communityId, now);
          const slip = await mustLoad(trx, communityId, serial);
          if (slip.status === 'revoked')
            throw new ApiError(409, 'not_active', 'the slip is already revoked');
          const uses = tripUses((await slipUses(trx, communityId, [serial])).get(serial) ?? []);
          if (uses.length > 0)
            throw new ApiError(409, 'slip_used', 'the slip has been used at the gate');
          const patch = {
            status: 'revoked',
            status_reason: body.reason,
            status_note: body.note,
            status_at: now,
            updated_at: now,
          };
          await updateSlip(trx, communityId, serial, patch);
          const revoked = { ...slip, ...patch };
          if (slip.status === 'issued') {
            await publishRevocation(
              writer,
              serial,
              Math.floor(now / 1000),
              body.reason,
              body.note,
              'slip',
            );
            await publishSlips(writer, trx, [revoked]);
          }
          await audit(trx, now, {
            communityId,
            actor: who,
            action: 'slip.revoke',
            targetType: 'slip',
            targetId: serial,
            detail: { reason: body.reason, note: body.note },
          });
          return revoked;
        });
        return c.json((await views([row], communityId, true))[0]!, 200);
      },
    )
    .openapi(
      staffRoute(deps, 'sealed.reveal', {
        method: 'post',
        path: '/communities/{communityId}/slips/{serial}/reveal-id',
        tags: ['slips'],
        summary: "Reveal the applicant's ID number; the reveal is written to the audit log",
        request: { params: serialParams },
        responses: { 200: json(z.object({ idType: z.string(), idNumber: z.string() })) },
      }),
      async (c) => {
        const { communityId, serial } = c.req.valid('param');
        const now = deps.now();
        const who = actor(c);
        const revealed = await db.transaction().execute(async (trx) => {
          const slip = await mustLoad(trx, communityId, serial);
          await audit(trx, now, {
            communityId,
            actor: who,
            action: 'slip.reveal_id',
            targetType: 'slip',
            targetId: serial,
          });
          const sealed = sealedSchema.parse(JSON.parse(slip.id_sealed));
          return {
            idType: slip.id_type,
            idNumber: await openSealed(trx, deps.masterKey, communityId, sealed, ID_CONTEXT),
          };
        });
        return c.json(revealed, 200);
      },
    )
    .openapi(
      staffRoute(deps, 'slip.read', {
        method: 'get',
        path: '/communities/{communityId}/slip-alerts',
        tags: ['slips'],
        summary:
          'Duplicate-use alerts: slips used more often than they have trips (gates that were offline), each with every record',
        request: {
          params: communityParams,
          query: z.object({ open: z.enum(['true', 'false']).default('true') }),
        },
        responses: {
          200: json(
            z.object({
              alerts: z.array(
                z.object({
                  id: z.string(),
                  serial: z.number(),
                  createdAt: z.number(),
                  updatedAt: z.number(),
                  resolvedAt: z.number().nullable(),
                  resolvedBy: z.string().nullable(),
                  resolutionNote: z.string(),
                  slip: slipViewSchema,
                  records: z.array(useSchema),
                }),
              ),
            }),
          ),
        },
      }),
      async (c) => {
        const { communityId } = c.req.valid('param');
        const open = c.req.valid('query').open === 'true';
        let query = db
          .selectFrom('slip_alert')
          .selectAll()
          .where('community_id', '=', communityId)
          .orderBy('created_at', 'desc')
          .limit(200);
        query = open
          ? query.where('resolved_at', 'is', null)
          : query.where('resolved_at', 'is not', null);
        const alerts = await query.execute();
        const slips = await views(
          await loadSlips(db, communityId, [...new Set(alerts.map((a) => Number(a.serial)))]),
          communityId,
          false,
        );
        const bySerial = new Map(slips.map((s) => [s.serial, s]));
        return c.json(
          {
            alerts: alerts.flatMap((a) => {
              const slip = bySerial.get(Number(a.serial));
              if (!slip) return [];
              const ids = new Set(JSON.parse(a.event_ids) as string[]);
              return [
                {
                  id: a.id,
                  serial: Number(a.serial),
                  createdAt: Number(a.created_at),
                  updatedAt: Number(a.updated_at),
                  resolvedAt: a.resolved_at === null ? null : Number(a.resolved_at),
                  resolvedBy: a.resolved_by,
                  resolutionNote: a.resolution_note,
                  slip,
                  records: slip.uses.filter((u) => ids.has(u.eventId)),
                },
              ];
            }),
          },
          200,
        );
      },
    )
    .openapi(
      staffRoute(deps, 'slip.override', {
        method: 'post',
        path: '/communities/{communityId}/slip-alerts/{alertId}/resolve',
        tags: ['slips'],
        summary: 'Close a duplicate-use alert with what was found',
        request: {
          params: communityParams.extend({
            alertId: z
              .string()
              .min(1)
              .max(40)
              .openapi({ param: { name: 'alertId', in: 'path' } }),
          }),
          ...jsonBody(slipAlertResolveSchema),
        },
        responses: { 204: { description: 'Closed' } },
      }),
      async (c) => {
        const { communityId, alertId } = c.req.valid('param');
        const { note } = c.req.valid('json');
        const now = deps.now();
        const who = actor(c);
        await db.transaction().execute(async (trx) => {
          const r = await trx
            .updateTable('slip_alert')
            .set({ resolved_at: now, resolved_by: who.id, resolution_note: note })
            .where('community_id', '=', communityId)
            .where('id', '=', alertId)
            .where('resolved_at', 'is', null)
            .executeTakeFirst();
          if (Number(r.numUpdatedRows) === 0)
            throw new ApiError(404, 'not_found', 'no open alert with this id');
          await audit(trx, now, {
            communityId,
            actor: who,
            action: 'slip.alert_resolve',
            targetType: 'slip_alert',
            targetId: alertId,
            detail: { note },
          });
        });
        return c.body(null, 204);
      },
    )
    .openapi(
      staffRoute(deps, 'slip.read', {
        method: 'get',
        path: '/communities/{communityId}/goods-refusals',
        tags: ['slips'],
        summary: 'Goods the gate stopped because they had no slip, newest first',
        request: {
          params: communityParams,
          query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
        },
        responses: {
          200: json(
            z.object({
              items: z.array(
                z.object({
                  eventId: z.string(),
                  at: z.number(),
                  receivedAt: z.number(),
                  deviceName: z.string(),
                  household: householdRefSchema.nullable(),
                  unitText: z.string(),
                  description: z.string(),
                  photoHash: z.string().nullable(),
                  guardId: z.string().nullable(),
                }),
              ),
            }),
          ),
        },
      }),
      async (c) => {
        const { communityId } = c.req.valid('param');
        const rows = await db
          .selectFrom('goods_refusal')
          .leftJoin('device', 'device.id', 'goods_refusal.device_id')
          .selectAll('goods_refusal')
          .select('device.name as device_name')
          .where('goods_refusal.community_id', '=', communityId)
          .orderBy('goods_refusal.at', 'desc')
          .limit(c.req.valid('query').limit)
          .execute();
        const refs = await householdRefs(
          db,
          communityId,
          rows.flatMap((r) => (r.household_id ? [r.household_id] : [])),
        );
        return c.json(
          {
            items: rows.map((r) => ({
              eventId: r.event_id,
              at: Number(r.at),
              receivedAt: Number(r.received_at),
              deviceName: r.device_name ?? r.device_id,
              household: r.household_id ? (refs.get(r.household_id) ?? null) : null,
              unitText: r.unit_text,
              description: r.description,
              photoHash: r.photo_hash,
              guardId: r.guard_id,
            })),
          },
          200,
        );
      },
    );
}

/** The main system's owner consents for tenants' moves (integration API, `slips:consent`). */
export function slipIntegrationRoutes(deps: ServerDeps) {
  const db = deps.store.db;
  return createRouter().openapi(
    apiKeyRoute(deps, 'slips:consent', {
      method: 'put',
      path: '/integration/v1/slip-consents',
      tags: ['integration'],
      summary:
        "Owner consents to tenants' moves confirmed in the main system, by household external id and the main system's reference (idempotent)",
      request: jsonBody(z.object({ consents: z.array(z.unknown()).min(1).max(1000) }).strict()),
      responses: { 200: json(z.object({ recorded: z.number(), unchanged: z.number() })) },
    }),
    async (c) => {
      const r = parseRows(slipConsentInputSchema, c.req.valid('json').consents);
      if (!r.ok) throw new BulkValidationError(r.errors);
      const now = deps.now();
      const key = c.get('apiKey');
      const result = await db.transaction().execute(async (trx) => {
        const households = await trx
          .selectFrom('household')
          .select(['id', 'external_id'])
          .where('community_id', '=', key.communityId)
          .where('external_id', 'in', [...new Set(r.rows.map((x) => x.householdExternalId))])
          .execute();
        const byExternal = new Map(households.map((h) => [h.external_id!, h.id]));
        const errors: RowError[] = [];
        r.rows.forEach((x, row) => {
          if (!byExternal.has(x.householdExternalId))
            errors.push({
              row,
              field: 'householdExternalId',
              message: 'no household with this external id',
            });
        });
        if (errors.length) throw new BulkValidationError(errors);
        let recorded = 0;
        for (const x of r.rows) {
          const inserted = await trx
            .insertInto('slip_consent')
            .values({
              community_id: key.communityId,
              household_id: byExternal.get(x.householdExternalId)!,
              reference: x.reference,
              owner_name: x.ownerName,
              tenant_name: x.tenantName,
              confirmed_at: x.confirmedAt,
              valid_until: x.validUntil ?? x.confirmedAt + CONSENT_DEFAULT_MS,
              received_at: now,
            })
            .onConflict((oc) =>
              oc.columns(['community_id', 'household_id', 'reference']).doNothing(),
            )
            .returning('reference')
            .execute();
          recorded += inserted.length;
        }
        await audit(trx, now, {
          communityId: key.communityId,
          actor: { type: 'api_key', id: key.id, ip: clientAddress(c) },
          action: 'slip.consent',
          targetType: 'slip_consent',
          targetId: `${r.rows.length} rows`,
          detail: { recorded },
        });
        return { recorded, unchanged: r.rows.length - recorded };
      });
      return c.json(result, 200);
    },
  );
}
