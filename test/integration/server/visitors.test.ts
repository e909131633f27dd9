import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { fromBase64Url } from '../../../src/domain/bytes';
import { verifyCode } from '../../../src/domain/credential/verify';
import { createTrustStore, verifyKeyList } from '../../../src/domain/credential/key-list';
import { ulid } from '../../../src/domain/ids';
import { maskIdNumber } from '../../../src/domain/rules/masking';
import { matchHash, seal } from '../../../src/domain/seal';
import {
  pullResponseSchema,
  pushResponseSchema,
  type Change,
} from '../../../src/domain/sync/protocol';
import { settingsRowSchema, type SyncedRow } from '../../../src/domain/sync/tables';
import {
  ID_SEAL_CONTEXT,
  PHOTO_SEAL_CONTEXT,
  idMatchValue,
  namePhoneMatchValue,
  type VisitorEntryPayload,
} from '../../../src/domain/visitor/entry';
import { runMaintenance } from '../../../src/server/maintenance';
import { ENGINES } from '../../support/stores';
import {
  apiKey,
  createTestServer,
  enrollKiosk,
  seedCommunity,
  type TestServer,
} from '../../support/server';
import { decodeQrCodes } from '../../support/qr';
import { portraitBase64, portraitJpeg } from '../../support/cards';

const ID = '11010519491231002X';
const DAY_MS = 86_400_000;
const rand = (n: number) => new Uint8Array(randomBytes(n));

describe.each(ENGINES)('the visitor register on %s', (engine) => {
  let server: TestServer;
  let seeded: Awaited<ReturnType<typeof seedCommunity>>;
  let communityId: number;
  let kiosk: Awaited<ReturnType<typeof enrollKiosk>>;
  let households: Record<string, string>;
  let seq = 0;
  const installationId = ulid(Date.now(), rand(10));
  const base = () => `/api/communities/${communityId}`;
  const today = (offsetDays = 0) =>
    new Date(server.clock.now + 8 * 3600_000 + offsetDays * DAY_MS).toISOString().slice(0, 10);

  async function feed(tables?: string): Promise<Change[]> {
    const res = await server.request(
      `/api/sync/pull?limit=1000${tables ? `&tables=${tables}` : ''}`,
      { headers: kiosk.auth },
    );
    const page = pullResponseSchema.parse(await res.json());
    if (page.kind !== 'changes') throw new Error('unexpected reset');
    return page.changes;
  }
  const rowOf = (changes: Change[], table: string, id: string) =>
    changes.find((c) => c.table === table && c.id === id);

  async function push(type: string, payload: object, at = server.clock.now) {
    const id = ulid(at, rand(10));
    const res = await server.request('/api/sync/push', {
      method: 'POST',
      headers: kiosk.auth,
      json: {
        installationId,
        events: [{ id, seq: ++seq, type, at, tzOffset: 480, guardId: null, payload }],
      },
    });
    expect(res.status).toBe(200);
    const [result] = pushResponseSchema.parse(await res.json()).results;
    return { id, result };
  }

  /** An entry as the kiosk makes it: the ID sealed to the office key and hashed with the match key. */
  async function entryPayload(over: Partial<VisitorEntryPayload> = {}) {
    const settings = settingsRowSchema.parse(rowOf(await feed(), 'settings', 'community')!.data);
    return {
      name: '王小明',
      idType: 'resident_card' as const,
      idMasked: maskIdNumber(ID),
      idHash: await matchHash(
        fromBase64Url(settings.matchKey),
        'id',
        idMatchValue({ type: 'resident_card', holderKey: ID }),
      ),
      idSealed: await seal(ID, fromBase64Url(settings.sealKey), ID_SEAL_CONTEXT, rand),
      phone: '13812345678',
      householdId: households['3-2-1201']!,
      reason: 'visiting' as const,
      persons: 1,
      plate: '',
      invitationSerial: null,
      watch: null,
      mode: 'guard' as const,
      admitted: true,
      ...over,
    };
  }

  type Entry = { id: string; name: string; exitAt: number | null; exitMethod: string | null };
  async function register(query = ''): Promise<{ total: number; items: Entry[] }> {
    const res = await server.request(`${base()}/visitors?${query}`, {
      headers: seeded.as('clerk'),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { total: number; items: Entry[] };
  }

  beforeEach(async () => {
    server = await createTestServer(engine);
    seeded = await seedCommunity(server);
    communityId = seeded.community.id;
    kiosk = await enrollKiosk(server, seeded.as('admin'), communityId);
    const integration = await apiKey(server, seeded.as('admin'), communityId, ['households:write']);
    await server.request('/api/integration/v1/households', {
      method: 'PUT',
      headers: integration.auth,
      json: {
        households: [
          { externalId: 'H1', building: '3', unit: '2', room: '1201', occupancy: 'owner' },
          { externalId: 'H2', building: '5', unit: '1', room: '301', occupancy: 'tenant' },
        ],
      },
    });
    const list = await server.request(`${base()}/households?limit=10`, {
      headers: seeded.as('clerk'),
    });
    const body = (await list.json()) as { items: { id: string; label: string }[] };
    households = Object.fromEntries(body.items.map((h) => [h.label, h.id]));
  });
  afterEach(() => server.close());

  it('issues an invitation whose code verifies as one, sends the gate its row, and marks it used on entry', async () => {
    const res = await server.request(`${base()}/invitations`, {
      method: 'POST',
      headers: seeded.as('clerk'),
      json: {
        name: '李四',
        householdId: households['3-2-1201'],
        firstDay: today(),
        lastDay: today(1),
        persons: 3,
        plate: '粤b·d12345',
      },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const inv = (await res.json()) as { serial: number; code: string; householdLabel: string };
    expect(inv).toMatchObject({ serial: 1, householdLabel: '3-2-1201' });

    const changes = await feed();
    const keyList = rowOf(changes, 'keyList', 'current')!.data as { signed: unknown };
    const list = await verifyKeyList(keyList.signed, fromBase64Url(kiosk.rootPublicKey), {
      communityId,
    });
    if (!list.ok) throw new Error('key list');
    const verified = await verifyCode(inv.code, {
      trust: await createTrustStore(list.list),
      now: Math.floor(server.clock.now / 1000),
      clockToleranceS: 300,
    });
    expect(verified).toMatchObject({
      ok: true,
      credential: { type: 'invitation', serial: 1, persons: 3 },
    });
    expect(rowOf(changes, 'invitation', '1')!.data).toMatchObject({
      name: '李四',
      plate: '粤BD12345',
      persons: 3,
      status: 'active',
    });

    const png = await server.request(`${base()}/invitations/1/qr.png`, {
      headers: seeded.as('supervisor'),
    });
    expect(png.headers.get('content-type')).toBe('image/png');
    const read = await decodeQrCodes(new Uint8Array(await png.arrayBuffer()));
    expect(read).toEqual([{ text: inv.code, ecLevel: 'M' }]);

    await push(
      'visitor.entry',
      await entryPayload({
        idType: null,
        idMasked: '',
        idHash: null,
        idSealed: null,
        phone: '',
        invitationSerial: 1,
        persons: 3,
      }),
    );
    expect(rowOf(await feed(), 'invitation', '1')!.data).toMatchObject({ status: 'used' });
    const cancel = await server.request(`${base()}/invitations/1/cancel`, {
      method: 'POST',
      headers: seeded.as('clerk'),
    });
    expect(cancel.status).toBe(409);
  });

  it('names each bad field of an invitation, and refuses it to a supervisor', async () => {
    const res = await server.request(`${base()}/invitations`, {
      method: 'POST',
      headers: seeded.as('clerk'),
      json: { name: '李四', householdId: 'nope', firstDay: today(-1), lastDay: today(-2) },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { fields: { path: string }[] } };
    expect(body.error.fields.map((f) => f.path).sort()).toEqual([
      'firstDay',
      'householdId',
      'lastDay',
    ]);
    const asSupervisor = await server.request(`${base()}/invitations`, {
      method: 'POST',
      headers: seeded.as('supervisor'),
      json: {
        name: '李四',
        householdId: households['3-2-1201'],
        firstDay: today(),
        lastDay: today(),
      },
    });
    expect(asSupervisor.status).toBe(403);
  });

  it('lets the main system invite by its household id and get the code as text and PNG; cancelling refuses it at the gates', async () => {
    const key = await apiKey(server, seeded.as('admin'), communityId, ['invitations:write']);
    const res = await server.request('/api/integration/v1/invitations', {
      method: 'POST',
      headers: key.auth,
      json: { name: '赵六', householdExternalId: 'H2', firstDay: today(), lastDay: today() },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const inv = (await res.json()) as { serial: number; code: string; png: string };
    const read = await decodeQrCodes(new Uint8Array(Buffer.from(inv.png, 'base64')));
    expect(read.map((r) => r.text)).toEqual([inv.code]);

    const bad = await server.request('/api/integration/v1/invitations', {
      method: 'POST',
      headers: key.auth,
      json: { name: '赵六', householdExternalId: 'H9', firstDay: today(), lastDay: today() },
    });
    expect(((await bad.json()) as { error: { fields: { path: string }[] } }).error.fields).toEqual([
      { path: 'householdExternalId', message: 'no such household' },
    ]);

    const cancel = await server.request(`/api/integration/v1/invitations/${inv.serial}/cancel`, {
      method: 'POST',
      headers: key.auth,
    });
    expect(cancel.status).toBe(200);
    const changes = await feed('revocation');
    expect(rowOf(changes, 'revocation', `invitation:${inv.serial}`)!.data).toMatchObject({
      type: 'invitation',
      serial: inv.serial,
    });
  });

  it('keeps the register from the gate: filters, exits, the CSV for Excel, and the sealed ID opened only for allowed roles', async () => {
    const first = await push('visitor.entry', await entryPayload({ name: '=HYPERLINK("x")' }));
    expect(first.result).toEqual({ id: first.id, status: 'accepted' });
    server.clock.advance(60_000);
    const second = await push(
      'visitor.entry',
      await entryPayload({ name: '陈七', householdId: households['5-1-301']!, reason: 'delivery' }),
    );
    expect((await register()).items.map((e) => e.id)).toEqual([second.id, first.id]);
    expect((await register('unit=5-1')).items.map((e) => e.id)).toEqual([second.id]);
    expect((await register('reason=visiting')).items.map((e) => e.id)).toEqual([first.id]);
    expect((await register(`from=${server.clock.now}`)).items.map((e) => e.id)).toEqual([
      second.id,
    ]);

    await push('visitor.exit', { entryId: first.id, method: 'phone' });
    expect((await register('insideNow=true')).items.map((e) => e.id)).toEqual([second.id]);
    expect((await register()).items.find((e) => e.id === first.id)).toMatchObject({
      exitMethod: 'phone',
    });

    const csv = await server.request(`${base()}/visitors/export.csv`, {
      headers: seeded.as('clerk'),
    });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain('来访时间,离开时间,姓名,证件号码');
    expect(text).toContain(`"'=HYPERLINK(""x"")"`);
    expect(text).toContain('110***********002X');
    expect(text).not.toContain(ID);

    const reveal = (role: 'clerk' | 'supervisor') =>
      server.request(`${base()}/visitors/${first.id}/reveal-id`, {
        method: 'POST',
        headers: seeded.as(role),
      });
    expect((await reveal('clerk')).status).toBe(403);
    const opened = await reveal('supervisor');
    expect(await opened.json()).toEqual({ idType: 'resident_card', idNumber: ID });
    const audits = await server.store.db
      .selectFrom('audit')
      .select(['action', 'target_id', 'detail'])
      .where('action', 'in', ['visitor.reveal_id', 'visitor.export'])
      .execute();
    expect(audits.map((a) => a.action).sort()).toEqual(['visitor.export', 'visitor.reveal_id']);
    expect(JSON.stringify(audits)).not.toContain(ID);
  });

  it('sends the gates a watch-list entry as keyed hashes and the instruction only', async () => {
    const add = (role: 'clerk' | 'supervisor', json: object) =>
      server.request(`${base()}/watch-list`, { method: 'POST', headers: seeded.as(role), json });
    const entry = {
      level: 'deny',
      name: '张三',
      phone: '139 0000 1111',
      idType: 'resident_card',
      idNumber: ID.toLowerCase(),
      instruction: '拒绝进入，通知主管',
    };
    expect((await add('clerk', entry)).status).toBe(403);
    const res = await add('supervisor', entry);
    expect(res.status, await res.clone().text()).toBe(201);
    const created = (await res.json()) as { id: string; idMasked: string; phoneMasked: string };
    expect(created).toMatchObject({ idMasked: '110***********002X', phoneMasked: '139****1111' });

    const changes = await feed();
    const row = rowOf(changes, 'watch', created.id)!.data as SyncedRow<'watch'>;
    const settings = settingsRowSchema.parse(rowOf(changes, 'settings', 'community')!.data);
    const key = fromBase64Url(settings.matchKey);
    expect(row).toEqual({
      level: 'deny',
      idHash: await matchHash(key, 'id', idMatchValue({ type: 'resident_card', holderKey: ID })),
      namePhoneHash: await matchHash(key, 'name_phone', namePhoneMatchValue('张三', '13900001111')),
      instruction: '拒绝进入，通知主管',
    });
    expect(JSON.stringify(row)).not.toMatch(/张三|1390000|110105/);

    const missing = await add('supervisor', { level: 'watch', name: '张三', instruction: '留意' });
    expect(
      ((await missing.json()) as { error: { fields: { path: string }[] } }).error.fields,
    ).toEqual([{ path: 'phone', message: 'required with a name' }]);

    const del = await server.request(`${base()}/watch-list/${created.id}`, {
      method: 'DELETE',
      headers: seeded.as('supervisor'),
    });
    expect(del.status).toBe(200);
    expect(rowOf(await feed(), 'watch', created.id)!.deleted).toBe(true);
  });

  it("keeps a visitor's photo sealed: opened only for allowed roles, each look audited, purged with the entry", async () => {
    const settings = settingsRowSchema.parse(rowOf(await feed(), 'settings', 'community')!.data);
    const photoSealed = await seal(
      portraitBase64(),
      fromBase64Url(settings.sealKey),
      PHOTO_SEAL_CONTEXT,
      rand,
    );
    const withPhoto = await push('visitor.entry', await entryPayload({ photoSealed }));
    expect(withPhoto.result).toEqual({ id: withPhoto.id, status: 'accepted' });
    const without = await push('visitor.entry', await entryPayload({ name: '陈七' }));
    const items = (await register()).items as (Entry & { hasPhoto: boolean })[];
    expect(Object.fromEntries(items.map((e) => [e.id, e.hasPhoto]))).toEqual({
      [withPhoto.id]: true,
      [without.id]: false,
    });

    const reveal = (role: 'clerk' | 'supervisor', id: string) =>
      server.request(`${base()}/visitors/${id}/reveal-photo`, {
        method: 'POST',
        headers: seeded.as(role),
      });
    expect((await reveal('clerk', withPhoto.id)).status).toBe(403);
    expect((await reveal('supervisor', without.id)).status).toBe(404);
    const opened = await reveal('supervisor', withPhoto.id);
    expect(opened.headers.get('content-type')).toBe('image/jpeg');
    expect(opened.headers.get('cache-control')).toBe('no-store');
    expect(new Uint8Array(await opened.arrayBuffer())).toEqual(portraitJpeg());
    const audits = await server.store.db
      .selectFrom('audit')
      .select(['action', 'target_id'])
      .where('action', '=', 'visitor.reveal_photo')
      .execute();
    expect(audits).toEqual([{ action: 'visitor.reveal_photo', target_id: withPhoto.id }]);

    // The same photo sealed to the ID number's field cannot be passed off as the photo.
    const misfiled = await push(
      'visitor.entry',
      await entryPayload({
        photoSealed: await seal(
          portraitBase64(),
          fromBase64Url(settings.sealKey),
          ID_SEAL_CONTEXT,
          rand,
        ),
      }),
    );
    expect((await reveal('supervisor', misfiled.id)).status).toBe(422);

    server.clock.advance(181 * DAY_MS);
    await runMaintenance(server.deps);
    await seeded.signInAgain();
    expect((await reveal('supervisor', withPhoto.id)).status).toBe(404);
    expect(await server.store.db.selectFrom('visitor_photo').selectAll().execute()).toEqual([]);
  });

  it('purges exactly the entries and events older than the retention period', async () => {
    const old = await push('visitor.entry', await entryPayload({ name: '旧' }));
    await push('visitor.exit', { entryId: old.id, method: 'end_of_day' });
    server.clock.advance(100 * DAY_MS);
    const recent = await push('visitor.entry', await entryPayload({ name: '新' }));
    server.clock.advance(80 * DAY_MS + 60_000);
    await runMaintenance(server.deps);
    await seeded.signInAgain();
    expect((await register()).items.map((e) => e.id)).toEqual([recent.id]);
    const events = await server.store.db
      .selectFrom('event')
      .select('id')
      .where('type', 'like', 'visitor.%')
      .execute();
    expect(events.map((e) => e.id)).toEqual([recent.id]);
  });
});
