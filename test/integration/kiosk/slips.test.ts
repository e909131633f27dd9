/**
 * Release slips through the kiosk's data layer against the in-process server: two gates that are
 * both offline accept the same one-trip slip, then sync: the office holds both records in one
 * duplicate-use alert, and each gate then knows of the other's use. Also: a slip used on this
 * kiosk is refused with when and where, in the same transaction as the record; a revoked slip is
 * refused once the revocation stream has it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enroll } from '../../../src/data/enrollment';
import { readSlipLookup, recordSlipCheck, SlipUsedError } from '../../../src/data/slips';
import type { KioskDb } from '../../../src/data/db';
import { fromBase64Url } from '../../../src/domain/bytes';
import { createTrustStore, keyListPayloadSchema } from '../../../src/domain/credential/key-list';
import { utf8Decode } from '../../../src/domain/webcrypto';
import { verifyCode } from '../../../src/domain/credential/verify';
import { judgeSlipScan } from '../../../src/domain/verdict/slip';
import { ID_NUMBERS } from '../../support/cards';
import { createTestServer, seedCommunity, type TestServer } from '../../support/server';
import { apiKey } from '../../support/server';
import { appFetch, BASE_URL, engineFor, openKiosk, uniqueDbName } from '../../support/kiosk';
import { createEnrollmentCode } from '../../../src/server/store/devices';

let server: TestServer;
let seeded: Awaited<ReturnType<typeof seedCommunity>>;
let communityId: number;
let householdId: string;

beforeAll(async () => {
  server = await createTestServer('sqlite');
  seeded = await seedCommunity(server);
  communityId = seeded.community.id;
  const key = await apiKey(server, seeded.as('admin'), communityId, ['households:write']);
  await server.request('/api/integration/v1/households', {
    method: 'PUT',
    headers: key.auth,
    json: {
      households: [
        { externalId: 'H2', building: '3', unit: '2', room: '1202', occupancy: 'owner' },
      ],
    },
  });
  const list = await server.request(`/api/communities/${communityId}/households`, {
    headers: seeded.as('clerk'),
  });
  householdId = ((await list.json()) as { items: { id: string }[] }).items[0]!.id;
});
afterAll(() => server.close());

async function gate(name: string) {
  const { code } = await createEnrollmentCode(
    server.deps.store.db,
    server.clock.now,
    communityId,
    name,
    'test',
  );
  const db = openKiosk(uniqueDbName());
  const r = await enroll(
    db,
    { fetch: appFetch(server), baseUrl: BASE_URL, now: server.clock.now, appVersion: 'test' },
    { code, fingerprint: null },
  );
  if (!r.ok) throw new Error(r.message);
  const engine = engineFor(server, db);
  return { db, sync: () => engine.round() };
}

async function issueSlip(): Promise<{ serial: number; code: string }> {
  const res = await server.request(`/api/communities/${communityId}/slips`, {
    method: 'POST',
    headers: seeded.as('clerk'),
    json: {
      householdId,
      applicantName: '王小明',
      applicantRole: 'owner',
      applicantPhone: '13812345678',
      applicantIdType: 'resident_card',
      applicantIdNumber: ID_NUMBERS.a,
      items: [
        { name: '冰箱', quantity: 1, unit: '台' },
        { name: '纸箱', quantity: 6, unit: '箱' },
      ],
      firstDay: new Date(server.clock.now + 8 * 3600_000).toISOString().slice(0, 10),
    },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { serial: number; code: string };
}

/** What the gate says about the code now, from its own copy. */
async function scan(db: KioskDb, code: string) {
  const keyList = (await db.getMeta('trustedKeyList'))!;
  const trust = await createTrustStore(
    keyListPayloadSchema.parse(JSON.parse(utf8Decode(fromBase64Url(keyList.payload)))),
  );
  const now = Math.floor(server.clock.now / 1000);
  const v = await verifyCode(code, { trust, now, clockToleranceS: 300 });
  return judgeSlipScan(v, await readSlipLookup(db, v.credential!.serial), now);
}

const pass = (serial: number) => ({
  payload: {
    serial,
    outcome: 'pass' as const,
    lines: [
      { index: 0, passed: 1 },
      { index: 1, passed: 6 },
    ],
  },
  guardId: null,
});

describe('release slips at the gate', () => {
  it('two offline gates accept the same slip; after syncing, one alert holds both records', async () => {
    const east = await gate('东门');
    const west = await gate('西门');
    const slip = await issueSlip();
    await east.sync();
    await west.sync();
    expect(await scan(east.db, slip.code)).toMatchObject({ ok: true, tripsLeft: 1 });
    expect(await scan(west.db, slip.code)).toMatchObject({ ok: true, tripsLeft: 1 });

    // Both offline: each records its pass locally.
    server.clock.advance(60_000);
    const a = await recordSlipCheck(east.db, pass(slip.serial), server.clock.now, 480);
    server.clock.advance(60_000);
    const b = await recordSlipCheck(west.db, pass(slip.serial), server.clock.now, 480);

    await east.sync();
    await west.sync();
    const alerts = await server.request(`/api/communities/${communityId}/slip-alerts`, {
      headers: seeded.as('supervisor'),
    });
    const body = (await alerts.json()) as {
      alerts: Array<{ serial: number; records: Array<{ eventId: string; deviceName: string }> }>;
    };
    expect(body.alerts).toHaveLength(1);
    expect(body.alerts[0]!.records.map((r) => [r.eventId, r.deviceName])).toEqual([
      [a.id, '东门'],
      [b.id, '西门'],
    ]);

    // The east gate now knows of the west gate's use as well.
    await east.sync();
    const again = await scan(east.db, slip.code);
    expect(again).toMatchObject({ ok: false, reason: 'already_used' });
    expect(again.uses.map((u) => u.device)).toEqual(['东门', '西门']);
  });

  it('refuses a slip used on this kiosk with when and where, and records no second use', async () => {
    const north = await gate('北门');
    const slip = await issueSlip();
    await north.sync();
    const first = await recordSlipCheck(north.db, pass(slip.serial), server.clock.now, 480);
    const refused = await scan(north.db, slip.code);
    expect(refused).toMatchObject({
      ok: false,
      reason: 'already_used',
      lastUse: { id: first.id, device: '北门', at: server.clock.now },
    });
    const error = await recordSlipCheck(north.db, pass(slip.serial), server.clock.now, 480).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SlipUsedError);
    expect((error as SlipUsedError).lastUse?.id).toBe(first.id);
    expect(await north.db.outbox.count()).toBe(1);
    expect(await north.db.slipChecks.count()).toBe(1);
  });

  it('refuses a revoked slip as soon as the revocation stream has it', async () => {
    const south = await gate('南门');
    const slip = await issueSlip();
    await south.sync();
    expect((await scan(south.db, slip.code)).ok).toBe(true);
    const res = await server.request(
      `/api/communities/${communityId}/slips/${slip.serial}/revoke`,
      { method: 'POST', headers: seeded.as('clerk'), json: { reason: 'cancelled' } },
    );
    expect(res.status).toBe(200);
    await south.sync();
    expect(await scan(south.db, slip.code)).toMatchObject({ ok: false, reason: 'revoked' });
  });
});
