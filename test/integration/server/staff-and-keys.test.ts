import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fromBase64Url } from '../../../src/domain/bytes';
import { issueCode } from '../../../src/domain/credential/code';
import {
  createTrustStore,
  verifyKeyList,
  type SignedKeyList,
} from '../../../src/domain/credential/key-list';
import { verifyCode } from '../../../src/domain/credential/verify';
import { pullResponseSchema } from '../../../src/domain/sync/protocol';
import { signerFor } from '../../../src/server/store/keys';
import { createSetupToken } from '../../../src/server/store/staff';
import { THROTTLE } from '../../../src/server/store/staff';
import {
  createTestServer,
  enrollKiosk,
  seedCommunity,
  type TestServer,
} from '../../support/server';

describe('staff accounts', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer('sqlite');
  });
  afterEach(() => server.close());

  const signIn = (username: string, password: string, ip = '203.0.113.9') =>
    server.request('/api/auth/sign-in', {
      method: 'POST',
      headers: { 'x-forwarded-for': ip },
      json: { username, password },
    });

  it('the one-time setup link creates the first administrator once, and signs them in', async () => {
    await seedCommunity(server).then(() => server.store.db.deleteFrom('staff').execute());
    await server.store.db.deleteFrom('staff_role').execute();
    expect(await (await server.request('/api/setup/status')).json()).toEqual({ needed: true });
    const token = await createSetupToken(server.store.db, server.clock.now);
    const body = {
      token,
      username: 'zhang.wei',
      displayName: '张伟',
      password: 'a long passphrase',
    };
    const res = await server.request('/api/setup', { method: 'POST', json: body });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      username: 'zhang.wei',
      communities: [{ role: 'admin' }],
    });
    expect(res.headers.get('set-cookie')).toMatch(/gp_session=.+HttpOnly/i);
    const again = await server.request('/api/setup', {
      method: 'POST',
      json: { ...body, username: 'mallory' },
    });
    expect(again.status).toBe(403);
    expect(await (await server.request('/api/setup/status')).json()).toEqual({ needed: false });
  });

  it('sign-in is throttled per account: after five failures even the right password waits', async () => {
    const { community } = await seedCommunity(server);
    const user = `clerk${community.id}`;
    for (let i = 0; i < THROTTLE.account.limit; i++)
      expect((await signIn(user, 'wrong password')).status).toBe(401);
    const blocked = await signIn(user, 'correct horse battery');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    server.clock.advance(THROTTLE.account.blockMs + 1);
    expect((await signIn(user, 'correct horse battery')).status).toBe(200);
  });

  it('sign-in is throttled per address across accounts', async () => {
    await seedCommunity(server);
    for (let i = 0; i < THROTTLE.address.limit; i++)
      await signIn(`nobody${i}`, 'wrong password', '198.51.100.7');
    expect((await signIn('admin1', 'correct horse battery', '198.51.100.7')).status).toBe(429);
  });

  it('a signed-out or expired session is refused; a disabled account loses its sessions', async () => {
    const seeded = await seedCommunity(server);
    const me = () => server.request('/api/auth/me', { headers: seeded.as('clerk') });
    expect((await me()).status).toBe(200);
    const clerk = await server.store.db
      .selectFrom('staff')
      .select('id')
      .where('username', '=', `clerk${seeded.community.id}`)
      .executeTakeFirstOrThrow();
    const off = await server.request(`/api/communities/${seeded.community.id}/staff/${clerk.id}`, {
      method: 'PATCH',
      headers: seeded.as('admin'),
      json: { disabled: true },
    });
    expect(off.status).toBe(200);
    expect((await me()).status).toBe(401);
    expect(
      (await server.request('/api/auth/me', { headers: seeded.as('supervisor') })).status,
    ).toBe(200);
    server.clock.advance(13 * 3600_000);
    expect(
      (await server.request('/api/auth/me', { headers: seeded.as('supervisor') })).status,
    ).toBe(401);
  });

  it('changes are written to the audit log with who made them', async () => {
    const seeded = await seedCommunity(server);
    await server.request(`/api/communities/${seeded.community.id}`, {
      method: 'PATCH',
      headers: seeded.as('admin'),
      json: { settings: { staleAmberHours: 12 } },
    });
    const res = await server.request(`/api/communities/${seeded.community.id}/audit`, {
      headers: seeded.as('admin'),
    });
    const { entries } = (await res.json()) as {
      entries: Array<{ action: string; actorType: string; detail: Record<string, unknown> }>;
    };
    expect(entries[0]).toMatchObject({
      action: 'community.update',
      actorType: 'staff',
      detail: { settings: { staleAmberHours: 12 } },
    });
  });
});

describe('signing keys', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer('sqlite');
  });
  afterEach(() => server.close());

  async function keyListOnGate(auth: Record<string, string>): Promise<SignedKeyList> {
    const page = pullResponseSchema.parse(
      await (await server.request('/api/sync/pull?tables=keyList', { headers: auth })).json(),
    );
    if (page.kind !== 'changes') throw new Error('reset');
    return (page.changes[0]!.data as { signed: SignedKeyList }).signed;
  }

  it('rotation: new codes use the new key, old codes still verify, and the list only moves forward', async () => {
    const seeded = await seedCommunity(server);
    const id = seeded.community.id;
    const kiosk = await enrollKiosk(server, seeded.as('admin'), id);
    const root = fromBase64Url(kiosk.rootPublicKey);
    const nowS = Math.floor(server.clock.now / 1000);
    const body = {
      type: 'card' as const,
      communityId: id,
      serial: 1,
      notBefore: nowS,
      expires: nowS + 86_400,
      window: { weekdays: 0x7f, startQuarter: 0, endQuarter: 96 },
    };
    const before = await signerFor(
      server.store.db,
      server.deps.masterKey,
      id,
      'card',
      server.clock.now,
    );
    const oldCode = await issueCode({ ...body, keyId: before.keyId }, before.privateKey);
    const first = await verifyKeyList(await keyListOnGate(kiosk.auth), root, { communityId: id });
    expect(first.ok).toBe(true);

    const rotated = await server.request(`/api/communities/${id}/keys/rotate`, {
      method: 'POST',
      headers: seeded.as('admin'),
      json: {},
    });
    expect(rotated.status).toBe(200);
    const after = await signerFor(
      server.store.db,
      server.deps.masterKey,
      id,
      'card',
      server.clock.now,
    );
    expect(Buffer.from(after.keyId).equals(Buffer.from(before.keyId))).toBe(false);
    const newCode = await issueCode({ ...body, serial: 2, keyId: after.keyId }, after.privateKey);

    const signed = await keyListOnGate(kiosk.auth);
    const second = await verifyKeyList(signed, root, {
      communityId: id,
      current: first.ok ? { seq: first.list.seq, payload: '' } : undefined,
    });
    expect(second).toMatchObject({ ok: true, list: { seq: 2 } });
    if (!second.ok || !first.ok) return;
    const trust = await createTrustStore(second.list);
    expect((await verifyCode(oldCode, { trust, now: nowS + 60, clockToleranceS: 0 })).reason).toBe(
      'ok',
    );
    expect((await verifyCode(newCode, { trust, now: nowS + 60, clockToleranceS: 0 })).reason).toBe(
      'ok',
    );
    // The gate refuses the first list once it holds the second.
    const firstStored = await server.store.db
      .selectFrom('key_list')
      .select(['payload', 'signature'])
      .where('seq', '=', 1)
      .executeTakeFirstOrThrow();
    const old = await verifyKeyList(firstStored, root, {
      communityId: id,
      current: { seq: second.list.seq, payload: signed.payload },
    });
    expect(old).toMatchObject({ ok: false, reason: 'rollback' });
  });

  it('private keys are stored sealed, never in clear', async () => {
    const { community } = await seedCommunity(server);
    const keys = await server.store.db
      .selectFrom('signing_key')
      .select(['private_key'])
      .where('community_id', '=', community.id)
      .execute();
    expect(keys.length).toBe(2);
    for (const k of keys)
      expect(k.private_key).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });
});

describe('configuration', () => {
  it.each([
    ['PORT', 'eighty', 'PORT'],
    ['DATABASE_URL', 'mysql://x', 'DATABASE_URL'],
    ['GATEPOST_BOOTSTRAP_ADMIN', 'admin:short', 'GATEPOST_BOOTSTRAP_ADMIN'],
    ['GATEPOST_MASTER_KEY', 'not-a-key', 'GATEPOST_MASTER_KEY'],
  ])('an invalid %s stops the server at start, naming the variable', (name, value, named) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/server/cli.ts', 'serve'], {
      env: { ...process.env, [name]: value, GATEPOST_DATA_DIR: '/tmp/gatepost-config-test' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(named);
  });
});
