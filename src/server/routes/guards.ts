/**
 * Gate guards in the office (秩序维护员): the list (with who is on duty where), adding one with a
 * PIN, renaming, the supervisor flag, deactivating, and setting a new PIN; and the shift register
 * the gates feed. Every change is audited (never with the PIN) and reaches the gates as the `guard`
 * row in the same transaction. No answer holds a PIN or its hash.
 */
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { guardChangeSchema, guardCreateSchema, guardPinInputSchema } from '../../domain/guard';
import { SHIFT_END_REASONS } from '../../domain/shift';
import { GUARD_ROLES } from '../../domain/sync/tables';
import type { ServerDeps } from '../context';
import { newId } from '../context';
import { clientAddress } from '../http/auth';
import { createRouter, type AppEnv } from '../http/env';
import { ApiError } from '../http/errors';
import { communityParams, json, jsonBody, staffRoute } from '../http/routes';
import { audit, type Actor } from '../store/audit';
import { changeGuard, listGuards, saveGuards, setGuardPin } from '../store/guards';
import { listShifts, onDuty } from '../store/shifts';
import { SyncWriter } from '../store/sync-rows';

const guardSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(GUARD_ROLES),
  active: z.boolean(),
  pinSetAt: z.number(),
  createdAt: z.number(),
  updatedAt: z.number(),
});

const listedGuardSchema = guardSchema.extend({
  /** The gate where the guard's shift is running, and since when (ms); null when off duty. */
  onDuty: z.object({ deviceName: z.string(), since: z.number() }).nullable(),
});

const shiftSchema = z.object({
  id: z.string(),
  guardId: z.string(),
  guardName: z.string(),
  deviceId: z.string(),
  deviceName: z.string(),
  startedAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  endReason: z.enum(SHIFT_END_REASONS).nullable(),
  passages: z.number().nullable(),
});

const guardParams = communityParams.extend({
  guardId: z.string().regex(/^[0-9A-Za-z_-]{1,64}$/),
});

const noSuchGuard = () => new ApiError(404, 'not_found', 'no such guard in this community');

export function guardRoutes(deps: ServerDeps) {
  const db = deps.store.db;
  const actor = (c: Context<AppEnv>): Actor => ({
    type: 'staff',
    id: c.get('staff').id,
    ip: clientAddress(c),
  });

  return createRouter()
    .openapi(
      staffRoute(deps, 'guard.manage', {
        method: 'get',
        path: '/communities/{communityId}/guards',
        tags: ['guards'],
        summary:
          'The gate guards and supervisors, active first, with who is on duty where (never a PIN or its hash)',
        request: { params: communityParams },
        responses: { 200: json(z.object({ guards: z.array(listedGuardSchema) })) },
      }),
      async (c) => {
        const { communityId } = c.req.valid('param');
        const duty = await onDuty(db, communityId);
        const guards = (await listGuards(db, communityId)).map((g) => ({
          ...g,
          onDuty: duty.get(g.id) ?? null,
        }));
        return c.json({ guards }, 200);
      },
    )
    .openapi(
      staffRoute(deps, 'register.read', {
        method: 'get',
        path: '/communities/{communityId}/guard-shifts',
        tags: ['guards'],
        summary:
          'The shift register: who was on duty at which gate, from when to when, and the passages recorded meanwhile; newest first',
        request: {
          params: communityParams,
          query: z.object({
            from: z.coerce.number().int().min(0).optional(),
            to: z.coerce.number().int().min(0).optional(),
            guardId: z
              .string()
              .regex(/^[0-9A-Za-z_-]{1,64}$/)
              .optional(),
            limit: z.coerce.number().int().min(1).max(1000).default(100),
          }),
        },
        responses: { 200: json(z.object({ shifts: z.array(shiftSchema) })) },
      }),
      async (c) => {
        const { communityId } = c.req.valid('param');
        const shifts = await listShifts(db, communityId, c.req.valid('query'));
        return c.json({ shifts }, 200);
      },
    )
    .openapi(
      staffRoute(deps, 'guard.manage', {
        method: 'post',
        path: '/communities/{communityId}/guards',
        tags: ['guards'],
        summary: 'Add a guard with the PIN they start a shift with; the gates receive its hash',
        request: { params: communityParams, ...jsonBody(guardCreateSchema) },
        responses: { 201: json(z.object({ id: z.string() })) },
      }),
      async (c) => {
        const { communityId } = c.req.valid('param');
        const input = c.req.valid('json');
        const now = deps.now();
        const who = actor(c);
        const id = newId(now);
        await db.transaction().execute(async (trx) => {
          const writer = await SyncWriter.open(trx, communityId, now);
          await saveGuards(trx, writer, now, who.id, [{ id, ...input }]);
          await audit(trx, now, {
            communityId,
            actor: who,
            action: 'guard.add',
            targetType: 'guard',
            targetId: id,
            detail: { name: input.name, role: input.role },
          });
        });
        return c.json({ id }, 201);
      },
    )
    .openapi(
      staffRoute(deps, 'guard.manage', {
        method: 'patch',
        path: '/communities/{communityId}/guards/{guardId}',
        tags: ['guards'],
        summary:
          'Rename a guard, make them a supervisor or not, or deactivate them (their PIN stops working at every gate)',
        request: { params: guardParams, ...jsonBody(guardChangeSchema) },
        responses: { 200: json(guardSchema) },
      }),
      async (c) => {
        const { communityId, guardId } = c.req.valid('param');
        const change = c.req.valid('json');
        const now = deps.now();
        const who = actor(c);
        const after = await db.transaction().execute(async (trx) => {
          const writer = await SyncWriter.open(trx, communityId, now);
          const done = await changeGuard(trx, writer, now, who.id, guardId, change);
          if (!done) throw noSuchGuard();
          const changed = (['name', 'role', 'active'] as const).filter(
            (k) => done.before[k] !== done.after[k],
          );
          await audit(trx, now, {
            communityId,
            actor: who,
            action: 'guard.change',
            targetType: 'guard',
            targetId: guardId,
            detail: Object.fromEntries(
              changed.map((k) => [k, { from: done.before[k], to: done.after[k] }]),
            ),
          });
          return done.after;
        });
        return c.json(after, 200);
      },
    )
    .openapi(
      staffRoute(deps, 'guard.manage', {
        method: 'put',
        path: '/communities/{communityId}/guards/{guardId}/pin',
        tags: ['guards'],
        summary:
          "Set a guard's new PIN (forgotten, or told to someone): the old one stops working at every gate once synced",
        request: { params: guardParams, ...jsonBody(guardPinInputSchema) },
        responses: { 204: { description: 'Set' } },
      }),
      async (c) => {
        const { communityId, guardId } = c.req.valid('param');
        const { pin } = c.req.valid('json');
        const now = deps.now();
        const who = actor(c);
        await db.transaction().execute(async (trx) => {
          const writer = await SyncWriter.open(trx, communityId, now);
          if (!(await setGuardPin(trx, writer, now, who.id, guardId, pin))) throw noSuchGuard();
          await audit(trx, now, {
            communityId,
            actor: who,
            action: 'guard.pin',
            targetType: 'guard',
            targetId: guardId,
          });
        });
        return c.body(null, 204);
      },
    );
}
