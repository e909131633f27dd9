/**
 * Who is calling, and may they. Three kinds of caller, each on its own routes:
 * - staff, by the session cookie, with a role per community (src/domain/permissions.ts);
 * - kiosk devices, by their bearer token; a revoked device is refused at once;
 * - the main property-management system, by an API key with scopes.
 * Routes declare what they need in their OpenAPI entry (`security`, `x-permission`), and the
 * authorisation test walks the OpenAPI document to try each route with the wrong caller.
 */
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { can, type Permission } from '../../domain/permissions';
import type { ServerDeps } from '../context';
import { resolveApiKey, type ApiScope } from '../store/api-keys';
import { findDeviceByToken, touchDevice } from '../store/devices';
import { resolveSession } from '../store/staff';
import type { AppEnv } from './env';
import { ApiError } from './errors';

export const SESSION_COOKIE = 'gp_session';

function bearer(header: string | undefined): string | undefined {
  const m = /^Bearer ([A-Za-z0-9_.-]{20,200})$/.exec(header ?? '');
  return m?.[1];
}

/** The community a route works on, from its path; NaN when the route has none. */
export function communityParam(c: { req: { param(name: string): string | undefined } }): number {
  const raw = c.req.param('communityId');
  return raw !== undefined && /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
}

/**
 * A signed-in staff member; with a permission, one they hold in the route's community (or, for
 * routes outside any community, in at least one).
 */
export function requireStaff(deps: ServerDeps, permission?: Permission): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    const staff = token ? await resolveSession(deps.store.db, deps.now(), token) : undefined;
    if (!staff) throw new ApiError(401, 'unauthorized', 'sign in first');
    if (permission) {
      const communityId = communityParam(c);
      const roles = Number.isNaN(communityId)
        ? staff.roles
        : staff.roles.filter((r) => r.communityId === communityId);
      if (!roles.some((r) => can(r.role, permission))) {
        throw new ApiError(403, 'forbidden', `this needs the ${permission} permission`);
      }
    }
    c.set('staff', staff);
    await next();
  };
}

export function requireDevice(deps: ServerDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearer(c.req.header('authorization'));
    const device = token ? await findDeviceByToken(deps.store.db, token) : undefined;
    if (!device) throw new ApiError(401, 'unauthorized', 'unknown device');
    if (device.revoked_at !== null)
      throw new ApiError(403, 'device_revoked', 'this kiosk was revoked by the office');
    await touchDevice(deps.store.db, deps.now(), device);
    c.set('device', device);
    await next();
  };
}

export function requireApiKey(deps: ServerDeps, scope: ApiScope): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearer(c.req.header('authorization'));
    const key = token ? await resolveApiKey(deps.store.db, deps.now(), token) : undefined;
    if (!key) throw new ApiError(401, 'unauthorized', 'unknown or revoked API key');
    if (!key.scopes.includes(scope))
      throw new ApiError(403, 'forbidden', `this key lacks the ${scope} scope`);
    c.set('apiKey', key);
    await next();
  };
}

/**
 * The caller's address for throttling and the audit log. X-Forwarded-For is believed only when
 * the server is told it sits behind a proxy (GATEPOST_TRUST_PROXY), since anyone can send it.
 */
export function addressOf(
  c: { req: { header(name: string): string | undefined }; env: unknown },
  trustProxy: boolean,
): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)
    ?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}

export function clientAddress(c: { get(key: 'ip'): string }): string {
  return c.get('ip');
}
