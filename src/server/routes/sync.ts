/**
 * The kiosk's side of sync (DESIGN §3.4): pull pages, wait for a change, push events, announce
 * an installation. Every route needs a device credential; a revoked device is refused.
 */
import { z } from '@hono/zod-openapi';
import {
  installationRequestSchema,
  pullQuerySchema,
  pullResponseSchema,
  pushRequestSchema,
  pushResponseSchema,
  SYNC_SCHEMA_VERSION,
  waitQuerySchema,
  waitResponseSchema,
} from '../../domain/sync/protocol';
import type { ServerDeps } from '../context';
import { createRouter } from '../http/env';
import { ApiError } from '../http/errors';
import { deviceRoute, json, jsonBody } from '../http/routes';
import { registerInstallation, touchDevice } from '../store/devices';
import { ingestEvents } from '../store/events';
import { readPhoto } from '../store/photos';
import { readHeads, readPage, revocationHead } from '../store/sync-rows';

/** How often a waiting request looks at the head; the revocation-to-gate time is bounded by it. */
export const WAIT_POLL_MS = 500;

function checkSchema(schema: number): void {
  if (schema !== SYNC_SCHEMA_VERSION) {
    throw new ApiError(
      409,
      'update_required',
      `this server speaks sync schema ${SYNC_SCHEMA_VERSION}`,
    );
  }
}

export function syncRoutes(deps: ServerDeps) {
  const db = deps.store.db;
  return createRouter()
    .openapi(
      deviceRoute(deps, {
        method: 'get',
        path: '/sync/pull',
        tags: ['sync'],
        summary: 'One page of office → gate changes after the cursor, or `reset`',
        request: { query: pullQuerySchema },
        responses: { 200: json(pullResponseSchema) },
      }),
      async (c) => {
        const q = c.req.valid('query');
        checkSchema(q.schema);
        const device = c.get('device');
        const now = deps.now();
        const page = await readPage(db, device.community_id, q, Math.floor(now / 1000));
        if (page.kind === 'changes' && !page.hasMore)
          await touchDevice(db, now, device, { last_pull_at: now });
        // Bytes, not a string: a Response made from a string of megabytes is scanned for lone
        // surrogates first, which cost as much as building it.
        // The bytes are a PullResponse's JSON (readPage builds it so), which the types cannot see.
        return c.body(Buffer.from(page.json), 200, {
          'content-type': 'application/json',
        }) as never;
      },
    )
    .openapi(
      deviceRoute(deps, {
        method: 'get',
        path: '/sync/wait',
        tags: ['sync'],
        summary:
          'Long-poll: answers when the community changes past `head`, or after `wait` seconds',
        request: { query: waitQuerySchema },
        responses: { 200: json(waitResponseSchema) },
      }),
      async (c) => {
        const { head, wait } = c.req.valid('query');
        const communityId = c.get('device').community_id;
        const deadline = Date.now() + wait * 1000;
        // Polling the database keeps the server stateless: any instance can answer any kiosk.
        for (;;) {
          const heads = await readHeads(db, communityId);
          if (heads.head !== head || Date.now() >= deadline || c.req.raw.signal.aborted) {
            return c.json(
              {
                head: heads.head,
                epoch: heads.epoch,
                revocationHead: await revocationHead(db, communityId),
              },
              200,
            );
          }
          await new Promise((r) => setTimeout(r, WAIT_POLL_MS));
        }
      },
    )
    .openapi(
      deviceRoute(deps, {
        method: 'post',
        path: '/sync/push',
        tags: ['sync'],
        summary:
          'Gate → office events; each is stored once and answered accepted, duplicate or rejected',
        request: jsonBody(pushRequestSchema),
        responses: { 200: json(pushResponseSchema) },
      }),
      async (c) => {
        const req = c.req.valid('json');
        checkSchema(req.schema);
        const device = c.get('device');
        const now = deps.now();
        const outcome = await db.transaction().execute(async (trx) => {
          const r = await ingestEvents(trx, now, device, req);
          await trx
            .updateTable('device')
            .set({
              last_push_at: now,
              last_seen_at: now,
              pending_events: req.pending,
              ...(req.appVersion ? { app_version: req.appVersion } : {}),
            })
            .where('id', '=', device.id)
            .execute();
          return r;
        });
        return c.json({ results: outcome.results, serverTime: Math.floor(now / 1000) }, 200);
      },
    )
    .openapi(
      deviceRoute(deps, {
        method: 'get',
        path: '/sync/photos/{hash}',
        tags: ['sync'],
        summary: 'A photo of this community by its SHA-256 (the hash a card row names)',
        request: {
          params: z.object({
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
        const photo = await readPhoto(db, c.get('device').community_id, c.req.valid('param').hash);
        if (!photo) throw new ApiError(404, 'not_found', 'no such photo');
        // Content-addressed: the bytes behind a hash never change.
        return c.body(new Uint8Array(photo.bytes), 200, {
          'content-type': photo.content_type,
          'cache-control': 'private, max-age=31536000, immutable',
        });
      },
    )
    .openapi(
      deviceRoute(deps, {
        method: 'post',
        path: '/sync/installations',
        tags: ['sync'],
        summary: 'A kiosk announces its installation (a new one after its storage was wiped)',
        request: jsonBody(installationRequestSchema),
        responses: {
          200: json(z.object({ replaced: z.string().nullable(), serverTime: z.number() })),
        },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const now = deps.now();
        const device = c.get('device');
        const r = await db.transaction().execute((trx) =>
          registerInstallation(trx, now, device, body.installationId, {
            appVersion: body.appVersion,
            storage: body.storage,
          }),
        );
        return c.json({ replaced: r.replaced, serverTime: Math.floor(now / 1000) }, 200);
      },
    );
}
