/**
 * Key households, outings and incidents through the API, on both engines: the change table's
 * import (bad rows refused, nothing written), the form and the dated, attributed history; who
 * receives a category (never a kiosk, never a clerk); the outing register going overdue as the
 * clock moves; incident records with their signatures and photos, readable only by supervisors
 * and never in the raw event list or the main system's feed.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toBase64Url } from '../../../src/domain/bytes';
import { ulid } from '../../../src/domain/ids';
import { CATEGORY_WORDS } from '../../../src/domain/key-household-csv';
import { KEY_HOUSEHOLD_CATEGORIES } from '../../../src/domain/key-household';
import { pullResponseSchema, type GateEvent } from '../../../src/domain/sync/protocol';
import { OUTING_DAYS, runMaintenance } from '../../../src/server/maintenance';
import { testJpeg, testPng } from '../../support/images';
import { encodeGb18030 } from '../../support/gb18030';
import { ENGINES } from '../../support/stores';
import {
  apiKey,
  createTestServer,
  enrollKiosk,
  seedCommunity,
  type TestServer,
} from '../../support/server';

const utf8 = (text: string) => toBase64Url(new TextEncoder().encode(text));
const HOUR = 3600_000;

const HOUSEHOLDS = [
  '楼栋,单元,房号,类型',
  '3,2,1201,业主',
  '3,2,1202,出租',
  '5,1,601,业主',
  '2,1,101,业主',
].join('\n');

// Line 3: a category the table does not know; line 4: a household that does not exist.
const BAD_CHANGES = [
  '楼栋,单元,房号,重点户类别,门岗说明',
  '3,2,1202,租赁户,物资搬出须凭放行条',
  '5,1,601,爱吵架,',
  '9,9,909,独居老人,',
].join('\n');

const GOOD_CHANGES = [
  '楼栋,单元,房号,重点户类别,门岗说明',
  '3,2,1202,租赁户,物资搬出须凭放行条',
  '5,1,601,犯罪记录、习惯性滋事,记录来访人员和时间',
  '2,1,101,独居老人,两天未见请敲门',
].join('\n');

/** Every word a category could be shown as, in the catalogs' languages and as codes. */
const CATEGORY_TEXT = [
  ...KEY_HOUSEHOLD_CATEGORIES,
  ...Object.values(CATEGORY_WORDS).flat(),
  '犯罪',
  '滋事',
  '信用',
  '孕',
  '老人',
].filter((w) => w.length > 0);

describe.each(ENGINES)('key households, outings and incidents on %s', (engine) => {
  let server: TestServer;
  let seeded: Awaited<ReturnType<typeof seedCommunity>>;
  let kiosk: Awaited<ReturnType<typeof enrollKiosk>>;
  let clock = Date.UTC(2026, 10, 28, 8);
  let seq = 0;
  const installationId = ulid(clock, randomBytes(10));
  const base = () => `/api/communities/${seeded.community.id}`;
  const as = (role: 'admin' | 'clerk' | 'supervisor') => seeded.as(role);
  const getJson = async <T>(path: string, headers: Record<string, string>) => {
    const res = await server.request(path, { headers });
    expect(res.status, `${path}: ${res.status}`).toBe(200);
    return (await res.json()) as T;
  };
  const households = async () =>
    Object.fromEntries(
      (
        await getJson<{ items: Array<{ id: string; label: string }> }>(
          `${base()}/households?limit=200`,
          as('clerk'),
        )
      ).items.map((h) => [h.label, h.id]),
    );
  const push = async (type: string, payload: Record<string, unknown>, at = server.clock.now) => {
    const event: GateEvent = {
      id: ulid(clock++, randomBytes(10)),
      seq: ++seq,
      type,
      at,
      tzOffset: 480,
      guardId: 'guard-1',
      payload,
    };
    const res = await server.request('/api/sync/push', {
      method: 'POST',
      headers: kiosk.auth,
      json: { installationId, events: [event], pending: 0 },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { results: Array<{ status: string; reason?: string }> };
    expect(body.results[0], JSON.stringify(body.results[0])).toMatchObject({ status: 'accepted' });
    return event.id;
  };
  const pullText = async () => {
    const res = await server.request('/api/sync/pull?limit=1000', { headers: kiosk.auth });
    const page = pullResponseSchema.parse(await res.json());
    if (page.kind !== 'changes') throw new Error('reset');
    return { text: JSON.stringify(page.changes), changes: page.changes };
  };

  beforeEach(async () => {
    server = await createTestServer(engine);
    seeded = await seedCommunity(server);
    kiosk = await enrollKiosk(server, seeded.as('admin'), seeded.community.id);
    seq = 0;
    const res = await server.request(`${base()}/households/import`, {
      method: 'POST',
      headers: as('clerk'),
      json: { file: utf8(HOUSEHOLDS) },
    });
    expect(res.status).toBe(200);
  });
  afterEach(() => server.close());

  it('refuses a change table with bad rows, line by line, and writes nothing; the good one is applied, dated and attributed', async () => {
    const send = (path: string, file: string) =>
      server.request(`${base()}/key-households/${path}`, {
        method: 'POST',
        headers: as('supervisor'),
        json: { file },
      });
    const preview = (await (await send('import/preview', utf8(BAD_CHANGES))).json()) as {
      errors: Array<{ line: number; field: string }>;
    };
    expect(preview.errors.map((e) => [e.line, e.field])).toEqual([[3, 'categories']]);
    const refused = await send('import', utf8(BAD_CHANGES));
    expect(refused.status).toBe(400);
    // The unknown household is found once the words are right: fix line 3 only.
    const stillBad = await send('import', utf8(BAD_CHANGES.replace('爱吵架', '滋事')));
    expect(stillBad.status).toBe(400);
    expect(await stillBad.json()).toMatchObject({
      error: { code: 'invalid_rows', fields: [{ path: 'lines.4.room' }] },
    });
    const empty = await getJson<{ items: unknown[] }>(`${base()}/key-households`, as('supervisor'));
    expect(empty.items).toEqual([]);

    // The office's spreadsheet saved as GB18030, as older systems do.
    server.clock.advance(HOUR);
    const ok = await send('import', toBase64Url(encodeGb18030(GOOD_CHANGES)));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ set: 3, removed: 0 });
    const ids = await households();

    // The form takes 101 off the list a day later.
    server.clock.advance(24 * HOUR);
    await seeded.signInAgain();
    const off = await server.request(`${base()}/key-households/${ids['2-1-101']}`, {
      method: 'PUT',
      headers: as('admin'),
      json: { categories: [], note: '' },
    });
    expect(off.status).toBe(200);

    const list = await getJson<{
      items: Array<{ label: string; categories: string[]; instructions: string[] }>;
    }>(`${base()}/key-households`, as('supervisor'));
    expect(list.items.map((i) => [i.label, i.categories, i.instructions])).toEqual([
      ['3-2-1202', ['rental'], ['goods_need_slip_with_consent']],
      [
        '5-1-601',
        ['under_watch', 'troublemaker'],
        ['note_visitors_and_times', 'report_to_supervisor'],
      ],
    ]);
    const history = await getJson<{
      changes: Array<{ label: string; action: string; at: number; by: string }>;
    }>(`${base()}/key-households/changes?householdId=${ids['2-1-101']}`, as('supervisor'));
    expect(history.changes.map((c) => [c.action, c.at, c.by])).toEqual([
      ['removed', server.clock.now, `admin${seeded.community.id}`],
      ['added', server.clock.now - 24 * HOUR, `supervisor${seeded.community.id}`],
    ]);
  });

  it('sends the gate the instruction and never the category; a clerk sees what the guard sees', async () => {
    const ids = await households();
    const key = await apiKey(server, as('admin'), seeded.community.id, [
      'households:write',
      'key_households:write',
    ]);
    const put = await server.request('/api/integration/v1/key-households', {
      method: 'PUT',
      headers: key.auth,
      json: {
        keyHouseholds: [{ householdExternalId: 'nope', categories: ['rental'] }],
      },
    });
    expect(put.status).toBe(400);
    for (const [label, categories] of [
      ['3-2-1202', ['rental']],
      ['5-1-601', ['under_watch', 'bad_credit']],
      ['2-1-101', ['vulnerable_pregnancy', 'vulnerable_medical']],
    ] as const) {
      const res = await server.request(`${base()}/key-households/${ids[label]}`, {
        method: 'PUT',
        headers: as('supervisor'),
        json: { categories, note: '请留意' },
      });
      expect(res.status).toBe(200);
    }

    const { text, changes } = await pullText();
    const rows = changes.filter((c) => c.table === 'keyHousehold');
    expect(rows).toHaveLength(3);
    for (const w of CATEGORY_TEXT) expect(text, `the kiosk received "${w}"`).not.toContain(w);

    const clerkList = await server.request(`${base()}/key-households`, { headers: as('clerk') });
    const clerkText = await clerkList.text();
    const clerkItems = (JSON.parse(clerkText) as { items: Array<Record<string, unknown>> }).items;
    expect(clerkItems).toHaveLength(3);
    expect(clerkItems.every((i) => !('categories' in i))).toBe(true);
    expect(clerkItems.find((i) => i.label === '3-2-1202')).toMatchObject({
      instructions: ['goods_need_slip_with_consent'],
      note: '请留意',
    });
    for (const w of KEY_HOUSEHOLD_CATEGORIES) expect(clerkText).not.toContain(w);
    const clerkHistory = await server.request(`${base()}/key-households/changes`, {
      headers: as('clerk'),
    });
    const historyText = await clerkHistory.text();
    expect(JSON.parse(historyText)).toMatchObject({ changes: expect.any(Array) });
    for (const w of KEY_HOUSEHOLD_CATEGORIES) expect(historyText).not.toContain(w);
    // A clerk cannot change the list either.
    const write = await server.request(`${base()}/key-households/${ids['3-2-1201']}`, {
      method: 'PUT',
      headers: as('clerk'),
      json: { categories: ['rental'], note: '' },
    });
    expect(write.status).toBe(403);
  });

  it('keeps the outing record only with consent, and an outing past its expected return is overdue in the office and at the gate', async () => {
    const ids = await households();
    const noConsent = await server.request(`${base()}/care-residents`, {
      method: 'POST',
      headers: as('clerk'),
      json: { householdId: ids['2-1-101'], label: '王奶奶', notSeenDays: 2 },
    });
    expect(noConsent.status).toBe(400);
    expect(JSON.stringify(await noConsent.json())).toContain('consentBy');

    const created = await server.request(`${base()}/care-residents`, {
      method: 'POST',
      headers: as('clerk'),
      json: {
        householdId: ids['2-1-101'],
        label: '王奶奶',
        consentBy: 'family',
        consentNote: '女儿王芳签字，表格存客服中心',
        notSeenDays: 2,
      },
    });
    expect(created.status).toBe(201);
    const { id: residentId } = (await created.json()) as { id: string };

    const outingId = ulid(clock++, randomBytes(10));
    const outAt = server.clock.now;
    await push('outing.out', {
      outingId,
      residentId,
      householdId: ids['2-1-101'],
      expectedBack: outAt + 2 * HOUR,
      takenBy: '女儿',
      note: '去医院复查',
    });
    type Resident = { overdue: boolean; notSeen: boolean; open: { outingId: string } | null };
    const state = async () =>
      (await getJson<{ items: Resident[] }>(`${base()}/care-residents`, as('clerk'))).items[0]!;
    expect(await state()).toMatchObject({ overdue: false, open: { outingId } });

    server.clock.advance(2 * HOUR + 60_000);
    await seeded.signInAgain();
    expect(await state()).toMatchObject({ overdue: true, open: { outingId } });
    // Every gate learns of the outing, so another gate can take the return.
    const { changes } = await pullText();
    const row = changes.find((c) => c.table === 'careResident')!;
    expect(row.data).toMatchObject({
      label: '王奶奶',
      lastOuting: { outingId, outAt, expectedBack: outAt + 2 * HOUR, backAt: null },
    });
    expect(JSON.stringify(row.data)).not.toContain('女儿王芳');

    await push('outing.back', { outingId, residentId, householdId: ids['2-1-101'] });
    expect(await state()).toMatchObject({ overdue: false, open: null, notSeen: false });
    const register = await getJson<{ outings: Array<{ backAt: number; takenBy: string }> }>(
      `${base()}/outings`,
      as('supervisor'),
    );
    expect(register.outings).toEqual([
      expect.objectContaining({ takenBy: '女儿', backAt: server.clock.now }),
    ]);

    server.clock.advance(2 * 24 * HOUR + 60_000);
    await seeded.signInAgain();
    expect(await state()).toMatchObject({ notSeen: true });

    // The household's events by date, for the office (4.3.2.2).
    const events = await getJson<{ events: Array<{ type: string }> }>(
      `${base()}/households/${ids['2-1-101']}/events?from=${outAt - 1}&to=${outAt + 3 * HOUR}`,
      as('supervisor'),
    );
    expect(events.events.map((e) => e.type)).toEqual(['outing.out', 'outing.back']);

    // Whereabouts are kept for the outing register's retention, then deleted.
    server.clock.advance(OUTING_DAYS * 24 * HOUR);
    await runMaintenance(server.deps);
    await seeded.signInAgain();
    expect(
      (await getJson<{ outings: unknown[] }>(`${base()}/outings`, as('supervisor'))).outings,
    ).toEqual([]);
    expect(await state()).toMatchObject({ open: null, notSeen: true });
    // Their gate events and the household index of them go too.
    const afterPurge = await getJson<{ events: unknown[] }>(
      `${base()}/households/${ids['2-1-101']}/events?from=${outAt - 1}&to=${outAt + 3 * HOUR}`,
      as('supervisor'),
    );
    expect(afterPurge.events).toEqual([]);
    const left = await server.store.db
      .selectFrom('event')
      .select('type')
      .where('type', 'in', ['outing.out', 'outing.back'])
      .execute();
    expect(left).toEqual([]);
    expect(await server.store.db.selectFrom('event_household').selectAll().execute()).toEqual([]);
  });

  it('stores an incident with three signatures and a photo for supervisors only, and keeps its words out of the event lists', async () => {
    const ids = await households();
    const photo = testJpeg();
    const payload = {
      type: 'home_entry',
      householdId: ids['2-1-101'],
      place: '',
      occurredAt: server.clock.now - HOUR,
      people: '秩序维护员李强、主管张伟、邻居陈女士',
      happened: '两日未见出入，敲门无人应，经主管同意入户查看，老人摔倒在卧室',
      actions: ['called_120', 'contacted_family'],
      actionsNote: '120 于 9:40 到达',
      signatures: {
        guard: { name: '李强', png: toBase64Url(testPng(60, 20, 1)) },
        supervisor: { name: '张伟', png: toBase64Url(testPng(60, 20, 2)) },
        resident: { name: '王芳', png: toBase64Url(testPng(60, 20, 3)) },
      },
      photos: [toBase64Url(photo)],
    };
    const eventId = await push('incident', payload);

    const list = await getJson<{ incidents: Array<{ id: string; signedBy: object }> }>(
      `${base()}/incidents`,
      as('supervisor'),
    );
    expect(list.incidents).toEqual([
      expect.objectContaining({
        id: eventId,
        unit: '2-1-101',
        signedBy: { guard: '李强', supervisor: '张伟', resident: '王芳' },
        photoCount: 1,
      }),
    ]);
    const detail = await getJson<{
      happened: string;
      photos: string[];
      signatures: Record<string, { image: string }>;
    }>(`${base()}/incidents/${eventId}`, as('supervisor'));
    expect(detail.happened).toBe(payload.happened);
    const image = await server.request(
      `${base()}/incidents/${eventId}/images/${detail.photos[0]}`,
      { headers: as('supervisor') },
    );
    expect(image.headers.get('content-type')).toBe('image/jpeg');
    expect(new Uint8Array(await image.arrayBuffer())).toEqual(photo);
    const sig = await server.request(
      `${base()}/incidents/${eventId}/images/${detail.signatures.resident!.image}`,
      { headers: as('supervisor') },
    );
    expect(sig.headers.get('content-type')).toBe('image/png');

    // A clerk reads neither the record nor its images, and the raw lists carry neither.
    expect((await server.request(`${base()}/incidents`, { headers: as('clerk') })).status).toBe(
      403,
    );
    expect(
      (
        await server.request(`${base()}/incidents/${eventId}/images/${detail.photos[0]}`, {
          headers: as('clerk'),
        })
      ).status,
    ).toBe(403);
    const raw = await server.request(`${base()}/events?type=incident`, { headers: as('clerk') });
    const rawText = await raw.text();
    expect(rawText).toContain(eventId);
    expect(rawText).not.toContain('敲门无人应');
    expect(rawText).not.toContain(toBase64Url(photo).slice(0, 40));
    const feedKey = await apiKey(server, as('admin'), seeded.community.id, ['events:read']);
    const feed = await server.request('/api/integration/v1/events', { headers: feedKey.auth });
    const feedText = await feed.text();
    expect(feedText).toContain(eventId);
    expect(feedText).not.toContain('敲门无人应');
    expect(feedText).not.toContain('李强');
    // Reading it was audited.
    const audits = await server.store.db
      .selectFrom('audit')
      .select(['action', 'target_id'])
      .where('action', '=', 'incident.read')
      .execute();
    expect(audits).toEqual([{ action: 'incident.read', target_id: eventId }]);
  });

  it('dead-letters an incident without all three signatures or with a photo that is not a JPEG', async () => {
    const res = await server.request('/api/sync/push', {
      method: 'POST',
      headers: kiosk.auth,
      json: {
        installationId,
        pending: 0,
        events: [
          {
            id: ulid(clock++, randomBytes(10)),
            seq: 1,
            type: 'incident',
            at: server.clock.now,
            tzOffset: 480,
            guardId: null,
            payload: {
              type: 'illness',
              householdId: null,
              place: '3栋大堂',
              occurredAt: server.clock.now,
              people: '',
              happened: '住户晕倒',
              actions: [],
              actionsNote: '',
              signatures: {
                guard: { name: '李强', png: toBase64Url(testPng()) },
                supervisor: { name: '张伟', png: toBase64Url(testPng()) },
              },
              photos: [toBase64Url(testPng())],
            },
          },
        ],
      },
    });
    const body = (await res.json()) as { results: Array<{ status: string; reason: string }> };
    expect(body.results[0]).toMatchObject({ status: 'rejected' });
    expect(body.results[0]!.reason).toMatch(/signatures\.resident|photos/);
  });
});
