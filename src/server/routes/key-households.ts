/**
 * The key-household list in the office (procedure 4.1–4.2): the list and its change history for
 * everyone who may read it, with the category only for roles that hold `keyhousehold.category`
 * (others see what the guard sees: that a household is one, and what to do); the form; and the
 * change table's CSV import, previewed, then applied all-or-nothing through the same
 * `applyKeyHouseholdChanges` as the integration API. Every change is dated, attributed, audited
 * and synced to the gates as instructions only.
 */
import { z } from '@hono/zod-openapi';
import { KEY_HOUSEHOLD_CATEGORIES, GATE_INSTRUCTIONS } from '../../domain/key-household';
import { readKeyHouseholdCsv, type KeyHouseholdCsvRow } from '../../domain/key-household-csv';
import { can, type Permission } from '../../domain/permissions';
import { lineText } from '../../domain/text';
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
import { createRouter, type AppEnv } from '../http/env';
import { ApiError } from '../http/errors';
import { communityParams, json, jsonBody, staffRoute } from '../http/routes';
import { audit, type Actor } from '../store/audit';
import { getHousehold } from '../store/households';
import {
  applyKeyHouseholdChanges,
  listKeyHouseholdChanges,
  listKeyHouseholds,
  resolveKeyHouseholdCsvRows,
} from '../store/key-households';
import { SyncWriter } from '../store/sync-rows';
import type { Context } from 'hono';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema';

const categories = z.array(z.enum(KEY_HOUSEHOLD_CATEGORIES));

const keyHouseholdSchema = z.object({
  householdId: z.string(),
  label: z.string(),
  /** Present only for roles allowed to read categories. */
  categories: categories.optional(),
  instructions: z.array(z.enum(GATE_INSTRUCTIONS)),
  note: z.string(),
  source: z.enum(['office', 'integration']),
  updatedAt: z.number(),
  updatedBy: z.string(),
});

const changeSchema = z.object({
  id: z.string(),
  householdId: z.string(),
  label: z.string(),
  action: z.enum(['added', 'changed', 'removed']),
  categories: categories.optional(),
  note: z.string(),
  at: z.number(),
  by: z.string(),
});

const formBody = z
  .object({
    /** An empty list takes the household off the key-household list. */
    categories: z.array(z.enum(KEY_HOUSEHOLD_CATEGORIES)).max(KEY_HOUSEHOLD_CATEGORIES.length),
    note: lineText(200).default(''),
  })
  .strict();

const previewSchema = z.object({
  encoding: z.enum(['utf-8', 'gb18030']),
  rows: z.number(),
  ignoredColumns: z.array(z.string()),
  errors: z.array(rowErrorSchema),
  set: z.number(),
  removed: z.number(),
  sample: z.array(
    z.object({
      line: z.number(),
      label: z.string(),
      categories: categories,
      note: z.string(),
    }),
  ),
});

function mayRead(c: Context<AppEnv>, communityId: number, permission: Permission) {
  return c.get('staff').roles.some((r) => r.communityId === communityId && can(r.role, permission));
}

export function keyHouseholdRoutes(deps: ServerDeps) {
  const db = deps.store.db;
  const actor = (c: Context<AppEnv>): Actor => ({
    type: 'staff',
    id: c.get('staff').id,
    ip: clientAddress(c),
  });

  const runChangeImport = (
    kdb: Kysely<Database>,
    communityId: number,
    parsed: ParsedImport<KeyHouseholdCsvRow>,
    who: Actor,
    dryRun: boolean,
  ) => {
    const now = deps.now();
    return runImport(kdb, parsed, dryRun, { set: 0, removed: 0 }, async (trx) => {
      const changes = await resolveKeyHouseholdCsvRows(trx, communityId, parsed.rows);
      const r = await applyKeyHouseholdChanges(
        trx,
        await SyncWriter.open(trx, communityId, now),
        now,
        changes,
        who.id,
        'office',
      );
      if (!dryRun)
        await audit(trx, now, {
          communityId,
          actor: who,
          action: 'keyhousehold.import',
          targetType: 'key_household',
          targetId: `${parsed.rows.length} rows`,
          detail: r,
        });
      return r;
    });
  };

  return createRouter()
    .openapi(
      staffRoute(deps, 'keyhousehold.read', {
        method: 'get',
        path: '/communities/{communityId}/key-households',
        tags: ['key households'],
        summary:
          'The key-household list with what the gate is told; categories only for roles allowed to read them',
        request: { params: communityParams },
        responses: { 200: json(z.object({ items: z.array(keyHouseholdSchema) })) },
      }),
      async (c) => {
        const { communityId } = c.req.valid('param');
        const withCategory = mayRead(c, communityId, 'keyhousehold.category');
        const items = (await listKeyHouseholds(db, communityId)).map(
          ({ categories: cats, ...rest }) => (withCategory ? { ...rest, categories: cats } : rest),
        );
        return c.json({ items }, 200);
      },
    )
    .openapi(
      staffRoute(deps, 'keyhousehold.read', {
        method: 'get',
        path: '/communities/{communityId}/key-households/changes',
        tags: ['key households'],
        summary:
          'The change history (《重点户异动表》): every change dated and attributed, newest first',
        request: {
          params: communityParams,
          query: z.object({
            householdId: z.string().max(64).optional(),
            from: z.coerce.number().int().min(0).optional(),
            to: z.coerce.number().int().min(0).optional(),
            limit: z.coerce.number().int().min(1).max(1000).default(200),
          }),
        },
        responses: { 200: json(z.object({ changes: z.array(changeSchema) })) },
      }),
      async (c) => {
        const { communityId } = c.req.valid('param');
        const withCategory = mayRead(c, communityId, 'keyhousehold.category');
        const changes = (await listKeyHouseholdChanges(db, communityId, c.req.valid('query'))).map(
          ({ categories: cats, ...rest }) => (withCategory ? { ...rest, categories: cats } : rest),
        );
        return c.json({ changes }, 200);
      },
    )
    .openapi(
      staffRoute(deps, 'keyhousehold.write', {
        method: 'put',
        path: '/communities/{communityId}/key-households/{householdId}',
        tags: ['key households'],
        summary:
          "Set a household's key-household categories and the note for the guards; no categories takes it off the list",
        request: {
          params: communityParams.extend({ householdId: z.string().min(1).max(64) }),
          ...jsonBody(formBody),
        },
        responses: { 200: json(z.object({ set: z.number(), removed: z.number() })) },
      }),
      async (c) => {
        const { communityId, householdId } = c.req.valid('param');
        const input = c.req.valid('json');
        const now = deps.now();
        const who = actor(c);
        const r = await db.transaction().execute(async (trx) => {
          if (!(await getHousehold(trx, communityId, householdId)))
            throw new ApiError(404, 'not_found', 'no such household in this community');
          const result = await applyKeyHouseholdChanges(
            trx,
            await SyncWriter.open(trx, communityId, now),
            now,
            [{ householdId, categories: input.categories, note: input.note }],
            who.id,
            'office',
          );
          await audit(trx, now, {
            communityId,
            actor: who,
            action: 'keyhousehold.set',
            targetType: 'household',
            targetId: householdId,
            detail: result,
          });
          return result;
        });
        return c.json(r, 200);
      },
    )
    .openapi(
      staffRoute(deps, 'keyhousehold.write', {
        method: 'post',
        path: '/communities/{communityId}/key-households/import/preview',
        tags: ['key households'],
        summary:
          'Read a key-household change table CSV (UTF-8 or GB18030) and report what importing it would do, and every bad line; writes nothing',
        request: { params: communityParams, ...importBody },
        responses: { 200: json(previewSchema) },
      }),
      async (c) => {
        const { communityId } = c.req.valid('param');
        const parsed = parseImport(c.req.valid('json').file, readKeyHouseholdCsv);
        const outcome = await runChangeImport(db, communityId, parsed, actor(c), true);
        return c.json(
          {
            encoding: parsed.encoding,
            rows: parsed.rows.length,
            ignoredColumns: parsed.ignoredColumns,
            ...outcome,
            sample: parsed.rows.slice(0, 50).map((r, i) => ({
              line: parsed.lines[i]!,
              label: `${r.building}-${r.unit}-${r.room}`,
              categories: r.categories,
              note: r.note,
            })),
          },
          200,
        );
      },
    )
    .openapi(
      staffRoute(deps, 'keyhousehold.write', {
        method: 'post',
        path: '/communities/{communityId}/key-households/import',
        tags: ['key households'],
        summary:
          'Import a key-household change table CSV: all rows or none; a bad line is reported as `lines.<line>.<field>`',
        request: { params: communityParams, ...importBody },
        responses: { 200: json(z.object({ set: z.number(), removed: z.number() })) },
      }),
      async (c) => {
        const { communityId } = c.req.valid('param');
        const parsed = parseImport(c.req.valid('json').file, readKeyHouseholdCsv);
        const { errors, ...counts } = await runChangeImport(
          db,
          communityId,
          parsed,
          actor(c),
          false,
        );
        if (errors.length > 0) throw refuseRows(errors);
        return c.json(counts, 200);
      },
    );
}
