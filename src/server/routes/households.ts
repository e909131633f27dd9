/**
 * Households as the office keeps them: a searchable, sorted, paged list; the CSV import (UTF-8 or
 * GB18030, previewed, then applied all-or-nothing); and the moved-out switch. Imports and the
 * switch go through the same `applyHouseholdInputs` as the integration API, so every path ends in
 * the same rules, including the moved-out rule for workers' cards.
 */
import { z } from '@hono/zod-openapi';
import { OCCUPANCIES, type HouseholdInput } from '../../domain/household';
import { readHouseholdCsv } from '../../domain/household-csv';
import type { ServerDeps } from '../context';
import { clientAddress } from '../http/auth';
import {
  importBody,
  parseImport,
  refuseRows,
  rowErrorSchema,
  runImport,
  type ParsedImport,
} from '../http/csv-import';
import { createRouter } from '../http/env';
import { ApiError } from '../http/errors';
import { communityParams, json, jsonBody, staffRoute } from '../http/routes';
import { audit, type Actor } from '../store/audit';
import type { Db } from '../store/db';
import {
  applyHouseholdInputs,
  getHousehold,
  HOUSEHOLD_SORTS,
  listHouseholds,
} from '../store/households';
import { SyncWriter } from '../store/sync-rows';

const householdSchema = z.object({
  id: z.string(),
  externalId: z.string().nullable(),
  building: z.string(),
  unit: z.string(),
  room: z.string(),
  label: z.string(),
  occupancy: z.enum(OCCUPANCIES),
  movedOut: z.boolean(),
  arrears: z.boolean(),
  occupants: z.array(z.string()),
  activeCards: z.number(),
  updatedAt: z.number(),
});

const previewSchema = z.object({
  encoding: z.enum(['utf-8', 'gb18030']),
  rows: z.number(),
  ignoredColumns: z.array(z.string()),
  errors: z.array(rowErrorSchema),
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  movedOut: z.number(),
  suspendedCards: z.number(),
  sample: z.array(
    z.object({
      line: z.number(),
      building: z.string(),
      unit: z.string(),
      room: z.string(),
      occupancy: z.enum(OCCUPANCIES),
      movedOut: z.boolean(),
      arrears: z.boolean(),
      externalId: z.string().nullable(),
    }),
  ),
});

const householdParams = communityParams.extend({ householdId: z.string().min(1).max(64) });

type Outcome = {
  created: number;
  updated: number;
  unchanged: number;
  movedOut: number;
  suspendedCards: number;
};
const NONE: Outcome = { created: 0, updated: 0, unchanged: 0, movedOut: 0, suspendedCards: 0 };

/** Runs the import in a transaction; a dry run rolls it back and reports what it would do. */
function runHouseholdImport(
  deps: ServerDeps,
  communityId: number,
  now: number,
  parsed: ParsedImport<HouseholdInput>,
  actor: Actor,
  dryRun: boolean,
) {
  return runImport(deps.store.db, parsed, dryRun, NONE, async (trx: Db) => {
    const r = await applyHouseholdInputs(
      trx,
      await SyncWriter.open(trx, communityId, now),
      now,
      parsed.rows,
      actor,
      deps.masterKey,
    );
    const outcome = {
      created: r.created,
      updated: r.updated,
      unchanged: r.unchanged,
      movedOut: r.movedOut.length,
      suspendedCards: r.suspendedCards.length,
    };
    if (!dryRun)
      await audit(trx, now, {
        communityId,
        actor,
        action: 'household.import',
        targetType: 'household',
        targetId: `${parsed.rows.length} rows`,
        detail: { ...outcome, suspendedCards: r.suspendedCards },
      });
    return outcome;
  });
}

export function householdRoutes(deps: ServerDeps) {
  const db = deps.store.db;
  const actor = (
    c: Parameters<typeof clientAddress>[0] & { get(k: 'staff'): { id: string } },
  ): Actor => ({
    type: 'staff',
    id: c.get('staff').id,
    ip: clientAddress(c),
  });

  return createRouter()
    .openapi(
      staffRoute(deps, 'household.read', {
        method: 'get',
        path: '/communities/{communityId}/households',
        tags: ['households'],
        summary:
          'Households, searched by building-unit-room or occupant, sorted and paged on the server',
        request: {
          params: communityParams,
          query: z.object({
            q: z.string().max(60).optional(),
            movedOut: z.enum(['true', 'false']).optional(),
            sort: z.enum(HOUSEHOLD_SORTS).default('address'),
            desc: z.enum(['true', 'false']).default('false'),
            offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
            limit: z.coerce.number().int().min(1).max(200).default(50),
          }),
        },
        responses: {
          200: json(z.object({ total: z.number(), items: z.array(householdSchema) })),
        },
      }),
      async (c) => {
        const { communityId } = c.req.valid('param');
        const q = c.req.valid('query');
        return c.json(
          await listHouseholds(db, communityId, {
            q: q.q,
            movedOut: q.movedOut === undefined ? undefined : q.movedOut === 'true',
            sort: q.sort,
            desc: q.desc === 'true',
            offset: q.offset,
            limit: q.limit,
          }),
          200,
        );
      },
    )
    .openapi(
      staffRoute(deps, 'household.write', {
        method: 'post',
        path: '/communities/{communityId}/households/import/preview',
        tags: ['households'],
        summary:
          'Read a household CSV (UTF-8 or GB18030) and report what importing it would do, and every bad line; writes nothing',
        request: { params: communityParams, ...importBody },
        responses: { 200: json(previewSchema) },
      }),
      async (c) => {
        const { communityId } = c.req.valid('param');
        const parsed = parseImport(c.req.valid('json').file, readHouseholdCsv);
        const outcome = await runHouseholdImport(
          deps,
          communityId,
          deps.now(),
          parsed,
          actor(c),
          true,
        );
        return c.json(
          {
            encoding: parsed.encoding,
            rows: parsed.rows.length,
            ignoredColumns: parsed.ignoredColumns,
            ...outcome,
            sample: parsed.rows.slice(0, 50).map((r, i) => ({
              line: parsed.lines[i]!,
              building: r.building,
              unit: r.unit,
              room: r.room,
              occupancy: r.occupancy,
              movedOut: r.movedOut,
              arrears: r.arrears,
              externalId: r.externalId ?? null,
            })),
          },
          200,
        );
      },
    )
    .openapi(
      staffRoute(deps, 'household.write', {
        method: 'post',
        path: '/communities/{communityId}/households/import',
        tags: ['households'],
        summary:
          'Import a household CSV: all rows or none; a bad line is reported as `lines.<line>.<field>`',
        request: { params: communityParams, ...importBody },
        responses: {
          200: json(
            z.object({
              created: z.number(),
              updated: z.number(),
              unchanged: z.number(),
              movedOut: z.number(),
              suspendedCards: z.number(),
            }),
          ),
        },
      }),
      async (c) => {
        const { communityId } = c.req.valid('param');
        const parsed = parseImport(c.req.valid('json').file, readHouseholdCsv);
        const { errors, ...counts } = await runHouseholdImport(
          deps,
          communityId,
          deps.now(),
          parsed,
          actor(c),
          false,
        );
        if (errors.length > 0) throw refuseRows(errors);
        return c.json(counts, 200);
      },
    )
    .openapi(
      staffRoute(deps, 'household.write', {
        method: 'patch',
        path: '/communities/{communityId}/households/{householdId}',
        tags: ['households'],
        summary:
          "Mark a household moved out (its workers' active cards are suspended for review) or back in",
        request: {
          params: householdParams,
          ...jsonBody(z.object({ movedOut: z.boolean() }).strict()),
        },
        responses: {
          200: json(
            z.object({
              id: z.string(),
              movedOut: z.boolean(),
              suspendedCards: z.array(z.number()),
            }),
          ),
        },
      }),
      async (c) => {
        const { communityId, householdId } = c.req.valid('param');
        const { movedOut } = c.req.valid('json');
        const now = deps.now();
        const who = actor(c);
        const r = await db.transaction().execute(async (trx) => {
          const h = await getHousehold(trx, communityId, householdId);
          if (!h) throw new ApiError(404, 'not_found', 'no such household in this community');
          const result = await applyHouseholdInputs(
            trx,
            await SyncWriter.open(trx, communityId, now),
            now,
            [
              {
                ...(h.external_id === null ? {} : { externalId: h.external_id }),
                building: h.building,
                unit: h.unit,
                room: h.room,
                occupancy: h.occupancy as HouseholdInput['occupancy'],
                movedOut,
                arrears: h.arrears === 1,
              },
            ],
            who,
            deps.masterKey,
          );
          if (result.updated > 0) {
            await audit(trx, now, {
              communityId,
              actor: who,
              action: movedOut ? 'household.moved_out' : 'household.moved_in',
              targetType: 'household',
              targetId: householdId,
              detail: { suspendedCards: result.suspendedCards },
            });
          }
          return result;
        });
        return c.json({ id: householdId, movedOut, suspendedCards: r.suspendedCards }, 200);
      },
    );
}
