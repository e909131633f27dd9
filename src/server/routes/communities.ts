/**
 * Communities, their settings, and their staff.
 */
import { z } from '@hono/zod-openapi';
import { communitySettingsSchema, isValidTimeZone } from '../../domain/community';
import { ROLES } from '../../domain/permissions';
import { lineText } from '../../domain/text';
import type { ServerDeps } from '../context';
import { clientAddress } from '../http/auth';
import { createRouter } from '../http/env';
import { ApiError } from '../http/errors';
import { communityParams, json, jsonBody, staffRoute } from '../http/routes';
import { audit } from '../store/audit';
import { createCommunity, getCommunity, updateCommunity } from '../store/communities';
import {
  createStaff,
  findStaffByUsername,
  getStaff,
  listStaffOf,
  setPassword,
} from '../store/staff';
import { passwordSchema, usernameSchema } from './auth';

const settingsInput = communitySettingsSchema
  .partial()
  .strict()
  .refine((s) => s.timeZone === undefined || isValidTimeZone(s.timeZone), {
    message: 'not a known time zone',
    path: ['timeZone'],
  });

const communitySchema = z.object({
  id: z.number(),
  name: z.string(),
  settings: communitySettingsSchema,
});
const staffMemberSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  disabled: z.boolean(),
  role: z.enum(ROLES),
});

export function communityRoutes(deps: ServerDeps) {
  const db = deps.store.db;
  const actor = (c: Parameters<typeof clientAddress>[0] & { get(k: 'staff'): { id: string } }) => ({
    type: 'staff' as const,
    id: c.get('staff').id,
    ip: clientAddress(c),
  });

  return createRouter()
    .openapi(
      staffRoute(deps, 'community.manage', {
        method: 'post',
        path: '/communities',
        tags: ['communities'],
        summary:
          'Create a community (an administrator of any community may); its keys are made with it',
        request: jsonBody(
          z
            .object({
              name: lineText(100).pipe(z.string().min(1)),
              settings: settingsInput.optional(),
            })
            .strict(),
        ),
        responses: { 201: json(communitySchema, 'Created; the caller is its administrator') },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const now = deps.now();
        const community = await createCommunity(db, deps.masterKey, now, {
          name: body.name,
          settings: body.settings,
        });
        await db.transaction().execute(async (trx) => {
          await trx
            .insertInto('staff_role')
            .values({ staff_id: c.get('staff').id, community_id: community.id, role: 'admin' })
            .execute();
          await audit(trx, now, {
            communityId: community.id,
            actor: actor(c),
            action: 'community.create',
            targetType: 'community',
            targetId: community.id,
          });
        });
        return c.json(community, 201);
      },
    )
    .openapi(
      staffRoute(deps, 'community.read', {
        method: 'get',
        path: '/communities/{communityId}',
        tags: ['communities'],
        summary: 'A community and its settings',
        request: { params: communityParams },
        responses: { 200: json(communitySchema) },
      }),
      async (c) => {
        const community = await getCommunity(db, c.req.valid('param').communityId);
        if (!community) throw new ApiError(404, 'not_found', 'no such community');
        return c.json(community, 200);
      },
    )
    .openapi(
      staffRoute(deps, 'community.manage', {
        method: 'patch',
        path: '/communities/{communityId}',
        tags: ['communities'],
        summary: 'Rename a community or change its settings (thresholds reach the gates by sync)',
        request: {
          params: communityParams,
          ...jsonBody(
            z
              .object({
                name: lineText(100).pipe(z.string().min(1)).optional(),
                settings: settingsInput.optional(),
              })
              .strict(),
          ),
        },
        responses: { 200: json(communitySchema) },
      }),
      async (c) => {
        const { communityId } = c.req.valid('param');
        const body = c.req.valid('json');
        const now = deps.now();
        const community = await db.transaction().execute(async (trx) => {
          const updated = await updateCommunity(trx, deps.masterKey, now, communityId, body);
          await audit(trx, now, {
            communityId,
            actor: actor(c),
            action: 'community.update',
            targetType: 'community',
            targetId: communityId,
            detail: body,
          });
          return updated;
        });
        return c.json(community, 200);
      },
    )
    .openapi(
      staffRoute(deps, 'staff.manage', {
        method: 'get',
        path: '/communities/{communityId}/staff',
        tags: ['staff'],
        summary: 'Staff members of a community with their roles',
        request: { params: communityParams },
        responses: { 200: json(z.object({ staff: z.array(staffMemberSchema) })) },
      }),
      async (c) => {
        const rows = await listStaffOf(db, c.req.valid('param').communityId);
        return c.json(
          {
            staff: rows.map((r) => ({
              id: r.id,
              username: r.username,
              displayName: r.display_name,
              disabled: r.disabled === 1,
              role: r.role as (typeof ROLES)[number],
            })),
          },
          200,
        );
      },
    )
    .openapi(
      staffRoute(deps, 'staff.manage', {
        method: 'post',
        path: '/communities/{communityId}/staff',
        tags: ['staff'],
        summary: 'Add a staff member to a community (creating the account if it is new)',
        request: {
          params: communityParams,
          ...jsonBody(
            z
              .object({
                username: usernameSchema,
                displayName: lineText(40).pipe(z.string().min(1)),
                role: z.enum(ROLES),
                password: passwordSchema.optional(),
              })
              .strict(),
          ),
        },
        responses: { 201: json(staffMemberSchema) },
      }),
      async (c) => {
        const { communityId } = c.req.valid('param');
        const body = c.req.valid('json');
        const now = deps.now();
        const member = await db.transaction().execute(async (trx) => {
          const existing = await findStaffByUsername(trx, body.username);
          let id: string;
          if (existing) {
            const roles = await trx
              .selectFrom('staff_role')
              .select('role')
              .where('staff_id', '=', existing.id)
              .where('community_id', '=', communityId)
              .executeTakeFirst();
            if (roles)
              throw new ApiError(409, 'exists', 'this account already belongs to the community');
            await trx
              .insertInto('staff_role')
              .values({ staff_id: existing.id, community_id: communityId, role: body.role })
              .execute();
            id = existing.id;
          } else {
            if (!body.password)
              throw new ApiError(400, 'invalid_input', 'password: required for a new account', [
                { path: 'password', message: 'required for a new account' },
              ]);
            id = (
              await createStaff(trx, now, {
                username: body.username,
                displayName: body.displayName,
                password: body.password,
                roles: [{ communityId, role: body.role }],
              })
            ).id;
          }
          await audit(trx, now, {
            communityId,
            actor: actor(c),
            action: 'staff.add',
            targetType: 'staff',
            targetId: id,
            detail: { role: body.role },
          });
          return (await getStaff(trx, id))!;
        });
        return c.json(
          {
            id: member.id,
            username: member.username,
            displayName: member.displayName,
            disabled: member.disabled,
            role: body.role,
          },
          201,
        );
      },
    )
    .openapi(
      staffRoute(deps, 'staff.manage', {
        method: 'patch',
        path: '/communities/{communityId}/staff/{staffId}',
        tags: ['staff'],
        summary:
          "Change a staff member's role in this community, disable the account, or set a new password",
        request: {
          params: communityParams.extend({ staffId: z.string().max(40) }),
          ...jsonBody(
            z
              .object({
                role: z.enum(ROLES).optional(),
                disabled: z.boolean().optional(),
                password: passwordSchema.optional(),
              })
              .strict(),
          ),
        },
        responses: { 200: json(staffMemberSchema) },
      }),
      async (c) => {
        const { communityId, staffId } = c.req.valid('param');
        const body = c.req.valid('json');
        const now = deps.now();
        const member = await db.transaction().execute(async (trx) => {
          const role = await trx
            .selectFrom('staff_role')
            .select('role')
            .where('staff_id', '=', staffId)
            .where('community_id', '=', communityId)
            .executeTakeFirst();
          if (!role) throw new ApiError(404, 'not_found', 'no such staff member in this community');
          if (body.role)
            await trx
              .updateTable('staff_role')
              .set({ role: body.role })
              .where('staff_id', '=', staffId)
              .where('community_id', '=', communityId)
              .execute();
          if (body.disabled !== undefined) {
            await trx
              .updateTable('staff')
              .set({ disabled: body.disabled ? 1 : 0 })
              .where('id', '=', staffId)
              .execute();
            if (body.disabled)
              await trx.deleteFrom('session').where('staff_id', '=', staffId).execute();
          }
          if (body.password) await setPassword(trx, now, staffId, body.password);
          await audit(trx, now, {
            communityId,
            actor: actor(c),
            action: 'staff.update',
            targetType: 'staff',
            targetId: staffId,
            detail: {
              role: body.role,
              disabled: body.disabled,
              passwordChanged: body.password !== undefined,
            },
          });
          const staff = (await getStaff(trx, staffId))!;
          return { ...staff, role: body.role ?? (role.role as (typeof ROLES)[number]) };
        });
        return c.json(
          {
            id: member.id,
            username: member.username,
            displayName: member.displayName,
            disabled: member.disabled,
            role: member.role,
          },
          200,
        );
      },
    );
}
