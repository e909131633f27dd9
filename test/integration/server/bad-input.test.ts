/**
 * Every write route in /api/openapi.json, called by a caller it accepts, with bad input: a body
 * that is not JSON, an unknown field, each field of the wrong type, each text field holding a
 * control character, and a body too large. Each must answer 4xx with the one error shape naming
 * the field, and write nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestServer,
  enrollKiosk,
  apiKey,
  seedCommunity,
  type TestServer,
} from '../../support/server';
import {
  exampleOf,
  fillPath,
  isStringSchema,
  listRoutes,
  wrongTypeFor,
  type ApiRoute,
} from '../../support/openapi';
import { MAX_BODY_BYTES } from '../../../src/server/app';

let server: TestServer;
let writes: ApiRoute[];
let headers: Record<string, Record<string, string>>;
let params: Record<string, string>;

async function snapshot(): Promise<string> {
  const out: Record<string, number> = {};
  for (const t of [
    'community',
    'staff',
    'staff_role',
    'audit',
    'device',
    'enrollment_code',
    'api_key',
    'sync_row',
    'household',
    'event',
    'dead_letter',
    'signing_key',
  ] as const) {
    out[t] = Number(
      (
        await server.store.db
          .selectFrom(t)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  }
  const versions = await server.store.db
    .selectFrom('community')
    .select(['version', 'event_version'])
    .execute();
  return JSON.stringify({ out, versions });
}

async function send(route: ApiRoute, body: string) {
  const url = fillPath(route, params);
  return server.request(url, {
    method: route.method,
    headers: { ...headers[route.caller], 'content-type': 'application/json' },
    body,
  });
}

async function expectBadInput(route: ApiRoute, body: string, field: string | null, status = 400) {
  const before = await snapshot();
  const res = await send(route, body);
  const text = await res.text();
  expect(res.status, `${route.method} ${route.path} with ${body.slice(0, 80)}: ${text}`).toBe(
    status,
  );
  const json = JSON.parse(text) as {
    error: { code: string; message: string; fields?: Array<{ path: string }> };
  };
  expect(json.error.code).toBeTruthy();
  expect(text).not.toMatch(/at .*\.(ts|js):\d+/); // no stack traces
  if (field !== null) {
    const paths = (json.error.fields ?? []).map((f) => f.path);
    expect(
      paths.some((p) => p.split('.').includes(field) || p === field),
      `${route.method} ${route.path}: ${field} not named in ${paths.join(', ')}`,
    ).toBe(true);
  }
  expect(await snapshot(), `${route.method} ${route.path} wrote something`).toBe(before);
}

beforeAll(async () => {
  server = await createTestServer('sqlite');
  const seeded = await seedCommunity(server);
  const kiosk = await enrollKiosk(server, seeded.as('admin'), seeded.community.id);
  const key = await apiKey(server, seeded.as('admin'), seeded.community.id, [
    'households:write',
    'residents:write',
    'key_households:write',
    'events:read',
    'invitations:write',
    'slips:consent',
  ]);
  const clerk = await server.store.db
    .selectFrom('staff')
    .select('id')
    .where('username', '=', `clerk${seeded.community.id}`)
    .executeTakeFirstOrThrow();
  headers = { public: {}, session: seeded.as('admin'), device: kiosk.auth, apiKey: key.auth };
  params = {
    communityId: String(seeded.community.id),
    deviceId: kiosk.deviceId,
    staffId: clerk.id,
    apiKeyId: key.id,
  };
  writes = (await listRoutes(server)).filter((r) => r.body);
});
afterAll(() => server.close());

describe('bad input on every write route', () => {
  it('covers the write routes', () => {
    expect(writes.length).toBeGreaterThan(12);
  });

  it('a body that is not JSON', async () => {
    for (const route of writes) await expectBadInput(route, '{"broken": ', '(body)');
  });

  it('an unknown field, named', async () => {
    for (const route of writes) {
      await expectBadInput(
        route,
        JSON.stringify({ ...(exampleOf(route.body!) as object), sneaky: 1 }),
        'sneaky',
      );
    }
  });

  it('each field of the wrong type, named', async () => {
    let checked = 0;
    for (const route of writes) {
      for (const [name, schema] of Object.entries(route.body!.properties ?? {})) {
        const body = { ...(exampleOf(route.body!) as object), [name]: wrongTypeFor(schema) };
        await expectBadInput(route, JSON.stringify(body), name);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(25);
  });

  it('each text field holding a control character, named', async () => {
    let checked = 0;
    for (const route of writes) {
      for (const [name, schema] of Object.entries(route.body!.properties ?? {})) {
        if (!isStringSchema(schema)) continue;
        const body = { ...(exampleOf(route.body!) as object), [name]: 'ok\u0007\u0000ok' };
        await expectBadInput(route, JSON.stringify(body), name);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('a body larger than the limit', async () => {
    const huge = JSON.stringify({ padding: 'x'.repeat(MAX_BODY_BYTES + 10) });
    for (const route of writes) await expectBadInput(route, huge, null, 413);
  });
});
