import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { ulid } from '../../../src/domain/ids';
import { pushResponseSchema, type GateEvent } from '../../../src/domain/sync/protocol';
import { ENGINES } from '../../support/stores';
import {
  apiKey,
  createTestServer,
  enrollKiosk,
  seedCommunity,
  type TestServer,
} from '../../support/server';

let clockMs = Date.UTC(2026, 10, 28, 8);
const newUlid = () => ulid(clockMs++, randomBytes(10));

function note(seq: number, text = `note ${seq}`): GateEvent {
  return {
    id: newUlid(),
    seq,
    type: 'kiosk.note',
    at: clockMs,
    tzOffset: 480,
    guardId: null,
    payload: { text },
  };
}

describe.each(ENGINES)('gate → office events on %s', (engine) => {
  let server: TestServer;
  let kiosk: Awaited<ReturnType<typeof enrollKiosk>>;
  let seeded: Awaited<ReturnType<typeof seedCommunity>>;
  const installationId = newUlid();

  const push = async (events: GateEvent[], installation = installationId, auth = kiosk.auth) => {
    const res = await server.request('/api/sync/push', {
      method: 'POST',
      headers: auth,
      json: { installationId: installation, events, pending: 0 },
    });
    expect(res.status).toBe(200);
    return pushResponseSchema.parse(await res.json()).results;
  };
  const storedCount = async () =>
    Number(
      (
        await server.store.db
          .selectFrom('event')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeEach(async () => {
    server = await createTestServer(engine);
    seeded = await seedCommunity(server);
    kiosk = await enrollKiosk(server, seeded.as('admin'), seeded.community.id);
  });
  afterEach(() => server.close());

  it('stores each event once and answers accepted, then duplicate on a resend', async () => {
    const batch = [note(1), note(2), note(3)];
    expect(await push(batch)).toEqual(batch.map((e) => ({ id: e.id, status: 'accepted' })));
    // The response was lost and the kiosk sends the same batch again.
    expect(await push(batch)).toEqual(batch.map((e) => ({ id: e.id, status: 'duplicate' })));
    expect(await storedCount()).toBe(3);
  });

  it('concurrent duplicate pushes of one batch store every event exactly once', async () => {
    const batch = Array.from({ length: 50 }, (_, i) => note(i + 1));
    const answers = await Promise.all(Array.from({ length: 6 }, () => push(batch)));
    for (const e of batch) {
      const statuses = answers.map((a) => a.find((r) => r.id === e.id)!.status);
      expect(statuses.filter((s) => s === 'accepted')).toHaveLength(1);
      expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(5);
    }
    expect(await storedCount()).toBe(50);
  });

  it('rejects what it cannot read into the dead letter without blocking the rest of the batch', async () => {
    const good = note(1);
    const unknownType = { ...note(2), type: 'teleport' };
    const badPayload = { ...note(3), payload: { text: 42 } };
    const reusedSeq = { ...note(1), id: newUlid() };
    const results = await push([good, unknownType, badPayload, reusedSeq]);
    expect(results).toEqual([
      { id: good.id, status: 'accepted' },
      { id: unknownType.id, status: 'rejected', reason: 'unknown_type' },
      {
        id: badPayload.id,
        status: 'rejected',
        reason: expect.stringContaining('invalid_payload: text'),
      },
      { id: reusedSeq.id, status: 'rejected', reason: 'sequence_reused' },
    ]);
    const dead = await server.request(`/api/communities/${seeded.community.id}/dead-letters`, {
      headers: seeded.as('supervisor'),
    });
    const body = (await dead.json()) as { deadLetters: Array<{ id: string; reason: string }> };
    expect(body.deadLetters.map((d) => d.id).sort()).toEqual(
      [unknownType.id, badPayload.id, reusedSeq.id].sort(),
    );
    // A rejected event sent again is rejected again, and stays one dead letter.
    expect((await push([unknownType]))[0]).toMatchObject({ status: 'rejected' });
    expect(await storedCount()).toBe(1);
  });

  it('tells the office which sequence numbers never arrived, per installation', async () => {
    await push([note(1), note(2), note(5), note(6), note(9)]);
    const res = await server.request(
      `/api/communities/${seeded.community.id}/devices/${kiosk.deviceId}/gaps`,
      { headers: seeded.as('admin') },
    );
    const body = (await res.json()) as {
      installations: Array<{ id: string; maxSeq: number; gaps: unknown }>;
    };
    expect(body.installations).toEqual([
      {
        id: installationId,
        replacedAt: null,
        maxSeq: 9,
        gaps: [
          { from: 3, to: 4 },
          { from: 7, to: 8 },
        ],
      },
    ]);
  });

  it('a wiped kiosk announces a new installation and the office sees how far the old one got', async () => {
    await server.request('/api/sync/installations', {
      method: 'POST',
      headers: kiosk.auth,
      json: { installationId },
    });
    await push([note(1), note(2), note(3)]);
    const fresh = newUlid();
    const res = await server.request('/api/sync/installations', {
      method: 'POST',
      headers: kiosk.auth,
      json: { installationId: fresh },
    });
    expect(await res.json()).toMatchObject({ replaced: installationId });
    const devices = await server.request(`/api/communities/${seeded.community.id}/devices`, {
      headers: seeded.as('clerk'),
    });
    const [device] = (
      (await devices.json()) as {
        devices: Array<{ installations: Array<Record<string, unknown>> }>;
      }
    ).devices;
    expect(device!.installations).toEqual([
      expect.objectContaining({
        id: installationId,
        current: false,
        replacedAt: server.clock.now,
        maxSeq: 3,
        eventCount: 3,
        missing: 0,
      }),
      expect.objectContaining({ id: fresh, current: true, replacedAt: null, maxSeq: 0 }),
    ]);
  });

  it('a revoked kiosk is refused at once, and nothing it sends is stored', async () => {
    const revoke = await server.request(
      `/api/communities/${seeded.community.id}/devices/${kiosk.deviceId}/revoke`,
      { method: 'POST', headers: seeded.as('admin') },
    );
    expect(revoke.status).toBe(204);
    const res = await server.request('/api/sync/push', {
      method: 'POST',
      headers: kiosk.auth,
      json: { installationId, events: [note(1)] },
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'device_revoked' } });
    const pull = await server.request('/api/sync/pull', { headers: kiosk.auth });
    expect(pull.status).toBe(403);
    expect(await storedCount()).toBe(0);
  });

  it('the main system reads the events in the order received, page by page, without losing one', async () => {
    const integration = await apiKey(server, seeded.as('admin'), seeded.community.id, [
      'events:read',
    ]);
    const sent: string[] = [];
    for (let b = 0; b < 5; b++) {
      const batch = Array.from({ length: 7 }, (_, i) => note(b * 7 + i + 1));
      sent.push(...batch.map((e) => e.id));
      await push(batch);
    }
    const seen: string[] = [];
    let after = '';
    for (let i = 0; i < 20; i++) {
      const res = await server.request(
        `/api/integration/v1/events?limit=4${after ? `&after=${after}` : ''}`,
        { headers: integration.auth },
      );
      const page = (await res.json()) as {
        events: Array<{ id: string; device: string; payload: unknown }>;
        next: string;
        hasMore: boolean;
      };
      seen.push(...page.events.map((e) => e.id));
      after = page.next;
      if (!page.hasMore) break;
    }
    expect(seen).toEqual(sent);
    const bad = await server.request('/api/integration/v1/events?after=not-a-cursor', {
      headers: integration.auth,
    });
    expect(bad.status).toBe(400);
  });
});
