/**
 * Incident records (《突发事件处理记录表》) in the office: the list, one record with its three
 * signatures and photos (read by supervisors, audited), and the images themselves, which only
 * those allowed to read incidents can fetch.
 */
import { z } from '@hono/zod-openapi';
import { INCIDENT_ACTIONS, INCIDENT_TYPES } from '../../domain/incident';
import type { ServerDeps } from '../context';
import { clientAddress } from '../http/auth';
import { createRouter } from '../http/env';
import { ApiError } from '../http/errors';
import { communityParams, json, staffRoute } from '../http/routes';
import { audit } from '../store/audit';
import { getIncident, listIncidents, readIncidentImage } from '../store/incidents';

const signedBy = z.object({ guard: z.string(), supervisor: z.string(), resident: z.string() });
const summary = z.object({
  id: z.string(),
  type: z.enum(INCIDENT_TYPES),
  householdId: z.string().nullable(),
  unit: z.string(),
  occurredAt: z.number(),
  recordedAt: z.number(),
  deviceName: z.string(),
  guardId: z.string().nullable(),
  signedBy,
  photoCount: z.number(),
});
const signature = z.object({ name: z.string(), image: z.string() });
const detail = summary.extend({
  people: z.string(),
  happened: z.string(),
  actions: z.array(z.enum(INCIDENT_ACTIONS)),
  actionsNote: z.string(),
  signatures: z.object({ guard: signature, supervisor: signature, resident: signature }),
  photos: z.array(z.string()),
});
const incidentParams = communityParams.extend({ incidentId: z.string().regex(/^[0-9A-Z]{26}$/) });

export function incidentRoutes(deps: ServerDeps) {
  const db = deps.store.db;
  return createRouter()
    .openapi(
      staffRoute(deps, 'incident.read', {
        method: 'get',
        path: '/communities/{communityId}/incidents',
        tags: ['incidents'],
        summary: 'Incident records by when they happened, newest first',
        request: {
          params: communityParams,
          query: z.object({
            from: z.coerce.number().int().min(0).optional(),
            to: z.coerce.number().int().min(0).optional(),
            limit: z.coerce.number().int().min(1).max(1000).default(200),
          }),
        },
        responses: { 200: json(z.object({ incidents: z.array(summary) })) },
      }),
      async (c) => {
        const { communityId } = c.req.valid('param');
        return c.json(
          { incidents: await listIncidents(db, communityId, c.req.valid('query')) },
          200,
        );
      },
    )
    .openapi(
      staffRoute(deps, 'incident.read', {
        method: 'get',
        path: '/communities/{communityId}/incidents/{incidentId}',
        tags: ['incidents'],
        summary:
          'One incident record: what happened, actions taken, the three signatures and the photos (by hash); audited',
        request: { params: incidentParams },
        responses: { 200: json(detail) },
      }),
      async (c) => {
        const { communityId, incidentId } = c.req.valid('param');
        const now = deps.now();
        const r = await db.transaction().execute(async (trx) => {
          const incident = await getIncident(trx, communityId, incidentId);
          if (!incident) throw new ApiError(404, 'not_found', 'no such incident');
          await audit(trx, now, {
            communityId,
            actor: { type: 'staff', id: c.get('staff').id, ip: clientAddress(c) },
            action: 'incident.read',
            targetType: 'incident',
            targetId: incidentId,
          });
          return incident;
        });
        return c.json(r, 200);
      },
    )
    .openapi(
      staffRoute(deps, 'incident.read', {
        method: 'get',
        path: '/communities/{communityId}/incidents/{incidentId}/images/{hash}',
        tags: ['incidents'],
        summary: 'A signature (PNG) or photo (JPEG) of an incident record, by its SHA-256',
        request: {
          params: incidentParams.extend({
            hash: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in hex'),
          }),
        },
        responses: {
          200: {
            description: 'The image',
            content: {
              'image/png': { schema: z.string().openapi({ format: 'binary' }) },
              'image/jpeg': { schema: z.string().openapi({ format: 'binary' }) },
            },
          },
        },
      }),
      async (c) => {
        const { communityId, incidentId, hash } = c.req.valid('param');
        const image = await readIncidentImage(db, communityId, incidentId, hash);
        if (!image) throw new ApiError(404, 'not_found', 'no such image');
        return c.body(new Uint8Array(image.bytes), 200, {
          'content-type': image.content_type,
          'cache-control': 'private, no-store',
        });
      },
    );
}
