/**
 * Kiosk devices as the office manages them, and the kiosk's side of enrollment.
 */
import { z } from '@hono/zod-openapi';
import { SYNC_SCHEMA_VERSION } from '../../domain/sync/protocol';
import { lineText } from '../../domain/text';
import type { ServerDeps } from '../context';
import { clientAddress } from '../http/auth';
import { createRouter } from '../http/env';
import { ApiError } from '../http/errors';
import { communityParams, json, jsonBody, publicRoute, staffRoute } from '../http/routes';
import { audit } from '../store/audit';
import { createEnrollmentCode, enrollDevice, listDevices, revokeDevice } from '../store/devices';
import { sequenceGaps } from '../store/events';
import { rootKeyInfo } from '../store/keys';

const deviceSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.number(),
  revokedAt: z.number().nullable(),
  lastSeenAt: z.number().nullable(),
  lastPullAt: z.number().nullable(),
  lastPushAt: z.number().nullable(),
  appVersion: z.string(),
  pendingEvents: z.number(),
  storage: z.object({
    usage: z.number().optional(),
    quota: z.number().optional(),
    persisted: z.boolean().optional(),
  }),
  installations: z.array(
    z.object({
      id: z.string(),
      current: z.boolean(),
      firstSeenAt: z.number(),
      replacedAt: z.number().nullable(),
      maxSeq: z.number(),
      eventCount: z.number(),
      missing: z.number(),
    }),
  ),
});

const deviceParams = communityParams.extend({ deviceId: z.string().max(40) });

/** The kiosk URL an enrollment QR holds (DESIGN §3.5): a tablet's camera app opens it directly. */
export function enrollmentUrl(base: string, code: string, fingerprint: string): string {
  const url = new URL('/', base);
  url.searchParams.set('enroll', code);
  url.searchParams.set('fp', fingerprint);
  return url.toString();
}

export function deviceRoutes(deps: ServerDeps) {
  const db = deps.store.db;
  return createRouter()
    .openapi(
      staffRoute(deps, 'device.read', {
        method: 'get',
        path: '/communities/{communityId}/devices',
        tags: ['devices'],
        summary:
          'Kiosks of the community: last seen, app version, pending events, last pull, installations',
        request: { params: communityParams },
        responses: { 200: json(z.object({ devices: z.array(deviceSchema) })) },
      }),
      async (c) =>
        c.json({ devices: await listDevices(db, c.req.valid('param').communityId) }, 200),
    )
    .openapi(
      staffRoute(deps, 'device.manage', {
        method: 'post',
        path: '/communities/{communityId}/devices/enrollments',
        tags: ['devices'],
        summary:
          'A one-time enrollment code for a new kiosk (30 minutes), with the URL its QR holds',
        request: {
          params: communityParams,
          ...jsonBody(z.object({ name: lineText(40).pipe(z.string().min(1)) }).strict()),
        },
        responses: {
          201: json(
            z.object({
              code: z.string(),
              expiresAt: z.number(),
              url: z.string(),
              fingerprint: z.string(),
            }),
          ),
        },
      }),
      async (c) => {
        const { communityId } = c.req.valid('param');
        const { name } = c.req.valid('json');
        const now = deps.now();
        const staff = c.get('staff');
        const created = await db.transaction().execute(async (trx) => {
          const r = await createEnrollmentCode(trx, now, communityId, name, staff.id);
          await audit(trx, now, {
            communityId,
            actor: { type: 'staff', id: staff.id, ip: clientAddress(c) },
            action: 'device.enrollment_code',
            targetType: 'device',
            targetId: name,
          });
          return r;
        });
        const { fingerprint } = await rootKeyInfo(db, communityId);
        const base = deps.publicUrl ?? new URL(c.req.url).origin;
        return c.json(
          { ...created, fingerprint, url: enrollmentUrl(base, created.code, fingerprint) },
          201,
        );
      },
    )
    .openapi(
      staffRoute(deps, 'device.manage', {
        method: 'post',
        path: '/communities/{communityId}/devices/{deviceId}/revoke',
        tags: ['devices'],
        summary: 'Revoke a kiosk: it is refused at once and stops syncing',
        request: { params: deviceParams },
        responses: { 204: { description: 'Revoked' } },
      }),
      async (c) => {
        const { communityId, deviceId } = c.req.valid('param');
        const now = deps.now();
        const staff = c.get('staff');
        await db.transaction().execute(async (trx) => {
          if (!(await revokeDevice(trx, now, communityId, deviceId, staff.id))) {
            throw new ApiError(404, 'not_found', 'no such active device in this community');
          }
          await audit(trx, now, {
            communityId,
            actor: { type: 'staff', id: staff.id, ip: clientAddress(c) },
            action: 'device.revoke',
            targetType: 'device',
            targetId: deviceId,
          });
        });
        return c.body(null, 204);
      },
    )
    .openapi(
      staffRoute(deps, 'device.read', {
        method: 'get',
        path: '/communities/{communityId}/devices/{deviceId}/gaps',
        tags: ['devices'],
        summary: "Events of each of the device's installations that never arrived (sequence gaps)",
        request: { params: deviceParams },
        responses: {
          200: json(
            z.object({
              installations: z.array(
                z.object({
                  id: z.string(),
                  replacedAt: z.number().nullable(),
                  maxSeq: z.number(),
                  gaps: z.array(z.object({ from: z.number(), to: z.number() })),
                }),
              ),
            }),
          ),
        },
      }),
      async (c) => {
        const { communityId, deviceId } = c.req.valid('param');
        const installations = await db
          .selectFrom('installation')
          .selectAll()
          .where('community_id', '=', communityId)
          .where('device_id', '=', deviceId)
          .orderBy('first_seen_at')
          .orderBy('id')
          .execute();
        if (installations.length === 0) {
          const exists = await db
            .selectFrom('device')
            .select('id')
            .where('id', '=', deviceId)
            .where('community_id', '=', communityId)
            .executeTakeFirst();
          if (!exists) throw new ApiError(404, 'not_found', 'no such device in this community');
        }
        const out = [];
        for (const i of installations) {
          out.push({
            id: i.id,
            replacedAt: i.replaced_at,
            maxSeq: i.max_seq,
            gaps: await sequenceGaps(db, i.id),
          });
        }
        return c.json({ installations: out }, 200);
      },
    )
    .openapi(
      publicRoute({
        method: 'post',
        path: '/enroll',
        tags: ['sync'],
        summary: 'A kiosk exchanges a one-time enrollment code for its device credential',
        request: jsonBody(
          z
            .object({
              code: z.string().regex(/^[0-9A-Za-z -]{12,20}$/, 'not an enrollment code'),
              appVersion: lineText(40).default(''),
              schema: z.number().int().default(SYNC_SCHEMA_VERSION),
            })
            .strict(),
        ),
        responses: {
          201: json(
            z.object({
              deviceId: z.string(),
              name: z.string(),
              token: z.string(),
              communityId: z.number(),
              rootPublicKey: z.string(),
              fingerprint: z.string(),
              serverTime: z.number(),
            }),
          ),
        },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const now = deps.now();
        const result = await db.transaction().execute(async (trx) => {
          const r = await enrollDevice(trx, now, body.code, body.appVersion);
          if (r.ok) {
            await audit(trx, now, {
              communityId: r.communityId,
              actor: { type: 'device', id: r.deviceId, ip: clientAddress(c) },
              action: 'device.enroll',
              targetType: 'device',
              targetId: r.deviceId,
            });
          }
          return r;
        });
        if (!result.ok) {
          const message = {
            unknown: 'this enrollment code is not known',
            used: 'this enrollment code was already used',
            expired: 'this enrollment code has expired',
          }[result.reason];
          throw new ApiError(403, `enrollment_${result.reason}`, message);
        }
        const root = await rootKeyInfo(db, result.communityId);
        return c.json(
          {
            deviceId: result.deviceId,
            name: result.name,
            token: result.token,
            communityId: result.communityId,
            rootPublicKey: root.publicKey,
            fingerprint: root.fingerprint,
            serverTime: Math.floor(now / 1000),
          },
          201,
        );
      },
    );
}
