/**
 * An in-process Gatepost server for tests: the real app over a real store, a controllable clock,
 * and helpers that act as an administrator, a kiosk or the main system.
 */
import { randomBytes } from 'node:crypto';
import { createApp, type GatepostApp } from '../../src/server/app';
import type { ServerDeps } from '../../src/server/context';
import { masterKeyFrom } from '../../src/server/crypto/secrets';
import { createCommunity } from '../../src/server/store/communities';
import { createStaff } from '../../src/server/store/staff';
import type { Role } from '../../src/domain/permissions';
import { openTestStore, type EngineName, type TestStore } from './stores';

export const START_MS = Date.UTC(2026, 10, 28, 2, 0, 0);

export interface TestServer {
  app: GatepostApp;
  deps: ServerDeps;
  store: TestStore;
  clock: { now: number; advance(ms: number): void };
  request(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

export async function createTestServer(engine: EngineName, store?: TestStore): Promise<TestServer> {
  const s = store ?? (await openTestStore(engine));
  const clock = {
    now: START_MS,
    advance(ms: number) {
      clock.now += ms;
    },
  };
  const deps: ServerDeps = {
    store: s,
    masterKey: masterKeyFrom(randomBytes(32)),
    now: () => clock.now,
    version: 'test',
    publicUrl: 'http://gatepost.test',
    // In-process requests have no socket; tests name the caller's address in X-Forwarded-For.
    trustProxy: true,
  };
  const app = createApp(deps);
  return {
    app,
    deps,
    store: s,
    clock,
    request: (path, init = {}) => {
      const { json, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (json !== undefined) headers.set('content-type', 'application/json');
      return Promise.resolve(
        app.request(`http://gatepost.test${path}`, {
          ...rest,
          headers,
          ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
        }),
      );
    },
    close: () => s.close(),
  };
}

/** A community with one staff member per role, signed in; cookies to send as each. */
export async function seedCommunity(server: TestServer, name = '阳光花园') {
  const community = await createCommunity(
    server.deps.store.db,
    server.deps.masterKey,
    server.clock.now,
    { name },
  );
  const sessions: Record<Role, string> = { admin: '', clerk: '', supervisor: '' };
  const signIn = async (role: Role) => {
    const res = await server.request('/api/auth/sign-in', {
      method: 'POST',
      json: { username: `${role}${community.id}`, password: 'correct horse battery' },
    });
    if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
    return /gp_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![1]!;
  };
  for (const role of ['admin', 'clerk', 'supervisor'] as const) {
    const username = `${role}${community.id}`;
    await createStaff(server.deps.store.db, server.clock.now, {
      username,
      displayName: username,
      password: 'correct horse battery',
      roles: [{ communityId: community.id, role }],
    });
    sessions[role] = await signIn(role);
  }
  const as = (role: Role) => ({ cookie: `gp_session=${sessions[role]}` });
  /** Signs everyone in again: sessions end after 12 idle hours, so after the clock jumps. */
  const signInAgain = async () => {
    for (const role of ['admin', 'clerk', 'supervisor'] as const)
      sessions[role] = await signIn(role);
  };
  return { community, sessions, as, signInAgain };
}

/** Enrolls a kiosk through the API; returns its bearer header. */
export async function enrollKiosk(
  server: TestServer,
  adminCookie: { cookie: string },
  communityId: number,
  name = '东门',
) {
  const code = await server.request(`/api/communities/${communityId}/devices/enrollments`, {
    method: 'POST',
    headers: adminCookie,
    json: { name },
  });
  const { code: enrollmentCode } = (await code.json()) as { code: string };
  const res = await server.request('/api/enroll', {
    method: 'POST',
    json: { code: enrollmentCode, appVersion: 'test' },
  });
  const body = (await res.json()) as {
    deviceId: string;
    token: string;
    rootPublicKey: string;
    fingerprint: string;
  };
  return { ...body, auth: { authorization: `Bearer ${body.token}` } };
}

/** Creates an API key with the given scopes; returns its bearer header. */
export async function apiKey(
  server: TestServer,
  adminCookie: { cookie: string },
  communityId: number,
  scopes: string[],
) {
  const res = await server.request(`/api/communities/${communityId}/api-keys`, {
    method: 'POST',
    headers: adminCookie,
    json: { name: 'main system', scopes },
  });
  const { key, id } = (await res.json()) as { key: string; id: string };
  return { id, auth: { authorization: `Bearer ${key}` } };
}
