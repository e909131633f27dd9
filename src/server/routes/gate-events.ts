/**
 * The office's view of raw gate events and of the events the server refused (the dead letter).
 * The registers (visitors, passages, slips…) are kept as their own tables by their features.
 */
import { z } from '@hono/zod-openapi';
import type { ServerDeps } from '../context';
import { createRouter } from '../http/env';
import { householdLabel } from '../../domain/household';
import { ApiError } from '../http/errors';
import { communityParams, json, staffRoute } from '../http/routes';
import { getHousehold } from '../store/households';

export function gateEventRoutes(deps: ServerDeps) {
  const db = deps.store.db;
  return createRouter()
    .openapi(
      staffRoute(deps, 'events.read', {
        method: 'get',
        path: '/communities/{communityId}/events',
        tags: ['registers'],
        summary: 'Gate events by time (newest first), optionally of one type or one device',
        request: {
          params: communityParams,
          query: z.object({
            type: z.string().max(40).optional(),
            deviceId: z.string().max(40).optional(),
            from: z.coerce.number().int().optional(),
            to: z.coerce.number().int().optional(),
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
                  deviceId: z.string(),
                  guardId: z.string().nullable(),
                  receivedAt: z.number(),
                  payload: z.record(z.string(), z.unknown()),
                }),
              ),
            }),
          ),
        },
      }),
      async (c) => {
        const { communityId } = c.req.valid('param');
        const q = c.req.valid('query');
        let query = db
          .selectFrom('event')
          .selectAll()
          .where('community_id', '=', communityId)
          .orderBy('at', 'desc')
          .limit(q.limit);
        if (q.type) query = query.where('type', '=', q.type);
        if (q.deviceId) query = query.where('device_id', '=', q.deviceId);
        if (q.from !== undefined) query = query.where('at', '>=', q.from);
        if (q.to !== undefined) query = query.where('at', '<', q.to);
        const rows = await query.execute();
        return c.json(
          {
            events: rows.map((r) => ({
              id: r.id,
              type: r.type,
              at: r.at,
              deviceId: r.device_id,
              guardId: r.guard_id,
              receivedAt: r.received_at,
              payload: JSON.parse(r.payload) as Record<string, unknown>,
            })),
          },
          200,
        );
      },
    )
    .openapi(
      staffRoute(deps, 'events.read', {
        method: 'get',
        path: '/communities/{communityId}/dead-letters',
        tags: ['registers'],
        summary: 'Gate events the server refused, with the reason, newest first',
        request: {
          params: communityParams,
          query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) }),
        },
        responses: {
          200: json(
            z.object({
              deadLetters: z.array(
                z.object({
                  id: z.string(),
                  deviceId: z.string(),
                  installationId: z.string(),
                  seq: z.number(),
                  type: z.string(),
                  reason: z.string(),
                  receivedAt: z.number(),
                }),
              ),
            }),
          ),
        },
      }),
      async (c) => {
        const { communityId } = c.req.valid('param');
        const rows = await db
          .selectFrom('dead_letter')
          .select(['id', 'device_id', 'installation_id', 'seq', 'type', 'reason', 'received_at'])
          .where('community_id', '=', communityId)
          .orderBy('received_at', 'desc')
          .limit(c.req.valid('query').limit)
          .execute();
        return c.json(
          {
            deadLetters: rows.map((r) => ({
              id: r.id,
              deviceId: r.device_id,
              installationId: r.installation_id,
              seq: r.seq,
              type: r.type,
              reason: r.reason,
              receivedAt: r.received_at,
            })),
          },
          200,
        );
      },
    )
    .openapi(
      staffRoute(deps, 'events.read', {
        method: 'get',
        path: '/communities/{communityId}/households/{householdId}/events',
        tags: ['registers'],
        summary:
          'Every gate event of one household (passages, visitors, slips, outings, incidents), by time, between two dates (procedure 4.3.2.2)',
        request: {
          params: communityParams.extend({ householdId: z.string().min(1).max(64) }),
          query: z.object({
            from: z.coerce.number().int().min(0).optional(),
            to: z.coerce.number().int().min(0).optional(),
            limit: z.coerce.number().int().min(1).max(1000).default(500),
          }),
        },
        responses: {
          200: json(
            z.object({
              label: z.string(),
              events: z.array(
                z.object({
                  id: z.string(),
                  type: z.string(),
                  at: z.number(),
                  deviceName: z.string(),
                  guardId: z.string().nullable(),
                  /** The guard on duty when it was recorded, by the office's guard list. */
                  guardName: z.string().nullable(),
                  payload: z.record(z.string(), z.unknown()),
                }),
              ),
            }),
          ),
        },
      }),
      async (c) => {
        const { communityId, householdId } = c.req.valid('param');
        const q = c.req.valid('query');
        const household = await getHousehold(db, communityId, householdId);
        if (!household) throw new ApiError(404, 'not_found', 'no such household in this community');
        let query = db
          .selectFrom('event_household as x')
          .innerJoin('event as e', 'e.id', 'x.event_id')
          .innerJoin('device as d', 'd.id', 'e.device_id')
          .leftJoin('guard as g', (j) =>
            j.onRef('g.id', '=', 'e.guard_id').onRef('g.community_id', '=', 'e.community_id'),
          )
          .select([
            'e.id',
            'e.type',
            'e.at',
            'e.guard_id',
            'e.payload',
            'd.name',
            'g.name as guard_name',
          ])
          .where('x.community_id', '=', communityId)
          .where('x.household_id', '=', householdId)
          .orderBy('x.at', 'asc')
          .limit(q.limit);
        if (q.from !== undefined) query = query.where('x.at', '>=', q.from);
        if (q.to !== undefined) query = query.where('x.at', '<', q.to);
        const rows = await query.execute();
        return c.json(
          {
            label: householdLabel(household),
            events: rows.map((r) => ({
              id: r.id,
              type: r.type,
              at: r.at,
              deviceName: r.name,
              guardId: r.guard_id,
              guardName: r.guard_name,
              payload: JSON.parse(r.payload) as Record<string, unknown>,
            })),
          },
          200,
        );
      },
    );
}
