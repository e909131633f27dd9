/**
 * The outing record (出门备案) in the office: residents under it (only with their or their
 * family's consent on file), their state (out, overdue, not seen for N days, the delivery
 * reminder) and the outing register the gates feed.
 */
import { z } from '@hono/zod-openapi';
import { careResidentInputSchema } from '../../domain/care';
import type { ServerDeps } from '../context';
import { newId } from '../context';
import { clientAddress } from '../http/auth';
import { createRouter, type AppEnv } from '../http/env';
import { ApiError } from '../http/errors';
import { communityParams, json, jsonBody, staffRoute } from '../http/routes';
import { audit, type Actor } from '../store/audit';
import {
  getCareResident,
  listCareResidents,
  listOutings,
  removeCareResident,
  saveCareResident,
} from '../store/care';
import { getHousehold } from '../store/households';
import { SyncWriter } from '../store/sync-rows';
import type { Context } from 'hono';

const openOuting = z.object({
  outingId: z.string(),
  outAt: z.number(),
  expectedBack: z.number(),
  takenBy: z.string(),
  note: z.string(),
});

const residentSchema = z.object({
  id: z.string(),
  householdId: z.string(),
  householdLabel: z.string(),
  label: z.string(),
  consentBy: z.enum(['resident', 'family']),
  consentNote: z.string(),
  notSeenDays: z.number(),
  dueDate: z.string().nullable(),
  reminder: z.object({ from: z.string(), until: z.string() }).nullable(),
  since: z.number(),
  lastSeenAt: z.number().nullable(),
  open: openOuting.nullable(),
  overdue: z.boolean(),
  notSeen: z.boolean(),
});

const residentParams = communityParams.extend({
  residentId: z.string().regex(/^[0-9A-Za-z_-]{1,64}$/),
});

export function careRoutes(deps: ServerDeps) {
  const db = deps.store.db;
  const actor = (c: Context<AppEnv>): Actor => ({
    type: 'staff',
    id: c.get('staff').id,
    ip: clientAddress(c),
  });

  return createRouter()
    .openapi(
      staffRoute(deps, 'care.read', {
        method: 'get',
        path: '/communities/{communityId}/care-residents',
        tags: ['outings'],
        summary:
          'Residents under the outing record, with whether they are out, overdue or not seen for their N days',
        request: { params: communityParams },
        responses: { 200: json(z.object({ items: z.array(residentSchema) })) },
      }),
      async (c) => {
        const { communityId } = c.req.valid('param');
        return c.json({ items: await listCareResidents(db, communityId, deps.now()) }, 200);
      },
    )
    .openapi(
      staffRoute(deps, 'care.write', {
        method: 'post',
        path: '/communities/{communityId}/care-residents',
        tags: ['outings'],
        summary:
          'Put a resident under the outing record, with the consent recorded (by the resident or their family)',
        request: { params: communityParams, ...jsonBody(careResidentInputSchema) },
        responses: { 201: json(z.object({ id: z.string() })) },
      }),
      async (c) => {
        const { communityId } = c.req.valid('param');
        const input = c.req.valid('json');
        const now = deps.now();
        const who = actor(c);
        const id = newId(now);
        await db.transaction().execute(async (trx) => {
          if (!(await getHousehold(trx, communityId, input.householdId)))
            throw new ApiError(404, 'not_found', 'no such household in this community', [
              { path: 'householdId', message: 'no such household in this community' },
            ]);
          await saveCareResident(
            trx,
            await SyncWriter.open(trx, communityId, now),
            now,
            who.id,
            id,
            input,
            true,
          );
          await audit(trx, now, {
            communityId,
            actor: who,
            action: 'care.add',
            targetType: 'care_resident',
            targetId: id,
            detail: { householdId: input.householdId, consentBy: input.consentBy },
          });
        });
        return c.json({ id }, 201);
      },
    )
    .openapi(
      staffRoute(deps, 'care.write', {
        method: 'put',
        path: '/communities/{communityId}/care-residents/{residentId}',
        tags: ['outings'],
        summary: "Change a resident's outing record (name for the gate, consent, N days, due date)",
        request: { params: residentParams, ...jsonBody(careResidentInputSchema) },
        responses: { 200: json(z.object({ id: z.string() })) },
      }),
      async (c) => {
        const { communityId, residentId } = c.req.valid('param');
        const input = c.req.valid('json');
        const now = deps.now();
        const who = actor(c);
        await db.transaction().execute(async (trx) => {
          const current = await getCareResident(trx, communityId, residentId);
          if (!current) throw new ApiError(404, 'not_found', 'no such resident under the record');
          if (!(await getHousehold(trx, communityId, input.householdId)))
            throw new ApiError(404, 'not_found', 'no such household in this community', [
              { path: 'householdId', message: 'no such household in this community' },
            ]);
          await saveCareResident(
            trx,
            await SyncWriter.open(trx, communityId, now),
            now,
            who.id,
            residentId,
            input,
            false,
          );
          await audit(trx, now, {
            communityId,
            actor: who,
            action: 'care.change',
            targetType: 'care_resident',
            targetId: residentId,
          });
        });
        return c.json({ id: residentId }, 200);
      },
    )
    .openapi(
      staffRoute(deps, 'care.write', {
        method: 'delete',
        path: '/communities/{communityId}/care-residents/{residentId}',
        tags: ['outings'],
        summary:
          'Take a resident off the outing record (consent withdrawn, moved away): the gates forget them',
        request: { params: residentParams },
        responses: { 204: { description: 'Removed' } },
      }),
      async (c) => {
        const { communityId, residentId } = c.req.valid('param');
        const now = deps.now();
        const who = actor(c);
        await db.transaction().execute(async (trx) => {
          const removed = await removeCareResident(
            trx,
            await SyncWriter.open(trx, communityId, now),
            residentId,
          );
          if (!removed) throw new ApiError(404, 'not_found', 'no such resident under the record');
          await audit(trx, now, {
            communityId,
            actor: who,
            action: 'care.remove',
            targetType: 'care_resident',
            targetId: residentId,
          });
        });
        return c.body(null, 204);
      },
    )
    .openapi(
      staffRoute(deps, 'care.read', {
        method: 'get',
        path: '/communities/{communityId}/outings',
        tags: ['outings'],
        summary: 'The outing register (out at, expected back, taken by, back at), newest first',
        request: {
          params: communityParams,
          query: z.object({
            from: z.coerce.number().int().min(0).optional(),
            to: z.coerce.number().int().min(0).optional(),
            residentId: z.string().max(64).optional(),
            limit: z.coerce.number().int().min(1).max(1000).default(200),
          }),
        },
        responses: {
          200: json(
            z.object({
              outings: z.array(
                z.object({
                  id: z.string(),
                  residentId: z.string(),
                  label: z.string(),
                  householdLabel: z.string(),
                  outAt: z.number(),
                  expectedBack: z.number(),
                  takenBy: z.string(),
                  note: z.string(),
                  backAt: z.number().nullable(),
                  outGuardId: z.string().nullable(),
                  backGuardId: z.string().nullable(),
                }),
              ),
            }),
          ),
        },
      }),
      async (c) => {
        const { communityId } = c.req.valid('param');
        return c.json({ outings: await listOutings(db, communityId, c.req.valid('query')) }, 200);
      },
    );
}
