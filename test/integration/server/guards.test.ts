/**
 * Gate guards through the office's API, on both engines: added with a PIN that the gates can check
 * offline (the pulled hash checked with the kiosk's own WebCrypto code), renamed, made supervisor,
 * deactivated and given a new PIN, each change audited and on the gate's feed; the PIN is in no
 * answer, no audit entry and no stored row, and guessable or malformed PINs are refused by field.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkPin } from '../../../src/domain/pin';
import { pullResponseSchema } from '../../../src/domain/sync/protocol';
import type { SyncedRow } from '../../../src/domain/sync/tables';
import { ENGINES } from '../../support/stores';
import {
  createTestServer,
  enrollKiosk,
  seedCommunity,
  type TestServer,
} from '../../support/server';

const PIN = '483920';
const NEW_PIN = '736915';

describe.each(ENGINES)('guards on %s', (engine) => {
  let server: TestServer;
  let seeded: Awaited<ReturnType<typeof seedCommunity>>;
  let kiosk: Awaited<ReturnType<typeof enrollKiosk>>;
  const base = () => `/api/communities/${seeded.community.id}`;
  const as = (role: 'admin' | 'clerk' | 'supervisor') => seeded.as(role);

  /** The kiosk's view of the guards: every `guard` row on the feed from the start. */
  const gateGuards = async () => {
    const res = await server.request('/api/sync/pull?limit=1000', { headers: kiosk.auth });
    const page = pullResponseSchema.parse(await res.json());
    if (page.kind !== 'changes') throw new Error('reset');
    return new Map(
      page.changes
        .filter((c) => c.table === 'guard')
        .map((c) => [c.id, c.data as SyncedRow<'guard'>]),
    );
  };
  const matches = (row: SyncedRow<'guard'>, pin: string) =>
    checkPin(pin, { hash: row.pinHash, salt: row.pinSalt, iterations: row.pinIterations });
  const everything = async () => {
    const db = server.store.db;
    return JSON.stringify([
      await db.selectFrom('guard').selectAll().execute(),
      await db.selectFrom('audit').selectAll().execute(),
      await db.selectFrom('sync_row').selectAll().execute(),
    ]);
  };

  beforeEach(async () => {
    server = await createTestServer(engine);
    seeded = await seedCommunity(server);
    kiosk = await enrollKiosk(server, as('admin'), seeded.community.id);
  });
  afterEach(() => server.close());

  it('adds a guard whose PIN the gate checks offline, and no answer or record holds the PIN', async () => {
    const added = await server.request(`${base()}/guards`, {
      method: 'POST',
      headers: as('supervisor'),
      json: { name: '张保安', pin: PIN },
    });
    expect(added.status).toBe(201);
    const { id } = (await added.json()) as { id: string };

    const listed = await server.request(`${base()}/guards`, { headers: as('supervisor') });
    const listText = await listed.text();
    expect(JSON.parse(listText)).toMatchObject({
      guards: [{ id, name: '张保安', role: 'guard', active: true, pinSetAt: server.clock.now }],
    });
    expect(listText).not.toMatch(/pin(Hash|Salt)|483920/);

    const row = (await gateGuards()).get(id)!;
    expect(row).toMatchObject({ name: '张保安', role: 'guard', active: true });
    expect(await matches(row, PIN)).toBe(true);
    expect(await matches(row, '483921')).toBe(false);

    const audit = await server.store.db
      .selectFrom('audit')
      .select(['action', 'actor_id', 'detail'])
      .where('target_id', '=', id)
      .execute();
    expect(audit).toEqual([
      {
        action: 'guard.add',
        actor_id: expect.any(String),
        detail: JSON.stringify({ name: '张保安', role: 'guard' }),
      },
    ]);
    expect(await everything()).not.toContain(PIN);
  });

  it('refuses a guessable or malformed PIN and an empty name, naming the field, and writes nothing', async () => {
    const before = await everything();
    for (const [body, field] of [
      [{ name: '张保安', pin: '1234' }, 'pin'],
      [{ name: '张保安', pin: '0000' }, 'pin'],
      [{ name: '张保安', pin: '25 80' }, 'pin'],
      [{ name: '张保安', pin: '2580137' }, 'pin'],
      [{ name: '  ', pin: PIN }, 'name'],
      [{ name: '张保安', pin: PIN, role: 'captain' }, 'role'],
    ] as const) {
      const res = await server.request(`${base()}/guards`, {
        method: 'POST',
        headers: as('admin'),
        json: body,
      });
      expect(res.status, JSON.stringify(body)).toBe(400);
      const text = await res.text();
      expect(JSON.parse(text)).toMatchObject({ error: { fields: [{ path: field }] } });
      if (body.pin !== PIN) expect(text).not.toContain(body.pin);
    }
    expect(await everything()).toBe(before);
  });

  it('renames, makes supervisor, deactivates and sets a new PIN; each change audited and sent to the gates', async () => {
    const { id } = (await (
      await server.request(`${base()}/guards`, {
        method: 'POST',
        headers: as('admin'),
        json: { name: '李四', pin: PIN },
      })
    ).json()) as { id: string };
    const oldRow = (await gateGuards()).get(id)!;

    server.clock.advance(60_000);
    const changed = await server.request(`${base()}/guards/${id}`, {
      method: 'PATCH',
      headers: as('supervisor'),
      json: { name: '李主管', role: 'supervisor' },
    });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({
      name: '李主管',
      role: 'supervisor',
      active: true,
      updatedAt: server.clock.now,
    });
    expect((await gateGuards()).get(id)).toMatchObject({ name: '李主管', role: 'supervisor' });

    server.clock.advance(60_000);
    const pinSet = await server.request(`${base()}/guards/${id}/pin`, {
      method: 'PUT',
      headers: as('supervisor'),
      json: { pin: NEW_PIN },
    });
    expect(pinSet.status).toBe(204);
    const newRow = (await gateGuards()).get(id)!;
    expect(newRow.pinSalt).not.toBe(oldRow.pinSalt);
    expect(await matches(newRow, NEW_PIN)).toBe(true);
    expect(await matches(newRow, PIN)).toBe(false);

    server.clock.advance(60_000);
    const off = await server.request(`${base()}/guards/${id}`, {
      method: 'PATCH',
      headers: as('admin'),
      json: { active: false },
    });
    expect(off.status).toBe(200);
    expect((await gateGuards()).get(id)).toMatchObject({ active: false });
    const listed = (await (
      await server.request(`${base()}/guards`, { headers: as('admin') })
    ).json()) as { guards: Array<{ id: string; active: boolean; pinSetAt: number }> };
    expect(listed.guards).toEqual([
      expect.objectContaining({ id, active: false, pinSetAt: server.clock.now - 60_000 }),
    ]);

    const audit = await server.store.db
      .selectFrom('audit')
      .select(['action', 'detail', 'at'])
      .where('target_id', '=', id)
      .orderBy('at')
      .execute();
    expect(audit.map((a) => [a.action, JSON.parse(a.detail) as unknown])).toEqual([
      ['guard.add', { name: '李四', role: 'guard' }],
      [
        'guard.change',
        { name: { from: '李四', to: '李主管' }, role: { from: 'guard', to: 'supervisor' } },
      ],
      ['guard.pin', {}],
      ['guard.change', { active: { from: true, to: false } }],
    ]);
    expect(await everything()).not.toContain(NEW_PIN);
  });

  it('a clerk may not manage guards; an unknown guard is not found', async () => {
    const clerk = await server.request(`${base()}/guards`, {
      method: 'POST',
      headers: as('clerk'),
      json: { name: '张保安', pin: PIN },
    });
    expect(clerk.status).toBe(403);
    for (const [method, path, json] of [
      ['PATCH', 'nobody', { active: false }],
      ['PUT', 'nobody/pin', { pin: PIN }],
    ] as const) {
      const res = await server.request(`${base()}/guards/${path}`, {
        method,
        headers: as('admin'),
        json,
      });
      expect(res.status).toBe(404);
    }
    expect(await gateGuards()).toEqual(new Map());
  });
});
