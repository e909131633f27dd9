/**
 * Staff sign-in and the one-time setup of the first administrator.
 */
import { z } from '@hono/zod-openapi';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { ROLES } from '../../domain/permissions';
import { lineText, secretText } from '../../domain/text';
import type { ServerDeps } from '../context';
import { DUMMY_PASSWORD_HASH, verifyPassword } from '../crypto/secrets';
import { clientAddress, SESSION_COOKIE } from '../http/auth';
import { createRouter } from '../http/env';
import { ApiError } from '../http/errors';
import { json, jsonBody, publicRoute, staffRoute } from '../http/routes';
import { audit } from '../store/audit';
import { listCommunities } from '../store/communities';
import {
  clearFailures,
  consumeSetupToken,
  countStaff,
  createSession,
  createStaff,
  deleteSession,
  findStaffByUsername,
  getStaff,
  isBlocked,
  recordFailure,
  resolveSession,
  SESSION_IDLE_MS,
  THROTTLE,
} from '../store/staff';

export const passwordSchema = secretText(200).pipe(z.string().min(8, 'at least 8 characters'));
export const usernameSchema = z
  .string()
  .trim()
  .min(2)
  .max(40)
  .regex(/^[a-zA-Z0-9_.-]+$/, 'letters, digits, _ . - only');

const meSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  communities: z.array(z.object({ id: z.number(), name: z.string(), role: z.enum(ROLES) })),
});

async function me(
  deps: ServerDeps,
  staff: {
    id: string;
    username: string;
    displayName: string;
    roles: Array<{ communityId: number; role: (typeof ROLES)[number] }>;
  },
) {
  const communities = await listCommunities(
    deps.store.db,
    staff.roles.map((r) => r.communityId),
  );
  return {
    id: staff.id,
    username: staff.username,
    displayName: staff.displayName,
    communities: communities.map((c) => ({
      id: c.id,
      name: c.name,
      role: staff.roles.find((r) => r.communityId === c.id)!.role,
    })),
  };
}

export function authRoutes(deps: ServerDeps) {
  const secure = deps.publicUrl?.startsWith('https:') ?? false;
  const startSession = async (c: Parameters<typeof setCookie>[0], staffId: string, ip: string) => {
    const token = await createSession(deps.store.db, deps.now(), staffId, ip);
    setCookie(c, SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'Strict',
      secure,
      path: '/',
      maxAge: SESSION_IDLE_MS / 1000,
    });
  };

  return createRouter()
    .openapi(
      publicRoute({
        method: 'get',
        path: '/setup/status',
        tags: ['staff'],
        summary: 'Whether the first administrator still has to be created',
        responses: { 200: json(z.object({ needed: z.boolean() })) },
      }),
      async (c) => c.json({ needed: (await countStaff(deps.store.db)) === 0 }, 200),
    )
    .openapi(
      publicRoute({
        method: 'post',
        path: '/setup',
        tags: ['staff'],
        summary: 'Create the first administrator with the one-time setup token printed at start',
        request: jsonBody(
          z
            .object({
              token: z.string().regex(/^[A-Za-z0-9_-]{10,100}$/, 'not a setup token'),
              username: usernameSchema,
              displayName: lineText(40).pipe(z.string().min(1)),
              password: passwordSchema,
            })
            .strict(),
        ),
        responses: { 201: json(meSchema, 'The administrator, signed in') },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const now = deps.now();
        const staff = await deps.store.db.transaction().execute(async (trx) => {
          if ((await countStaff(trx)) > 0 || !(await consumeSetupToken(trx, now, body.token))) {
            throw new ApiError(403, 'setup_closed', 'the setup link is used, expired or unknown');
          }
          const communities = await listCommunities(trx);
          const created = await createStaff(trx, now, {
            username: body.username,
            displayName: body.displayName,
            password: body.password,
            roles: communities.map((cm) => ({ communityId: cm.id, role: 'admin' as const })),
          });
          await audit(trx, now, {
            communityId: null,
            actor: { type: 'staff', id: created.id, ip: clientAddress(c) },
            action: 'staff.setup',
            targetType: 'staff',
            targetId: created.id,
          });
          return created;
        });
        await startSession(c, staff.id, clientAddress(c));
        return c.json(await me(deps, staff), 201);
      },
    )
    .openapi(
      publicRoute({
        method: 'post',
        path: '/auth/sign-in',
        tags: ['staff'],
        summary: 'Sign in; sets the session cookie. Throttled per account and per address.',
        request: jsonBody(
          z.object({ username: lineText(100), password: secretText(200) }).strict(),
        ),
        responses: { 200: json(meSchema, 'Signed in') },
      }),
      async (c) => {
        const { username, password } = c.req.valid('json');
        const now = deps.now();
        const db = deps.store.db;
        const ip = clientAddress(c);
        const accountKey = `account:${username.trim().toLowerCase()}`;
        const addressKey = `address:${ip}`;
        const blockedUntil = Math.max(
          await isBlocked(db, now, accountKey),
          await isBlocked(db, now, addressKey),
        );
        if (blockedUntil > 0) {
          c.header('Retry-After', String(Math.ceil((blockedUntil - now) / 1000)));
          throw new ApiError(429, 'too_many_attempts', 'too many failed sign-ins; try again later');
        }
        const row = await findStaffByUsername(db, username);
        // Checked even for an unknown account, so the answer takes as long either way.
        const good = await verifyPassword(password, row?.password_hash ?? DUMMY_PASSWORD_HASH);
        if (!row || !good || row.disabled === 1) {
          await recordFailure(db, now, accountKey, THROTTLE.account);
          await recordFailure(db, now, addressKey, THROTTLE.address);
          throw new ApiError(401, 'bad_credentials', 'wrong user name or password');
        }
        await clearFailures(db, accountKey);
        await startSession(c, row.id, ip);
        const staff = await getStaff(db, row.id);
        return c.json(await me(deps, staff!), 200);
      },
    )
    .openapi(
      staffRoute(deps, null, {
        method: 'post',
        path: '/auth/sign-out',
        tags: ['staff'],
        summary: 'End this session',
        responses: { 204: { description: 'Signed out' } },
      }),
      async (c) => {
        const token = getCookie(c, SESSION_COOKIE);
        if (token) await deleteSession(deps.store.db, token);
        deleteCookie(c, SESSION_COOKIE, { path: '/' });
        return c.body(null, 204);
      },
    )
    .openapi(
      publicRoute({
        method: 'get',
        path: '/auth/session',
        tags: ['staff'],
        summary:
          'The signed-in staff member, or null: lets the office console start without a 401 when nobody is signed in',
        responses: { 200: json(z.object({ account: meSchema.nullable() })) },
      }),
      async (c) => {
        const token = getCookie(c, SESSION_COOKIE);
        const staff = token ? await resolveSession(deps.store.db, deps.now(), token) : undefined;
        return c.json({ account: staff ? await me(deps, staff) : null }, 200);
      },
    )
    .openapi(
      staffRoute(deps, null, {
        method: 'get',
        path: '/auth/me',
        tags: ['staff'],
        summary: 'The signed-in staff member and their communities and roles',
        responses: { 200: json(meSchema) },
      }),
      async (c) => c.json(await me(deps, c.get('staff')), 200),
    );
}
