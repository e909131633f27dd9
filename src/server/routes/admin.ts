/**
 * Administration: signing keys, API keys of the main system, and the audit log.
 */
import { z } from '@hono/zod-openapi';
import { credentialUseSchema } from '../../domain/credential/key-list';
import { lineText } from '../../domain/text';
import type { ServerDeps } from '../context';
import { clientAddress } from '../http/auth';
import { createRouter } from '../http/env';
import { ApiError } from '../http/errors';
import { communityParams, json, jsonBody, staffRoute } from '../http/routes';
import { apiScopeSchema, createApiKey, listApiKeys, revokeApiKey } from '../store/api-keys';
import { audit } from '../store/audit';
import { listKeys, rootKeyInfo, rotateSigningKey } from '../store/keys';
import { SyncWriter } from '../store/sync-rows';

const keySchema = z.object({
  id: z.string(),
  kind: z.enum(['root', 'signing']),
  kid: z.string(),
  notBefore: z.number(),
  notAfter: z.number(),
  uses: z.array(credentialUseSchema),
  createdAt: z.number(),
  retiredAt: z.number().nullable(),
});

export function adminRoutes(deps: ServerDeps) {
  const db = deps.store.db;
  return createRouter()
    .openapi(
      staffRoute(deps, 'key.manage', {
        method: 'get',
        path: '/communities/{communityId}/keys',
        tags: ['keys'],
        summary: "The community's root and signing keys (public parts) and the root fingerprint",
        request: { params: communityParams },
        responses: { 200: json(z.object({ fingerprint: z.string(), keys: z.array(keySchema) })) },
      }),
      async (c) => {
        const { communityId } = c.req.valid('param');
        const { fingerprint } = await rootKeyInfo(db, communityId);
        return c.json({ fingerprint, keys: await listKeys(db, communityId) }, 200);
      },
    )
    .openapi(
      staffRoute(deps, 'key.manage', {
        method: 'post',
        path: '/communities/{communityId}/keys/rotate',
        tags: ['keys'],
        summary:
          'Rotate the signing key: a new key signs from now on; codes signed earlier stay valid',
        request: {
          params: communityParams,
          ...jsonBody(z.object({ uses: z.array(credentialUseSchema).min(1).optional() }).strict()),
        },
        responses: { 200: json(z.object({ seq: z.number(), keys: z.array(keySchema) })) },
      }),
      async (c) => {
        const { communityId } = c.req.valid('param');
        const { uses } = c.req.valid('json');
        const now = deps.now();
        const staff = c.get('staff');
        const seq = await db.transaction().execute(async (trx) => {
          await rotateSigningKey(
            trx,
            deps.masterKey,
            await SyncWriter.open(trx, communityId, now),
            now,
            uses,
          );
          await audit(trx, now, {
            communityId,
            actor: { type: 'staff', id: staff.id, ip: clientAddress(c) },
            action: 'key.rotate',
            targetType: 'community',
            targetId: communityId,
          });
          const r = await trx
            .selectFrom('key_list')
            .select((eb) => eb.fn.max('seq').as('seq'))
            .where('community_id', '=', communityId)
            .executeTakeFirstOrThrow();
          return Number(r.seq);
        });
        return c.json({ seq, keys: await listKeys(db, communityId) }, 200);
      },
    )
    .openapi(
      staffRoute(deps, 'apikey.manage', {
        method: 'get',
        path: '/communities/{communityId}/api-keys',
        tags: ['integration'],
        summary: 'API keys of the main system (never their secrets)',
        request: { params: communityParams },
        responses: {
          200: json(
            z.object({
              apiKeys: z.array(
                z.object({
                  id: z.string(),
                  name: z.string(),
                  scopes: z.array(apiScopeSchema),
                  createdAt: z.number(),
                  revokedAt: z.number().nullable(),
                  lastUsedAt: z.number().nullable(),
                }),
              ),
            }),
          ),
        },
      }),
      async (c) =>
        c.json({ apiKeys: await listApiKeys(db, c.req.valid('param').communityId) }, 200),
    )
    .openapi(
      staffRoute(deps, 'apikey.manage', {
        method: 'post',
        path: '/communities/{communityId}/api-keys',
        tags: ['integration'],
        summary: 'Create an API key; the key is shown in this answer only',
        request: {
          params: communityParams,
          ...jsonBody(
            z
              .object({
                name: lineText(60).pipe(z.string().min(1)),
                scopes: z.array(apiScopeSchema).min(1),
              })
              .strict(),
          ),
        },
        responses: { 201: json(z.object({ id: z.string(), key: z.string() })) },
      }),
      async (c) => {
        const { communityId } = c.req.valid('param');
        const body = c.req.valid('json');
        const now = deps.now();
        const staff = c.get('staff');
        const created = await db.transaction().execute(async (trx) => {
          const k = await createApiKey(trx, now, {
            communityId,
            name: body.name,
            scopes: body.scopes,
            createdBy: staff.id,
          });
          await audit(trx, now, {
            communityId,
            actor: { type: 'staff', id: staff.id, ip: clientAddress(c) },
            action: 'apikey.create',
            targetType: 'api_key',
            targetId: k.id,
            detail: { scopes: body.scopes },
          });
          return k;
        });
        return c.json(created, 201);
      },
    )
    .openapi(
      staffRoute(deps, 'apikey.manage', {
        method: 'post',
        path: '/communities/{communityId}/api-keys/{apiKeyId}/revoke',
        tags: ['integration'],
        summary: 'Revoke an API key at once',
        request: { params: communityParams.extend({ apiKeyId: z.string().max(40) }) },
        responses: { 204: { description: 'Revoked' } },
      }),
      async (c) => {
        const { communityId, apiKeyId } = c.req.valid('param');
        const now = deps.now();
        const staff = c.get('staff');
        await db.transaction().execute(async (trx) => {
          if (!(await revokeApiKey(trx, now, communityId, apiKeyId)))
            throw new ApiError(404, 'not_found', 'no such active API key');
          await audit(trx, now, {
            communityId,
            actor: { type: 'staff', id: staff.id, ip: clientAddress(c) },
            action: 'apikey.revoke',
            targetType: 'api_key',
            targetId: apiKeyId,
          });
        });
        return c.body(null, 204);
      },
    )
    .openapi(
      staffRoute(deps, 'audit.read', {
        method: 'get',
        path: '/communities/{communityId}/audit',
        tags: ['audit'],
        summary: 'The audit log of a community, newest first',
        request: {
          params: communityParams,
          query: z.object({
            before: z.coerce.number().int().optional(),
            action: z.string().max(60).optional(),
            limit: z.coerce.number().int().min(1).max(500).default(100),
          }),
        },
        responses: {
          200: json(
            z.object({
              entries: z.array(
                z.object({
                  id: z.string(),
                  actorType: z.string(),
                  actorId: z.string(),
                  action: z.string(),
                  targetType: z.string(),
                  targetId: z.string(),
                  detail: z.record(z.string(), z.unknown()),
                  at: z.number(),
                  ip: z.string(),
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
          .selectFrom('audit')
          .selectAll()
          .where('community_id', '=', communityId)
          .orderBy('at', 'desc')
          .orderBy('id', 'desc')
          .limit(q.limit);
        if (q.before !== undefined) query = query.where('at', '<', q.before);
        if (q.action) query = query.where('action', '=', q.action);
        const rows = await query.execute();
        return c.json(
          {
            entries: rows.map((r) => ({
              id: r.id,
              actorType: r.actor_type,
              actorId: r.actor_id,
              action: r.action,
              targetType: r.target_type,
              targetId: r.target_id,
              detail: JSON.parse(r.detail) as Record<string, unknown>,
              at: r.at,
              ip: r.ip,
            })),
          },
          200,
        );
      },
    );
}
