/**
 * Every route in /api/openapi.json, tried by callers that must be refused: nobody, a staff member
 * whose role lacks the permission, an administrator of another community, an expired session, a
 * revoked or unknown device, a revoked API key or one without the scope. Each must answer 401 or
 * 403, and nothing in the database may change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { ROLE_PERMISSIONS, ROLES, type Permission } from '../../../src/domain/permissions';
import { hashToken, randomToken } from '../../../src/server/crypto/secrets';
import {
  apiKey,
  createTestServer,
  enrollKiosk,
  seedCommunity,
  type TestServer,
} from '../../support/server';
import { exampleOf, fillPath, listRoutes, type ApiRoute } from '../../support/openapi';
import { storePhoto } from '../../../src/server/store/photos';

let server: TestServer;
let routes: ApiRoute[];
let a: Awaited<ReturnType<typeof seedCommunity>>;
let b: Awaited<ReturnType<typeof seedCommunity>>;
let params: Record<string, string>;
const headersFor: Record<string, Record<string, string>> = {};

/** Row counts of every table and the communities' counters: equal before and after means nothing was written. */
async function snapshot(): Promise<string> {
  const tables = [
    'community',
    'staff',
    'staff_role',
    'session',
    'setup_token',
    'audit',
    'signing_key',
    'key_list',
    'device',
    'enrollment_code',
    'installation',
    'api_key',
    'sync_row',
    'household',
    'resident',
    'key_household',
    'key_household_change',
    'event',
    'dead_letter',
    'photo',
    'event_household',
    'care_resident',
    'outing',
    'incident',
    'incident_image',
    'guard',
    'guard_shift',
  ] as const;
  const counts: Record<string, unknown> = {};
  for (const t of tables) {
    counts[t] = Number(
      (
        await server.store.db
          .selectFrom(t)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  }
  counts.versions = await server.store.db
    .selectFrom('community')
    .select(['id', 'version', 'event_version', 'epoch'])
    .orderBy('id')
    .execute();
  counts.devices = await server.store.db
    .selectFrom('device')
    .select(['id', 'revoked_at'])
    .orderBy('id')
    .execute();
  counts.staff = await server.store.db
    .selectFrom('staff')
    .select(['id', 'password_hash', 'disabled'])
    .orderBy('id')
    .execute();
  return JSON.stringify(counts);
}

function urlOf(route: ApiRoute): string {
  return fillPath(route, params);
}

async function call(route: ApiRoute, headers: Record<string, string>): Promise<Response> {
  const body = route.body ? JSON.stringify(exampleOf(route.body)) : undefined;
  return server.request(urlOf(route), {
    method: route.method,
    headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body } : {}),
  });
}

async function expectRefused(route: ApiRoute, headers: Record<string, string>, statuses: number[]) {
  const before = await snapshot();
  const res = await call(route, headers);
  expect(
    statuses,
    `${route.method} ${route.path} answered ${res.status}: ${await res.clone().text()}`,
  ).toContain(res.status);
  const body = (await res.json()) as { error?: { code?: string } };
  expect(body.error?.code).toBeTruthy();
  expect(await snapshot(), `${route.method} ${route.path} wrote something`).toBe(before);
}

beforeAll(async () => {
  server = await createTestServer('sqlite');
  a = await seedCommunity(server, '阳光花园');
  b = await seedCommunity(server, '翠湖苑');
  const kiosk = await enrollKiosk(server, a.as('admin'), a.community.id);
  const revokedKiosk = await enrollKiosk(server, a.as('admin'), a.community.id, '旧平板');
  await server.request(
    `/api/communities/${a.community.id}/devices/${revokedKiosk.deviceId}/revoke`,
    { method: 'POST', headers: a.as('admin') },
  );
  const key = await apiKey(server, a.as('admin'), a.community.id, ['events:read']);
  const revokedKey = await apiKey(server, a.as('admin'), a.community.id, [
    'households:write',
    'residents:write',
    'key_households:write',
    'events:read',
    'invitations:write',
    'slips:consent',
  ]);
  await server.request(`/api/communities/${a.community.id}/api-keys/${revokedKey.id}/revoke`, {
    method: 'POST',
    headers: a.as('admin'),
  });

  // An expired session of A's administrator.
  const expired = randomToken();
  const adminRow = await server.store.db
    .selectFrom('staff')
    .select('id')
    .where('username', '=', `admin${a.community.id}`)
    .executeTakeFirstOrThrow();
  await server.store.db
    .insertInto('session')
    .values({
      token_hash: hashToken(expired),
      staff_id: adminRow.id,
      created_at: server.clock.now - 13 * 3600_000,
      expires_at: server.clock.now - 3600_000,
      last_seen_at: server.clock.now - 13 * 3600_000,
      ip: '',
    })
    .execute();

  const clerkRow = await server.store.db
    .selectFrom('staff')
    .select('id')
    .where('username', '=', `clerk${a.community.id}`)
    .executeTakeFirstOrThrow();
  const photo = await storePhoto(
    server.store.db,
    server.clock.now,
    a.community.id,
    randomBytes(100),
    'image/jpeg',
  );
  params = {
    communityId: String(a.community.id),
    deviceId: kiosk.deviceId,
    staffId: clerkRow.id,
    apiKeyId: key.id,
    hash: photo,
  };
  Object.assign(headersFor, {
    expiredSession: { cookie: `gp_session=${expired}` },
    otherAdmin: b.as('admin'),
    revokedDevice: revokedKiosk.auth,
    unknownDevice: { authorization: `Bearer ${randomToken()}` },
    revokedKey: revokedKey.auth,
    narrowKey: key.auth,
    kiosk: kiosk.auth,
  });
  routes = await listRoutes(server);
});
afterAll(() => server.close());

describe('the route list', () => {
  it('every route the server answers is in the OpenAPI document, with who may call it', async () => {
    const documented = new Set(
      routes.map((r) => `${r.method} ${r.path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const served = server.app.routes
      .filter(
        (r) => r.path.startsWith('/api/') && r.method !== 'ALL' && r.path !== '/api/openapi.json',
      )
      .map((r) => `${r.method} ${r.path}`);
    expect(served.length).toBeGreaterThan(20);
    for (const route of served)
      expect(documented, `${route} is not in the OpenAPI document`).toContain(route);
    for (const r of routes) {
      if (r.caller === 'session' && r.path !== '/api/auth/me' && r.path !== '/api/auth/sign-out') {
        expect(r.permission, `${r.method} ${r.path} declares no permission`).toBeTruthy();
      }
      if (r.caller === 'apiKey')
        expect(r.scope, `${r.method} ${r.path} declares no scope`).toBeTruthy();
    }
  });
});

describe('every protected route refuses', () => {
  it('a caller without credentials', async () => {
    for (const route of routes.filter((r) => r.caller !== 'public'))
      await expectRefused(route, {}, [401]);
  });

  it('an expired staff session', async () => {
    for (const route of routes.filter((r) => r.caller === 'session'))
      await expectRefused(route, headersFor.expiredSession!, [401]);
  });

  it('a staff member whose role lacks the permission', async () => {
    let tried = 0;
    for (const route of routes.filter((r) => r.caller === 'session' && r.permission)) {
      for (const role of ROLES) {
        if (ROLE_PERMISSIONS[role].has(route.permission as Permission)) continue;
        await expectRefused(route, a.as(role), [403]);
        tried++;
      }
    }
    expect(tried).toBeGreaterThan(10);
  });

  it("an administrator of another community, on this community's resources", async () => {
    for (const route of routes.filter((r) => r.caller === 'session' && r.hasCommunity)) {
      await expectRefused(route, headersFor.otherAdmin!, [403]);
    }
  });

  it('a revoked device, and a device token nobody issued', async () => {
    for (const route of routes.filter((r) => r.caller === 'device')) {
      await expectRefused(route, headersFor.revokedDevice!, [403]);
      await expectRefused(route, headersFor.unknownDevice!, [401]);
    }
  });

  it('a kiosk on staff and integration routes', async () => {
    for (const route of routes.filter((r) => r.caller === 'session' || r.caller === 'apiKey')) {
      await expectRefused(route, headersFor.kiosk!, [401]);
    }
  });

  it('a revoked API key, and a key without the scope', async () => {
    for (const route of routes.filter((r) => r.caller === 'apiKey')) {
      await expectRefused(route, headersFor.revokedKey!, [401]);
      if (route.scope !== 'events:read') await expectRefused(route, headersFor.narrowKey!, [403]);
    }
  });
});
