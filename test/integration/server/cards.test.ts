import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CARD_VALIDITY_RULES } from '../../../src/domain/rules/card-validity';
import { fromBase64Url } from '../../../src/domain/bytes';
import { defaultCardDates } from '../../../src/domain/card';
import { verifyCode } from '../../../src/domain/credential/verify';
import { matchHash } from '../../../src/domain/match-hash';
import { createTrustStore, verifyKeyList } from '../../../src/domain/credential/key-list';
import { pullResponseSchema, type Change } from '../../../src/domain/sync/protocol';
import { cardRowSchema, revocationRowSchema } from '../../../src/domain/sync/tables';
import { ENGINES } from '../../support/stores';
import { ID_NUMBERS, portraitBase64, portraitJpeg, residentId } from '../../support/cards';
import { toBase64Url } from '../../../src/domain/bytes';
import {
  apiKey,
  createTestServer,
  enrollKiosk,
  seedCommunity,
  type TestServer,
} from '../../support/server';

const TZ = 'Asia/Shanghai';
const DAY = 86_400;

type Card = {
  serial: number;
  status: string;
  statusReason: string;
  idMasked: string;
  validFrom: number;
  validUntil: number;
  code?: string;
  households: { id: string; label: string }[];
  followsSerial: number | null;
  followedBySerial: number | null;
};

describe.each(ENGINES)('temporary access cards on %s', (engine) => {
  let server: TestServer;
  let seeded: Awaited<ReturnType<typeof seedCommunity>>;
  let communityId: number;
  let integration: Awaited<ReturnType<typeof apiKey>>;
  let households: Record<string, string>;
  const base = () => `/api/communities/${communityId}`;

  const nowS = () => Math.floor(server.clock.now / 1000);
  const dates = () =>
    defaultCardDates({ now: nowS(), timeZone: TZ, rules: DEFAULT_CARD_VALIDITY_RULES });

  const cardBody = (over: Record<string, unknown> = {}) => ({
    holderName: '王秀英',
    role: 'hourly',
    idType: 'resident_card',
    idNumber: ID_NUMBERS.a,
    phone: '138 1234 5678',
    householdIds: [households['3-2-1201']],
    window: { weekdays: 0b0011111, startQuarter: 32, endQuarter: 72 },
    ...dates(),
    depositNote: '押金 20 元',
    photo: portraitBase64(),
    ...over,
  });

  async function issue(over: Record<string, unknown> = {}, role: 'clerk' | 'admin' = 'clerk') {
    return server.request(`${base()}/cards`, {
      method: 'POST',
      headers: seeded.as(role),
      json: cardBody(over),
    });
  }

  async function issued(over: Record<string, unknown> = {}): Promise<Card> {
    const res = await issue(over);
    expect(res.status, await res.clone().text()).toBe(201);
    return (await res.json()) as Card;
  }

  async function post(
    path: string,
    json: unknown,
    role: 'clerk' | 'admin' | 'supervisor' = 'clerk',
  ) {
    return server.request(`${base()}${path}`, { method: 'POST', headers: seeded.as(role), json });
  }

  async function feed(auth: Record<string, string>, tables?: string) {
    const res = await server.request(
      `/api/sync/pull?limit=1000${tables ? `&tables=${tables}` : ''}`,
      {
        headers: auth,
      },
    );
    const page = pullResponseSchema.parse(await res.json());
    if (page.kind !== 'changes') throw new Error('unexpected reset');
    return page.changes;
  }
  const rowOf = (changes: Change[], table: string, id: string) =>
    changes.find((c) => c.table === table && c.id === id);

  beforeEach(async () => {
    server = await createTestServer(engine);
    seeded = await seedCommunity(server);
    communityId = seeded.community.id;
    integration = await apiKey(server, seeded.as('admin'), communityId, ['households:write']);
    const put = await server.request('/api/integration/v1/households', {
      method: 'PUT',
      headers: integration.auth,
      json: {
        households: [
          { externalId: 'H1', building: '3', unit: '2', room: '1201', occupancy: 'owner' },
          { externalId: 'H2', building: '3', unit: '2', room: '1202', occupancy: 'tenant' },
          { externalId: 'H3', building: '5', unit: '1', room: '301', occupancy: 'owner' },
        ],
      },
    });
    expect(put.status).toBe(200);
    const list = await server.request(`${base()}/households?limit=10`, {
      headers: seeded.as('clerk'),
    });
    const body = (await list.json()) as { items: { id: string; label: string }[] };
    households = Object.fromEntries(body.items.map((h) => [h.label, h.id]));
  });
  afterEach(() => server.close());

  it('issues a card whose code verifies with the key list the gate receives, and sends the gate its row', async () => {
    const kiosk = await enrollKiosk(server, seeded.as('admin'), communityId);
    const card = await issued();
    expect(card).toMatchObject({
      serial: 1,
      status: 'active',
      idMasked: `110***********${ID_NUMBERS.a.slice(-4)}`,
      households: [{ label: '3-2-1201' }],
    });
    expect(card.code).toMatch(/^GP1:/);

    const changes = await feed(kiosk.auth);
    const keyList = rowOf(changes, 'keyList', 'current')!.data as { signed: unknown };
    const list = await verifyKeyList(keyList.signed, fromBase64Url(kiosk.rootPublicKey), {
      communityId,
    });
    expect(list.ok).toBe(true);
    if (!list.ok) return;
    const verdict = await verifyCode(card.code!, {
      trust: await createTrustStore(list.list),
      now: nowS(),
      clockToleranceS: 300,
    });
    expect(verdict).toMatchObject({
      ok: true,
      credential: {
        type: 'card',
        serial: 1,
        notBefore: card.validFrom,
        expires: card.validUntil,
        window: { weekdays: 0b0011111, startQuarter: 32, endQuarter: 72 },
      },
    });

    const row = cardRowSchema.parse(rowOf(changes, 'card', '1')!.data);
    expect(row).toMatchObject({ holderName: '王秀英', role: 'hourly', status: 'active' });
    expect(row.idMasked).toBe(card.idMasked);
    expect(row.photoHash).toMatch(/^[0-9a-f]{64}$/);
    // The phone only as its keyed hash under the match key the gate holds: the gate finds the
    // holder by the number they say, and holds no number.
    const settings = rowOf(changes, 'settings', 'community')!.data as { matchKey: string };
    expect(row.phoneMatch).toBe(
      await matchHash(fromBase64Url(settings.matchKey), 'phone', '13812345678'),
    );
    expect(JSON.stringify(row)).not.toContain('13812345678');
    const photo = await server.request(`/api/sync/photos/${row.photoHash}`, {
      headers: kiosk.auth,
    });
    expect(photo.headers.get('content-type')).toBe('image/jpeg');
    expect(new Uint8Array(await photo.arrayBuffer())).toEqual(portraitJpeg());

    // A reprint prints the same code.
    const again = await server.request(`${base()}/cards/1`, { headers: seeded.as('clerk') });
    expect(((await again.json()) as Card).code).toBe(card.code);
  });

  it('refuses what the rules refuse, naming each field, and writes nothing', async () => {
    const { validFrom } = dates();
    // The shape first (the route's declared body), then the rules that need the clock and the
    // community (the office form checks both at once with the same schemas).
    const shape = await issue({
      holderName: '',
      window: { weekdays: 0, startQuarter: 32, endQuarter: 72 },
    });
    expect(shape.status).toBe(400);
    expect(
      ((await shape.json()) as { error: { fields: { path: string }[] } }).error.fields
        .map((f) => f.path)
        .sort(),
    ).toEqual(['holderName', 'window.weekdays']);

    const res = await issue({
      idNumber: ID_NUMBERS.a.slice(0, 17) + (ID_NUMBERS.a.endsWith('1') ? '2' : '1'),
      phone: '12345',
      validUntil: validFrom + 100 * DAY,
    });
    expect(res.status).toBe(400);
    const text = await res.text();
    const body = JSON.parse(text) as { error: { fields: { path: string; message: string }[] } };
    expect(body.error.fields.map((f) => f.path).sort()).toEqual([
      'idNumber',
      'phone',
      'validUntil',
    ]);
    expect(body.error.fields.find((f) => f.path === 'idNumber')!.message).toContain('checksum');
    expect(body.error.fields.find((f) => f.path === 'validUntil')!.message).toContain(
      'three months',
    );
    // The refused number is not echoed back.
    expect(text).not.toContain(ID_NUMBERS.a.slice(0, 17));

    const photos: [Uint8Array, string | RegExp][] = [
      [portraitJpeg(300, 400), 'dimensions'],
      [new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'not_jpeg'],
      [new Uint8Array(51_201).fill(0xff), /too big/i],
    ];
    for (const [bytes, reason] of photos) {
      const r = await issue({ photo: toBase64Url(bytes) });
      expect(r.status).toBe(400);
      const { error } = (await r.json()) as {
        error: { fields: { path: string; message: string }[] };
      };
      expect(error.fields).toHaveLength(1);
      expect(error.fields[0]!.path).toBe('photo');
      expect(error.fields[0]!.message).toMatch(reason);
    }
    const unknown = await issue({ idSealed: 'x' });
    expect(unknown.status).toBe(400);
    const list = await server.request(`${base()}/cards`, { headers: seeded.as('clerk') });
    expect(await list.json()).toMatchObject({ total: 0 });
  });

  it('keeps a card within the year when the community says so', async () => {
    const patch = await server.request(base(), {
      method: 'PATCH',
      headers: seeded.as('admin'),
      json: { settings: { cardsEndWithYear: true } },
    });
    expect(patch.status).toBe(200);
    // 28 November: the default 90 days would run into February.
    const res = await issue();
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: {
        fields: [{ path: 'validUntil', message: 'cards of this community end with the year' }],
      },
    });
    const endOfYear = Date.UTC(2026, 11, 31, 15, 59, 59) / 1000;
    const ok = await issued({ validUntil: endOfYear });
    expect(ok.validUntil).toBe(endOfYear);
  });

  it('gives a person one live card at a time', async () => {
    await issued();
    const again = await issue({ idNumber: ` ${ID_NUMBERS.a.toLowerCase()} ` });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: 'holder_has_card' } });
    expect((await issue({ idNumber: ID_NUMBERS.b })).status).toBe(201);
  });

  it('lists cards expiring within 7 days and renews one: a new code, and the old card stops when the new one starts', async () => {
    const kiosk = await enrollKiosk(server, seeded.as('admin'), communityId);
    const card = await issued();
    const early = await post(`/cards/${card.serial}/renew`, {});
    expect(early.status).toBe(400);
    expect(await early.json()).toMatchObject({
      error: { fields: [{ path: 'validFrom', message: 'renewal_too_early' }] },
    });

    server.clock.advance(85 * DAY * 1000);
    await seeded.signInAgain();
    const expiring = await server.request(`${base()}/cards?expiringWithinDays=7`, {
      headers: seeded.as('clerk'),
    });
    expect(await expiring.json()).toMatchObject({ total: 1, items: [{ serial: card.serial }] });

    const res = await post(`/cards/${card.serial}/renew`, {});
    expect(res.status).toBe(201);
    const renewed = (await res.json()) as Card;
    expect(renewed.serial).toBe(card.serial + 1);
    expect(renewed.code).not.toBe(card.code);
    expect(renewed.validFrom).toBe(nowS());
    expect(renewed.followsSerial).toBe(card.serial);

    const old = (await (
      await server.request(`${base()}/cards/${card.serial}`, { headers: seeded.as('clerk') })
    ).json()) as Card;
    expect(old).toMatchObject({
      status: 'superseded',
      statusReason: 'renewed',
      validUntil: renewed.validFrom,
      followedBySerial: renewed.serial,
    });
    const revocations = await feed(kiosk.auth, 'revocation');
    expect(
      revocationRowSchema.parse(rowOf(revocations, 'revocation', `card:${card.serial}`)!.data),
    ).toMatchObject({
      serial: card.serial,
      reason: 'renewed',
      revokedAt: renewed.validFrom,
    });
    expect((await post(`/cards/${card.serial}/renew`, {})).status).toBe(409);
  });

  it('revokes with a reason: the revocation travels on the stream the kiosk pulls first, and is audited', async () => {
    const kiosk = await enrollKiosk(server, seeded.as('admin'), communityId);
    const card = await issued();
    const res = await post(`/cards/${card.serial}/revoke`, {
      reason: 'left_job',
      note: '雇主告知已辞工',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'revoked', statusReason: 'left_job' });
    const stream = await feed(kiosk.auth, 'revocation');
    expect(stream.map((c) => c.id)).toEqual([`card:${card.serial}`]);
    expect(stream[0]!.data).toMatchObject({ reason: 'left_job', note: '雇主告知已辞工' });
    expect(
      cardRowSchema.parse(rowOf(await feed(kiosk.auth), 'card', String(card.serial))!.data).status,
    ).toBe('revoked');
    expect((await post(`/cards/${card.serial}/revoke`, { reason: 'misuse' })).status).toBe(409);

    const log = await server.request(`${base()}/audit?action=card.revoke`, {
      headers: seeded.as('admin'),
    });
    expect(await log.json()).toMatchObject({
      entries: [
        { action: 'card.revoke', targetId: String(card.serial), detail: { reason: 'left_job' } },
      ],
    });
  });

  it('reports a card lost and hands over a replacement with a new code and the same end', async () => {
    const card = await issued();
    server.clock.advance(3 * DAY * 1000);
    await seeded.signInAgain();
    const res = await post(`/cards/${card.serial}/report-lost`, { note: '丢在公交车上' });
    expect(res.status).toBe(200);
    const { revoked, replacement } = (await res.json()) as { revoked: Card; replacement: Card };
    expect(revoked).toMatchObject({
      status: 'revoked',
      statusReason: 'lost',
      followedBySerial: replacement.serial,
    });
    expect(replacement).toMatchObject({
      status: 'active',
      followsSerial: card.serial,
      validUntil: card.validUntil,
    });
    expect(replacement.validFrom).toBe(nowS());
    expect(replacement.code).not.toBe(card.code);
  });

  it('suspends the cards of workers whose employer moved out, by either path, until the office reviews them', async () => {
    const kiosk = await enrollKiosk(server, seeded.as('admin'), communityId);
    const two = await issued({ householdIds: [households['3-2-1201'], households['3-2-1202']] });
    const other = await issued({ idNumber: ID_NUMBERS.b, householdIds: [households['5-1-301']] });

    // The main system reports 3-2-1201 moved out.
    const put = await server.request('/api/integration/v1/households', {
      method: 'PUT',
      headers: integration.auth,
      json: {
        households: [
          {
            externalId: 'H1',
            building: '3',
            unit: '2',
            room: '1201',
            occupancy: 'owner',
            movedOut: true,
          },
        ],
      },
    });
    expect(put.status).toBe(200);
    const get = async (serial: number) =>
      (await (
        await server.request(`${base()}/cards/${serial}`, { headers: seeded.as('clerk') })
      ).json()) as Card;
    expect(await get(two.serial)).toMatchObject({ status: 'suspended', statusReason: 'moved_out' });
    expect(await get(other.serial)).toMatchObject({ status: 'active' });
    const stream = await feed(kiosk.auth, 'revocation');
    expect(stream.map((c) => [c.id, (c.data as { reason: string }).reason])).toEqual([
      [`card:${two.serial}`, 'moved_out'],
    ]);

    // Reinstating needs every remaining employer to live here: the moved-out one is dropped.
    const refused = await post(`/cards/${two.serial}/reinstate`, {});
    expect(refused.status).toBe(400);
    const back = await post(`/cards/${two.serial}/reinstate`, {
      householdIds: [households['3-2-1202']],
    });
    expect(back.status).toBe(200);
    expect(await back.json()).toMatchObject({
      status: 'active',
      households: [{ label: '3-2-1202' }],
    });
    const after = await feed(kiosk.auth, 'revocation');
    expect(rowOf(after, 'revocation', `card:${two.serial}`)).toMatchObject({ deleted: true });

    // The office's own switch ends in the same rule.
    const patch = await server.request(`${base()}/households/${households['5-1-301']}`, {
      method: 'PATCH',
      headers: seeded.as('clerk'),
      json: { movedOut: true },
    });
    expect(await patch.json()).toMatchObject({ movedOut: true, suspendedCards: [other.serial] });
    expect(await get(other.serial)).toMatchObject({ status: 'suspended' });

    const log = await server.request(`${base()}/audit?action=card.suspend`, {
      headers: seeded.as('admin'),
    });
    const entries = ((await log.json()) as { entries: { targetId: string; actorType: string }[] })
      .entries;
    expect(entries.map((e) => [e.targetId, e.actorType]).sort()).toEqual(
      [
        [String(two.serial), 'api_key'],
        [String(other.serial), 'staff'],
      ].sort(),
    );
    // A card cannot be issued for a household that has moved out.
    const refusedIssue = await issue({
      idNumber: ID_NUMBERS.c,
      householdIds: [households['5-1-301']],
    });
    expect(await refusedIssue.json()).toMatchObject({
      error: { fields: [{ path: 'householdIds.0', message: 'has moved out' }] },
    });
  });

  it('reveals a sealed ID number only to roles allowed to, and audits each reveal', async () => {
    const card = await issued();
    expect((await post(`/cards/${card.serial}/reveal-id`, undefined, 'clerk')).status).toBe(403);
    const res = await post(`/cards/${card.serial}/reveal-id`, undefined, 'supervisor');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ idType: 'resident_card', idNumber: ID_NUMBERS.a });
    const log = await server.request(`${base()}/audit?action=card.reveal_id`, {
      headers: seeded.as('admin'),
    });
    expect(await log.json()).toMatchObject({
      entries: [{ action: 'card.reveal_id', targetId: String(card.serial), actorType: 'staff' }],
    });
    // A supervisor reads cards but does not issue them.
    expect((await issue({ idNumber: ID_NUMBERS.b }, 'clerk')).status).toBe(201);
    const bySupervisor = await server.request(`${base()}/cards`, {
      method: 'POST',
      headers: seeded.as('supervisor'),
      json: cardBody({ idNumber: ID_NUMBERS.c }),
    });
    expect(bySupervisor.status).toBe(403);
    // Who may call is decided before the body is read: a bad body from the wrong caller is a 403.
    const badBody = await server.request(`${base()}/cards`, {
      method: 'POST',
      headers: seeded.as('supervisor'),
      json: { nonsense: true },
    });
    expect(badBody.status).toBe(403);
  });

  it('never lets a sealed ID number out: not in any response, sync row, export, audit entry or log line', async () => {
    const logged: string[] = [];
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
      vi.spyOn(console, m).mockImplementation((...args: unknown[]) => {
        logged.push(args.map(String).join(' '));
      }),
    );
    try {
      const kiosk = await enrollKiosk(server, seeded.as('admin'), communityId);
      const card = await issued();
      await post(`/cards/${card.serial}/revoke`, { reason: 'lost' });
      await issued({ idNumber: ID_NUMBERS.a });
      await issue({ idNumber: ID_NUMBERS.a }); // refused: a duplicate
      await issue({ idNumber: ID_NUMBERS.a, validUntil: 1 }); // refused: bad dates
      const texts: string[] = [];
      for (const role of ['clerk', 'supervisor', 'admin'] as const) {
        for (const path of [
          '/cards',
          '/cards?q=王',
          '/cards/roster',
          `/cards/${card.serial}`,
          `/cards/${card.serial + 1}`,
          '/households',
          '/audit?limit=500',
        ]) {
          texts.push(
            await (await server.request(`${base()}${path}`, { headers: seeded.as(role) })).text(),
          );
        }
      }
      texts.push(
        await (await server.request('/api/sync/pull?limit=1000', { headers: kiosk.auth })).text(),
      );
      const everything = texts.join('\n') + logged.join('\n');
      expect(everything).toContain('110***********');
      for (const number of [ID_NUMBERS.a]) {
        expect(everything).not.toContain(number);
        expect(everything).not.toContain(number.slice(3, 14));
      }
      const sealed = await server.store.db.selectFrom('card').select('id_sealed').execute();
      for (const s of sealed) expect(everything).not.toContain(s.id_sealed);
    } finally {
      for (const s of spies) s.mockRestore();
    }
  });

  it('hands out serials without gaps or repeats, and one live card per person, under concurrent issuing', async () => {
    const people = Array.from({ length: 8 }, (_, i) => residentId(`1101051990010100${i}`));
    const results = await Promise.all([
      ...people.map((idNumber) => issue({ idNumber })),
      issue({ idNumber: people[0] }),
      issue({ idNumber: people[1] }),
    ]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(8).fill(201), 409, 409]);
    const serials = await Promise.all(
      results.filter((r) => r.status === 201).map(async (r) => ((await r.json()) as Card).serial),
    );
    expect(serials.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('searches by holder, serial and employer unit, filters by state, sorts and pages on the server', async () => {
    await issued({ holderName: '王秀英' });
    await issued({
      holderName: '李娟',
      idNumber: ID_NUMBERS.b,
      householdIds: [households['5-1-301']],
    });
    await issued({ holderName: '张小红', idNumber: ID_NUMBERS.c, role: 'tutor' });
    await post('/cards/3/revoke', { reason: 'misuse' });
    const list = async (q: string) =>
      (await (
        await server.request(`${base()}/cards?${q}`, { headers: seeded.as('clerk') })
      ).json()) as {
        total: number;
        items: Card[];
      };
    expect((await list('q=李')).items.map((c) => c.serial)).toEqual([2]);
    expect((await list('q=2')).items.map((c) => c.serial).sort()).toEqual([1, 2, 3]);
    expect((await list('q=5-1')).items.map((c) => c.serial)).toEqual([2]);
    expect((await list('q=%25')).total).toBe(0);
    expect((await list('state=revoked')).items.map((c) => c.serial)).toEqual([3]);
    expect((await list('state=valid&sort=serial&desc=false')).items.map((c) => c.serial)).toEqual([
      1, 2,
    ]);
    const page = await list('sort=serial&desc=false&limit=2&offset=2');
    expect(page).toMatchObject({ total: 3, items: [{ serial: 3 }] });
    const roster = (await (
      await server.request(`${base()}/cards/roster`, { headers: seeded.as('clerk') })
    ).json()) as {
      items: Card[];
    };
    expect(roster.items.map((c) => c.serial).sort()).toEqual([1, 2]);
    // Lists mask the phone; the card itself shows it to those who may read cards.
    expect(JSON.stringify(roster)).toContain('138****5678');
  });
});
