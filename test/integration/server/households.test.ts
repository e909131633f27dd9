import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toBase64Url } from '../../../src/domain/bytes';
import { HOUSEHOLD_CSV_TEMPLATE } from '../../../src/domain/household-csv';
import { encodeGb18030 } from '../../support/gb18030';
import { ENGINES } from '../../support/stores';
import { apiKey, createTestServer, seedCommunity, type TestServer } from '../../support/server';

const utf8 = (text: string) => toBase64Url(new TextEncoder().encode(text));

const GOOD = [
  '楼栋,单元,房号,类型,已搬出,面积',
  '3,2,1201,业主,否,120.5',
  '3,2,1202,出租,否,98',
  '10,1,101,空置,否,80',
  '2,1,101,商铺,是,60',
].join('\r\n');

// Line 3: an unknown occupancy; line 5: no room number.
const BAD = [
  '楼栋,单元,房号,类型,已搬出',
  '3,2,1201,业主,否',
  '3,2,1202,借住,否',
  '10,1,101,空置,否',
  '2,1,,商铺,是',
].join('\n');

type Household = {
  id: string;
  label: string;
  occupancy: string;
  movedOut: boolean;
  occupants: string[];
};

describe.each(ENGINES)('the office household list and CSV import on %s', (engine) => {
  let server: TestServer;
  let seeded: Awaited<ReturnType<typeof seedCommunity>>;
  const base = () => `/api/communities/${seeded.community.id}`;
  const list = async (q = '') =>
    (await (
      await server.request(`${base()}/households?${q}`, { headers: seeded.as('clerk') })
    ).json()) as {
      total: number;
      items: Household[];
    };
  const send = (path: string, file: string) =>
    server.request(`${base()}/households/${path}`, {
      method: 'POST',
      headers: seeded.as('clerk'),
      json: { file },
    });

  beforeEach(async () => {
    server = await createTestServer(engine);
    seeded = await seedCommunity(server);
  });
  afterEach(() => server.close());

  it('previews a file with bad rows, line by line, and imports none of it; the fixed file imports whole', async () => {
    const preview = await send('import/preview', utf8(BAD));
    expect(preview.status).toBe(200);
    const report = (await preview.json()) as {
      errors: { line: number; field: string }[];
      created: number;
    };
    expect(report.errors.map((e) => [e.line, e.field])).toEqual([
      [3, 'occupancy'],
      [5, 'room'],
    ]);
    expect(report.created).toBe(0);

    const apply = await send('import', utf8(BAD));
    expect(apply.status).toBe(400);
    expect(await apply.json()).toMatchObject({
      error: {
        code: 'invalid_rows',
        fields: [
          { path: 'lines.3.occupancy', message: 'must be 业主, 租户, 空置 or 商铺' },
          { path: 'lines.5.room' },
        ],
      },
    });
    expect((await list()).total).toBe(0);

    const ok = await send('import/preview', utf8(GOOD));
    expect(await ok.json()).toMatchObject({
      encoding: 'utf-8',
      rows: 4,
      errors: [],
      created: 4,
      ignoredColumns: ['面积'],
      sample: [{ line: 2, building: '3', unit: '2', room: '1201', occupancy: 'owner' }, {}, {}, {}],
    });
    // The preview wrote nothing.
    expect((await list()).total).toBe(0);
    const imported = await send('import', utf8(GOOD));
    expect(await imported.json()).toEqual({
      created: 4,
      updated: 0,
      unchanged: 0,
      movedOut: 0,
      suspendedCards: 0,
    });
    const all = await list();
    expect(all.items.map((h) => h.label)).toEqual(['2-1-101', '3-2-1201', '3-2-1202', '10-1-101']);
    expect(all.items.map((h) => h.occupancy)).toEqual(['shop', 'owner', 'tenant', 'vacant']);
    // Importing the same file again changes nothing.
    expect(await (await send('import', utf8(GOOD))).json()).toMatchObject({
      created: 0,
      unchanged: 4,
    });

    const log = await server.request(`${base()}/audit?action=household.import`, {
      headers: seeded.as('admin'),
    });
    expect(((await log.json()) as { entries: unknown[] }).entries).toHaveLength(2);
  });

  it('reads GB18030 files as exported by Chinese spreadsheets, and the downloadable template', async () => {
    const gb = await send('import', toBase64Url(encodeGb18030(GOOD)));
    expect(gb.status).toBe(200);
    expect((await list()).items.map((h) => h.label)).toContain('3-2-1201');
    const preview = await send('import/preview', toBase64Url(encodeGb18030(GOOD)));
    expect(await preview.json()).toMatchObject({ encoding: 'gb18030', unchanged: 4 });

    const template = await send('import', utf8(HOUSEHOLD_CSV_TEMPLATE));
    expect(await template.json()).toMatchObject({ unchanged: 1, created: 0 });
  });

  it('reports a file without the columns it needs, and a broken file, at the file', async () => {
    const noRoom = await send('import/preview', utf8('楼栋,单元,类型\n1,1,业主'));
    expect(await noRoom.json()).toMatchObject({ errors: [{ line: 1, field: 'room' }] });
    const open = await send('import/preview', utf8('楼栋,单元,房号,类型\n1,1,"101,业主'));
    expect(await open.json()).toMatchObject({ errors: [{ line: 2, field: '(file)' }] });
    const notBase64 = await send('import', 'not base64!');
    expect(notBase64.status).toBe(400);
  });

  it('searches by building-unit-room and by occupant, sorts in natural order and pages', async () => {
    const integration = await apiKey(server, seeded.as('admin'), seeded.community.id, [
      'households:write',
      'residents:write',
    ]);
    const homes = Array.from({ length: 25 }, (_, i) => ({
      externalId: `H${i}`,
      building: String(1 + (i % 12)),
      unit: '1',
      room: String(101 + i),
      occupancy: 'owner',
    }));
    await server.request('/api/integration/v1/households', {
      method: 'PUT',
      headers: integration.auth,
      json: { households: homes },
    });
    await server.request('/api/integration/v1/residents', {
      method: 'PUT',
      headers: integration.auth,
      json: {
        residents: [
          { externalId: 'R1', householdExternalId: 'H7', name: '欧阳娜娜', relation: 'owner' },
          {
            externalId: 'R2',
            householdExternalId: 'H8',
            name: '刘强',
            relation: 'tenant',
            movedOut: true,
          },
        ],
      },
    });
    const first = await list('limit=10');
    expect(first.total).toBe(25);
    expect(first.items.map((h) => h.label).slice(0, 3)).toEqual(['1-1-101', '1-1-113', '1-1-125']);
    const last = await list('limit=10&offset=20');
    expect(last.items.map((h) => h.label).at(-1)).toBe('12-1-124');
    expect((await list('desc=true&limit=1')).items[0]!.label).toBe('12-1-124');
    expect((await list('q=8-1-1')).items.map((h) => h.label)).toEqual(['8-1-108', '8-1-120']);
    expect((await list('q=欧阳')).items).toMatchObject([
      { label: '8-1-108', occupants: ['欧阳娜娜'] },
    ]);
    expect((await list('q=刘强')).total).toBe(0);
    expect((await list('q=_')).total).toBe(0);

    const h = first.items[0]!;
    const patch = await server.request(`${base()}/households/${h.id}`, {
      method: 'PATCH',
      headers: seeded.as('clerk'),
      json: { movedOut: true },
    });
    expect(patch.status).toBe(200);
    expect((await list('movedOut=true')).items.map((x) => x.label)).toEqual([h.label]);
    const supervisor = await server.request(`${base()}/households/${h.id}`, {
      method: 'PATCH',
      headers: seeded.as('supervisor'),
      json: { movedOut: false },
    });
    expect(supervisor.status).toBe(403);
  });
});
