/**
 * The integration API for the main property-management system (物业管理软件): bulk, idempotent
 * upserts by its own external ids (households, residents, key-household flags), each call
 * all-or-nothing with every bad row reported, and a cursor-based feed of the gate's events.
 * Authenticated by an API key with scopes.
 */
import { z } from '@hono/zod-openapi';
import { BulkValidationError, parseRows } from '../../domain/bulk';
import { householdInputSchema, residentInputSchema } from '../../domain/household';
import { keyHouseholdInputSchema } from '../../domain/key-household';
import type { ServerDeps } from '../context';
import { clientAddress } from '../http/auth';
import { createRouter } from '../http/env';
import { ApiError } from '../http/errors';
import { apiKeyRoute, json, jsonBody } from '../http/routes';
import { audit, type Actor } from '../store/audit';
import { decodeFeedCursor, readEventFeed } from '../store/events';
import { applyHouseholdInputs, upsertResidents } from '../store/households';
import { applyKeyHouseholdChanges, resolveKeyHouseholdInputs } from '../store/key-households';
import { SyncWriter } from '../store/sync-rows';

/** Rows are parsed here, not by the route's schema, so that every bad row is reported at once. */
const MAX_ROWS = 5000;
const bulkBody = (key: string) =>
  jsonBody(z.object({ [key]: z.array(z.unknown()).min(1).max(MAX_ROWS) }).strict());

function parsed<S extends z.ZodType>(schema: S, rows: unknown[]): z.infer<S>[] {
  const r = parseRows(schema, rows);
  if (!r.ok) throw new BulkValidationError(r.errors);
  return r.rows;
}

const countsSchema = z.object({
  created: z.number(),
  updated: z.number(),
  unchanged: z.number().optional(),
});

export function integrationRoutes(deps: ServerDeps) {
  const db = deps.store.db;
  const actor = (
    c: Parameters<typeof clientAddress>[0] & { get(k: 'apiKey'): { id: string } },
  ): Actor => ({
    type: 'api_key',
    id: c.get('apiKey').id,
    ip: clientAddress(c),
  });

  return createRouter()
    .openapi(
      apiKeyRoute(deps, 'households:write', {
        method: 'put',
        path: '/integration/v1/households',
        tags: ['integration'],
        summary:
          'Create or update households by external id (building, unit, room, occupancy, moved out, arrears)',
        request: bulkBody('households'),
        responses: { 200: json(countsSchema) },
      }),
      async (c) => {
        const rows = parsed(
          householdInputSchema,
          (c.req.valid('json') as { households: unknown[] }).households,
        );
        const missing = rows.findIndex((r) => r.externalId === undefined);
        if (missing >= 0)
          throw new BulkValidationError([
            { row: missing, field: 'externalId', message: 'required from the main system' },
          ]);
        const now = deps.now();
        const communityId = c.get('apiKey').communityId;
        const r = await db.transaction().execute(async (trx) => {
          const result = await applyHouseholdInputs(
            trx,
            await SyncWriter.open(trx, communityId, now),
            now,
            rows,
            actor(c),
            deps.masterKey,
          );
          await audit(trx, now, {
            communityId,
            actor: actor(c),
            action: 'household.upsert',
            targetType: 'household',
            targetId: `${rows.length} rows`,
            detail: {
              created: result.created,
              updated: result.updated,
              movedOut: result.movedOut.length,
              suspendedCards: result.suspendedCards,
            },
          });
          return result;
        });
        return c.json({ created: r.created, updated: r.updated, unchanged: r.unchanged }, 200);
      },
    )
    .openapi(
      apiKeyRoute(deps, 'residents:write', {
        method: 'put',
        path: '/integration/v1/residents',
        tags: ['integration'],
        summary: 'Create or update residents (owner/tenant/family) by external id',
        request: bulkBody('residents'),
        responses: { 200: json(countsSchema) },
      }),
      async (c) => {
        const rows = parsed(
          residentInputSchema,
          (c.req.valid('json') as { residents: unknown[] }).residents,
        );
        const now = deps.now();
        const communityId = c.get('apiKey').communityId;
        const r = await db.transaction().execute(async (trx) => {
          const result = await upsertResidents(
            trx,
            await SyncWriter.open(trx, communityId, now),
            now,
            rows,
          );
          await audit(trx, now, {
            communityId,
            actor: actor(c),
            action: 'resident.upsert',
            targetType: 'resident',
            targetId: `${rows.length} rows`,
            detail: result,
          });
          return result;
        });
        return c.json(r, 200);
      },
    )
    .openapi(
      apiKeyRoute(deps, 'key_households:write', {
        method: 'put',
        path: '/integration/v1/key-households',
        tags: ['integration'],
        summary:
          'Set the key-household categories of households (重点户异动表); an empty list removes one',
        request: bulkBody('keyHouseholds'),
        responses: { 200: json(z.object({ set: z.number(), removed: z.number() })) },
      }),
      async (c) => {
        const rows = parsed(
          keyHouseholdInputSchema,
          (c.req.valid('json') as { keyHouseholds: unknown[] }).keyHouseholds,
        );
        const now = deps.now();
        const communityId = c.get('apiKey').communityId;
        const r = await db.transaction().execute(async (trx) => {
          const changes = await resolveKeyHouseholdInputs(trx, communityId, rows);
          const result = await applyKeyHouseholdChanges(
            trx,
            await SyncWriter.open(trx, communityId, now),
            now,
            changes,
            `api_key:${c.get('apiKey').id}`,
            'integration',
          );
          await audit(trx, now, {
            communityId,
            actor: actor(c),
            action: 'keyhousehold.upsert',
            targetType: 'key_household',
            targetId: `${rows.length} rows`,
            detail: result,
          });
          return result;
        });
        return c.json(r, 200);
      },
    )
    .openapi(
      apiKeyRoute(deps, 'events:read', {
        method: 'get',
        path: '/integration/v1/events',
        tags: ['integration'],
        summary: "The gate's events in the order received, after an opaque cursor (keyset pages)",
        request: {
          query: z.object({
            after: z.string().max(60).optional(),
            limit: z.coerce.number().int().min(1).max(1000).default(200),
          }),
        },
        responses: {
          200: json(
            z.object({
              events: z.array(
                z.object({
                  id: z.string(),
                  type: z.string(),
                  at: z.number(),
                  tzOffset: z.number(),
                  guardId: z.string().nullable(),
                  device: z.string(),
                  receivedAt: z.number(),
                  payload: z.record(z.string(), z.unknown()),
                }),
              ),
              next: z.string(),
              hasMore: z.boolean(),
            }),
          ),
        },
      }),
      async (c) => {
        const q = c.req.valid('query');
        const cursor = decodeFeedCursor(q.after);
        if (!cursor)
          throw new ApiError(400, 'invalid_input', 'after: not a cursor from this feed', [
            { path: 'after', message: 'not a cursor from this feed' },
          ]);
        return c.json(await readEventFeed(db, c.get('apiKey').communityId, cursor, q.limit), 200);
      },
    );
}
