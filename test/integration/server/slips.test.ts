import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { verifyCode } from '../../../src/domain/credential/verify';
import { createTrustStore, verifyKeyList } from '../../../src/domain/credential/key-list';
import { fromBase64Url } from '../../../src/domain/bytes';
import { ulid } from '../../../src/domain/ids';
import {
  pullResponseSchema,
  pushResponseSchema,
  type Change,
  type GateEvent,
} from '../../../src/domain/sync/protocol';
import { slipRowSchema } from '../../../src/domain/sync/tables';
import { runMaintenance } from '../../../src/server/maintenance';
import { ENGINES } from '../../support/stores';
import { ID_NUMBERS, portraitJpeg } from '../../support/cards';
import { toBase64Url } from '../../../src/domain/bytes';
import {
  apiKey,
  createTestServer,
  enrollKiosk,
  seedCommunity,
  type TestServer,
} from '../../support/server';

type Slip = {
  serial: number;
  status: string;
  state: string;
  code?: string;
  idMasked: string;
  applicantPhone: string;
  uses: Array<{ eventId: string; deviceName: string; outcome: string; photoHash: string | null }>;
  openAlert: string | null;
  arrearsOverride: Record<string, string> | null;
  consent: Record<string, string> | null;
};
type Kiosk = Awaited<ReturnType<typeof enrollKiosk>>;

describe.each(ENGINES)('release slips on %s', (engine) => {
  let server: TestServer;
  let seeded: Awaited<ReturnType<typeof seedCommunity>>;
  let communityId: number;
  let integration: Awaited<ReturnType<typeof apiKey>>;
  let households: Record<string, string>;
  const base = () => `/api/communities/${communityId}`;
  const today = () => new Date(server.clock.now + 8 * 3600_000).toISOString().slice(0, 10);

  const slipBody = (over: Record<string, unknown> = {}) => ({
    householdId: households['3-2-1202'],
    applicantName: '王小明',
    applicantRole: 'tenant',
    applicantPhone: '138 1234 5678',
    applicantIdType: 'resident_card',
    applicantIdNumber: ID_NUMBERS.a,
    items: [
      { name: '冰箱', quantity: 1, unit: '台' },
      { name: '纸箱', quantity: 6, unit: '箱', note: '书' },
    ],
    plate: '粤B12345',
    carrierName: '李师傅',
    firstDay: today(),
    consent: { way: 'phone', ownerName: '陈业主', confirmedBy: '张文员' },
    ...over,
  });

  const post = (path: string, json: unknown, role: 'clerk' | 'admin' | 'supervisor' = 'clerk') =>
    server.request(`${base()}${path}`, { method: 'POST', headers: seeded.as(role), json });
  const get = async <T>(path: string, role: 'clerk' | 'supervisor' = 'clerk') => {
    const res = await server.request(`${base()}${path}`, { headers: seeded.as(role) });
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as T;
  };
  async function issued(over: Record<string, unknown> = {}, role: 'clerk' | 'admin' = 'clerk') {
    const res = await post('/slips', slipBody(over), role);
    expect(res.status, await res.clone().text()).toBe(201);
    return (await res.json()) as Slip;
  }
  async function blocked(over: Record<string, unknown>, role: 'clerk' | 'admin' = 'clerk') {
    const res = await post('/slips', slipBody(over), role);
    expect(res.status, await res.clone().text()).toBe(409);
    const body = (await res.json()) as {
      error: { code: string; fields: Array<{ path: string; message: string }> };
    };
    expect(body.error.code).toBe('slip_blocked');
    return body.error.fields;
  }
  async function feed(auth: Record<string, string>, tables?: string) {
    const res = await server.request(
      `/api/sync/pull?limit=1000${tables ? `&tables=${tables}` : ''}`,
      { headers: auth },
    );
    const page = pullResponseSchema.parse(await res.json());
    if (page.kind !== 'changes') throw new Error('unexpected reset');
    return page.changes;
  }
  const rowOf = (changes: Change[], table: string, id: string) =>
    changes.find((c) => c.table === table && c.id === id);

  let clockMs = Date.UTC(2026, 10, 28, 3);
  const newUlid = () => ulid(clockMs++, randomBytes(10));
  const installations = new Map<Kiosk, { id: string; seq: number }>();
  async function push(kiosk: Kiosk, type: string, payload: Record<string, unknown>) {
    let inst = installations.get(kiosk);
    if (!inst) installations.set(kiosk, (inst = { id: newUlid(), seq: 0 }));
    const event: GateEvent = {
      id: newUlid(),
      seq: ++inst.seq,
      type,
      at: server.clock.now,
      tzOffset: 480,
      guardId: null,
      payload,
    };
    const res = await server.request('/api/sync/push', {
      method: 'POST',
      headers: kiosk.auth,
      json: { installationId: inst.id, events: [event], pending: 0 },
    });
    expect(res.status).toBe(200);
    const [result] = pushResponseSchema.parse(await res.json()).results;
    expect(result, JSON.stringify(result)).toMatchObject({ status: 'accepted' });
    return event.id;
  }

  beforeEach(async () => {
    server = await createTestServer(engine);
    seeded = await seedCommunity(server);
    communityId = seeded.community.id;
    integration = await apiKey(server, seeded.as('admin'), communityId, [
      'households:write',
      'key_households:write',
      'slips:consent',
    ]);
    const put = await server.request('/api/integration/v1/households', {
      method: 'PUT',
      headers: integration.auth,
      json: {
        households: [
          { externalId: 'H1', building: '3', unit: '2', room: '1201', occupancy: 'owner' },
          { externalId: 'H2', building: '3', unit: '2', room: '1202', occupancy: 'tenant' },
          {
            externalId: 'H3',
            building: '5',
            unit: '1',
            room: '301',
            occupancy: 'owner',
            arrears: true,
          },
        ],
      },
    });
    expect(put.status).toBe(200);
    const list = await get<{ items: { id: string; label: string }[] }>('/households?limit=10');
    households = Object.fromEntries(list.items.map((h) => [h.label, h.id]));
  });
  afterEach(() => server.close());

  it("refuses a tenant's slip until the owner's consent is recorded, then issues a signed slip", async () => {
    expect(await blocked({ consent: null })).toEqual([
      { path: 'consent', message: 'consent_required' },
    ]);
    const slip = await issued();
    expect(slip).toMatchObject({
      status: 'issued',
      state: 'issued',
      idMasked: '110***********002X',
    });
    expect(slip.consent).toMatchObject({ way: 'phone', confirmedBy: '张文员' });

    const kiosk = await enrollKiosk(server, seeded.as('admin'), communityId);
    const changes = await feed(kiosk.auth);
    const row = slipRowSchema.parse(rowOf(changes, 'slip', String(slip.serial))!.data);
    expect(row).toMatchObject({ trips: 1, idMasked: '110***********002X', plate: '粤B12345' });
    expect(JSON.stringify(changes)).not.toContain('13812345678');
    expect(JSON.stringify(changes)).not.toContain(ID_NUMBERS.a);

    const keyList = rowOf(changes, 'keyList', 'current')!.data as { signed: unknown };
    const list = await verifyKeyList(keyList.signed, fromBase64Url(kiosk.rootPublicKey), {
      communityId,
    });
    if (!list.ok) throw new Error('key list refused');
    const v = await verifyCode(slip.code!, {
      trust: await createTrustStore(list.list),
      now: Math.floor(server.clock.now / 1000),
      clockToleranceS: 0,
    });
    expect(v).toMatchObject({
      ok: true,
      credential: { type: 'slip', serial: slip.serial, trips: 1 },
    });
  });

  it('takes consent confirmed in the main system only once the main system has sent it', async () => {
    const mainSystem = { consent: { way: 'main_system' } };
    expect(await blocked(mainSystem)).toEqual([
      { path: 'consent', message: 'consent_not_in_main_system' },
    ]);
    const body = {
      consents: [
        {
          householdExternalId: 'H2',
          reference: 'C-88',
          ownerName: '陈业主',
          confirmedAt: server.clock.now,
        },
      ],
    };
    const put = () =>
      server.request('/api/integration/v1/slip-consents', {
        method: 'PUT',
        headers: integration.auth,
        json: body,
      });
    expect(await (await put()).json()).toEqual({ recorded: 1, unchanged: 0 });
    expect(await (await put()).json()).toEqual({ recorded: 0, unchanged: 1 });
    const unknown = await server.request('/api/integration/v1/slip-consents', {
      method: 'PUT',
      headers: integration.auth,
      json: { consents: [{ ...body.consents[0], householdExternalId: 'NOPE' }] },
    });
    expect(unknown.status).toBe(400);
    const slip = await issued(mainSystem);
    expect(slip.consent).toMatchObject({
      way: 'main_system',
      reference: 'C-88',
      ownerName: '陈业主',
    });
  });

  it('needs a supervisor for arrears: a clerk keeps the slip for approval, the supervisor approves with a reason', async () => {
    const arrears = { householdId: households['5-1-301'], applicantRole: 'owner', consent: null };
    expect(await blocked(arrears)).toEqual([
      { path: 'arrearsOverride', message: 'arrears_override_required' },
    ]);
    expect(await blocked({ ...arrears, arrearsOverride: { reason: '已缴清' } })).toEqual([
      { path: 'arrearsOverride', message: 'override_needs_supervisor' },
    ]);
    const waiting = await issued({ ...arrears, requestApproval: true });
    expect(waiting).toMatchObject({ status: 'awaiting_approval', code: '' });
    const kiosk = await enrollKiosk(server, seeded.as('admin'), communityId);
    expect(rowOf(await feed(kiosk.auth), 'slip', String(waiting.serial))).toBeUndefined();

    expect((await post(`/slips/${waiting.serial}/approve`, {}, 'clerk')).status).toBe(403);
    const noReason = await post(`/slips/${waiting.serial}/approve`, {}, 'supervisor');
    expect(noReason.status).toBe(400);
    const approved = await post(
      `/slips/${waiting.serial}/approve`,
      { arrearsReason: '业主承诺本月结清' },
      'supervisor',
    );
    expect(approved.status).toBe(200);
    const slip = (await approved.json()) as Slip;
    expect(slip.status).toBe('issued');
    expect(slip.code).toMatch(/^GP1:/);
    expect(slip.arrearsOverride).toMatchObject({ reason: '业主承诺本月结清' });
    expect(rowOf(await feed(kiosk.auth), 'slip', String(slip.serial))).toBeDefined();

    const direct = await issued({ ...arrears, arrearsOverride: { reason: '已缴清' } }, 'admin');
    expect(direct.status).toBe('issued');
  });

  it('needs a sign-off for a household under watch', async () => {
    const put = await server.request('/api/integration/v1/key-households', {
      method: 'PUT',
      headers: integration.auth,
      json: { keyHouseholds: [{ householdExternalId: 'H1', categories: ['under_watch'] }] },
    });
    expect(put.status).toBe(200);
    const watched = { householdId: households['3-2-1201'], applicantRole: 'owner', consent: null };
    expect(await blocked(watched)).toEqual([
      { path: 'watchSignOff', message: 'watch_signoff_required' },
    ]);
    const slip = await issued({ ...watched, watchSignOff: { note: '主管已核实' } }, 'admin');
    const kiosk = await enrollKiosk(server, seeded.as('admin'), communityId);
    const row = slipRowSchema.parse(
      rowOf(await feed(kiosk.auth), 'slip', String(slip.serial))!.data,
    );
    expect(row.watchSignedOff).toBe(true);
  });

  it('refuses a validity of more than three days, naming the field', async () => {
    const res = await post('/slips', slipBody({ days: 4 }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { fields: Array<{ path: string }> } };
    expect(body.error.fields.map((f) => f.path)).toEqual(['days']);
  });

  it('revokes an unused slip on the revocation stream, and not a used one', async () => {
    const kiosk = await enrollKiosk(server, seeded.as('admin'), communityId);
    const slip = await issued();
    const res = await post(`/slips/${slip.serial}/revoke`, { reason: 'cancelled', note: '改期' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Slip).state).toBe('revoked');
    const first = await feed(kiosk.auth, 'revocation,keyList');
    expect(rowOf(first, 'revocation', `slip:${slip.serial}`)?.data).toMatchObject({
      type: 'slip',
      serial: slip.serial,
      reason: 'cancelled',
    });

    const used = await issued();
    await push(kiosk, 'slip.use', {
      serial: used.serial,
      outcome: 'pass',
      lines: [
        { index: 0, passed: 1 },
        { index: 1, passed: 6 },
      ],
    });
    const again = await post(`/slips/${used.serial}/revoke`, { reason: 'cancelled' });
    expect(again.status).toBe(409);
  });

  it('records both uses of two offline gates and raises one alert with both records', async () => {
    const east = await enrollKiosk(server, seeded.as('admin'), communityId, '东门');
    const west = await enrollKiosk(server, seeded.as('admin'), communityId, '西门');
    const slip = await issued();
    const lines = [
      { index: 0, passed: 1 },
      { index: 1, passed: 6 },
    ];
    const photo = toBase64Url(portraitJpeg());
    const a = await push(east, 'slip.use', { serial: slip.serial, outcome: 'pass', lines, photo });
    expect((await get<Slip>(`/slips/${slip.serial}`)).openAlert).toBeNull();
    const b = await push(west, 'slip.use', {
      serial: slip.serial,
      outcome: 'partial',
      lines: [lines[0], { index: 1, passed: 4 }],
      note: '两箱未列入',
    });
    const { alerts } = await get<{
      alerts: Array<{ serial: number; records: Array<{ eventId: string; deviceName: string }> }>;
    }>('/slip-alerts');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.serial).toBe(slip.serial);
    expect(alerts[0]!.records.map((r) => [r.eventId, r.deviceName])).toEqual([
      [a, '东门'],
      [b, '西门'],
    ]);

    const detail = await get<Slip>(`/slips/${slip.serial}`);
    expect(detail.state).toBe('partly_used');
    expect(detail.uses[0]!.photoHash).toMatch(/^[0-9a-f]{64}$/);
    const row = slipRowSchema.parse(
      rowOf(await feed(east.auth), 'slip', String(slip.serial))!.data,
    );
    expect(row.uses.map((u) => [u.id, u.device, u.outcome])).toEqual([
      [a, '东门', 'pass'],
      [b, '西门', 'partial'],
    ]);

    const byState = async (state: string) =>
      (await get<{ items: Slip[] }>(`/slips?state=${state}`)).items.map((s) => s.serial);
    const fresh = await issued();
    expect(await byState('partly_used')).toEqual([slip.serial]);
    expect(await byState('issued')).toEqual([fresh.serial]);
    expect(await byState('used')).toEqual([]);

    const resolve = await post(
      `/slip-alerts/${detail.openAlert}/resolve`,
      { note: '西门误放' },
      'supervisor',
    );
    expect(resolve.status).toBe(204);
    expect((await get<{ alerts: unknown[] }>('/slip-alerts')).alerts).toHaveLength(0);
  });

  it('lists goods refused without a slip as soon as the gate sends them', async () => {
    const kiosk = await enrollKiosk(server, seeded.as('admin'), communityId);
    await push(kiosk, 'goods.refused', {
      householdId: households['3-2-1202'],
      description: '两台电脑主机，无放行条',
    });
    const { items } = await get<{
      items: Array<{ household: { label: string }; description: string; deviceName: string }>;
    }>('/goods-refusals');
    expect(items).toEqual([
      expect.objectContaining({
        household: expect.objectContaining({ label: '3-2-1202' }),
        description: '两台电脑主机，无放行条',
        deviceName: '东门',
      }),
    ]);
  });

  it('withdraws an ended slip from the gates a day later, and deletes it with its records, events and load photo after the retention period', async () => {
    const kiosk = await enrollKiosk(server, seeded.as('admin'), communityId);
    const slip = await issued();
    const photo = toBase64Url(portraitJpeg(200, 150));
    await push(kiosk, 'slip.use', {
      serial: slip.serial,
      outcome: 'pass',
      lines: [
        { index: 0, passed: 1 },
        { index: 1, passed: 6 },
      ],
      photo,
    });
    await push(kiosk, 'goods.refused', {
      householdId: households['3-2-1202'],
      description: '两台电脑主机，无放行条',
    });
    const count = async (table: 'slip' | 'slip_use' | 'goods_refusal' | 'photo' | 'event') =>
      Number(
        (
          await server.store.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('community_id', '=', communityId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = { slip: 1, slip_use: 1, goods_refusal: 1, photo: 1, event: 2 };
    const counts = async () =>
      Object.fromEntries(
        await Promise.all(Object.keys(before).map(async (t) => [t, await count(t as 'slip')])),
      );
    expect(await counts()).toEqual(before);

    // The slip is valid today only: the day after tomorrow it is gone from the gates' copy.
    server.clock.advance(2 * 86_400_000 + 60_000);
    await runMaintenance(server.deps);
    expect(rowOf(await feed(kiosk.auth), 'slip', String(slip.serial))).toMatchObject({
      deleted: true,
    });
    expect(await counts()).toEqual(before);

    server.clock.advance(180 * 86_400_000);
    await runMaintenance(server.deps);
    expect(await counts()).toEqual({ slip: 0, slip_use: 0, goods_refusal: 0, photo: 0, event: 0 });
  });

  it("reveals the applicant's ID number only to those allowed, with an audit entry", async () => {
    const slip = await issued();
    expect((await post(`/slips/${slip.serial}/reveal-id`, {}, 'clerk')).status).toBe(403);
    const res = await post(`/slips/${slip.serial}/reveal-id`, {}, 'supervisor');
    expect(await res.json()).toEqual({ idType: 'resident_card', idNumber: ID_NUMBERS.a });
    const entries = await server.store.db
      .selectFrom('audit')
      .select(['action', 'detail'])
      .where('target_type', '=', 'slip')
      .execute();
    expect(entries.map((e) => e.action)).toEqual(['slip.issue', 'slip.reveal_id']);
    expect(JSON.stringify(entries)).not.toContain(ID_NUMBERS.a);
    const stored = await server.store.db.selectFrom('slip').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(ID_NUMBERS.a);
    const list = await get<{ items: Slip[] }>('/slips');
    expect(list.items[0]!.applicantPhone).toBe('138****5678');
  });
});
