/**
 * The gate's passages and supervisors end to end in the data layer: a kiosk (fake IndexedDB)
 * enrolled with the in-process server records passages; its sync engine pushes them and the
 * server accepts every one (nothing dead-lettered) and stores them as sent; a passage the schema
 * refuses is dead-lettered, not stored. Guards published by the office reach the kiosk, where a
 * supervisor's PIN is checked offline, with the lockout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enroll } from '../../../src/data/enrollment';
import { recordEvent } from '../../../src/data/outbox';
import { recordPassage, recentPassages, type PassageInput } from '../../../src/data/passages';
import { checkSupervisorPin } from '../../../src/data/supervisor-pin';
import { saveGuards } from '../../../src/server/store/guards';
import { createTestServer, type TestServer } from '../../support/server';
import {
  appFetch,
  BASE_URL,
  engineFor,
  enrollmentCode,
  newCommunity,
  officeWrite,
  openKiosk,
  passage,
  uniqueDbName,
} from '../../support/kiosk';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer('sqlite');
});
afterAll(() => server.close());

async function enrolledKiosk() {
  const community = await newCommunity(server);
  const { code } = await enrollmentCode(server, community.id);
  const db = openKiosk(uniqueDbName());
  const r = await enroll(
    db,
    { fetch: appFetch(server), baseUrl: BASE_URL, now: server.clock.now, appVersion: 'test' },
    { code, fingerprint: null },
  );
  if (!r.ok) throw new Error(r.message);
  return { db, community };
}

describe('passages', () => {
  it('every kind of passage the gate records is accepted by the server, none dead-lettered', async () => {
    const { db, community } = await enrolledKiosk();
    const inputs: PassageInput[] = [
      passage(),
      passage({ direction: 'out' }),
      passage({
        verdict: 'deny',
        reason: 'revoked',
        decision: 'admitted',
        override: { reason: '已核对身份证件', by: 'supervisor', supervisorId: 'G-sup-1' },
      }),
      passage({
        verdict: 'check',
        reason: 'unknown_card',
        decision: 'admitted',
        override: { reason: '已核对身份证件', by: 'guard', supervisorId: null },
        householdIds: [],
        holderName: '',
      }),
      passage({
        verdict: 'allow',
        decision: 'refused',
        override: { reason: '照片与本人不符', by: 'guard', supervisorId: null },
      }),
      passage({
        serial: null,
        credentialType: null,
        verdict: 'deny',
        reason: 'not_gatepost',
        decision: 'refused',
        householdIds: [],
        holderName: '',
      }),
      passage({
        credentialType: 'slip',
        verdict: 'check',
        reason: 'not_a_card',
        decision: 'refused',
      }),
      passage({ manual: true, verdict: 'check', reason: 'data_too_old', decision: 'refused' }),
    ];
    for (const [i, p] of inputs.entries()) {
      await recordPassage(db, p, server.clock.now + i * 1000, -480);
    }
    expect(await db.passages.count()).toBe(inputs.length);
    expect((await recentPassages(db, 1))[0]?.reason).toBe('data_too_old');

    await engineFor(server, db).round();
    expect(await db.deadLetter.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
    expect(await db.sent.count()).toBe(inputs.length);
    const stored = await server.deps.store.db
      .selectFrom('event')
      .select(['type', 'payload'])
      .where('community_id', '=', community.id)
      .orderBy('seq')
      .execute();
    expect(stored.map((e) => e.type)).toEqual(inputs.map(() => 'passage'));
    const { holderName: _h, guardId: _g, ...first } = inputs[0]!;
    expect(JSON.parse(stored[0]!.payload)).toEqual(first);
  });

  it('a passage the schema refuses is dead-lettered with the field named, and does not block the rest', async () => {
    const { db, community } = await enrolledKiosk();
    await recordPassage(db, passage(), server.clock.now, -480);
    const bad = { ...passage(), reason: 'looked_fine' } as Record<string, unknown>;
    delete bad.holderName;
    delete bad.guardId;
    await recordEvent(db, { type: 'passage', payload: bad }, server.clock.now, -480);
    const noSupervisor = {
      ...bad,
      reason: 'revoked',
      override: { reason: '主管同意', by: 'supervisor', supervisorId: null },
    };
    await recordEvent(db, { type: 'passage', payload: noSupervisor }, server.clock.now, -480);
    await recordPassage(db, passage({ direction: 'out' }), server.clock.now, -480);
    await engineFor(server, db).round();
    expect((await db.deadLetter.orderBy('[inst+seq]').toArray()).map((e) => e.reason)).toEqual([
      expect.stringMatching(/^invalid_payload: reason/),
      expect.stringMatching(/^invalid_payload: override\.supervisorId/),
    ]);
    const stored = await server.deps.store.db
      .selectFrom('event')
      .select('seq')
      .where('community_id', '=', community.id)
      .orderBy('seq')
      .execute();
    expect(stored.map((e) => e.seq)).toEqual([1, 4]);
  });
});

describe('supervisor PIN', () => {
  it('guards published by the office reach the kiosk; an active supervisor PIN admits, with a lockout', async () => {
    const { db, community } = await enrolledKiosk();
    await officeWrite(server, community.id, (w, trx) =>
      saveGuards(trx, w, server.clock.now, 'test', [
        { id: 'G-1', name: '张保安', role: 'guard', pin: '1111' },
        { id: 'G-2', name: '李主管', role: 'supervisor', pin: '2468' },
        { id: 'G-3', name: '前主管', role: 'supervisor', pin: '1357', active: false },
      ]),
    );
    const now = Math.floor(server.clock.now / 1000);
    expect(await checkSupervisorPin(db, '2468', now)).toMatchObject({
      ok: false,
      reason: 'no_supervisor',
    });
    await engineFor(server, db).round();

    expect(await checkSupervisorPin(db, '2468', now)).toEqual({
      ok: true,
      supervisorId: 'G-2',
      name: '李主管',
    });
    // A guard's PIN and a former supervisor's PIN are not a supervisor's.
    expect(await checkSupervisorPin(db, '1111', now)).toMatchObject({ ok: false, reason: 'wrong' });
    expect(await checkSupervisorPin(db, '1357', now)).toMatchObject({ ok: false, reason: 'wrong' });
    for (let i = 0; i < 2; i++) await checkSupervisorPin(db, '0000', now);
    // The fifth wrong PIN in a row locks, and while locked even the right one is refused.
    expect(await checkSupervisorPin(db, '9999', now)).toMatchObject({
      ok: false,
      reason: 'locked',
      lockedUntil: now + 300,
    });
    expect(await checkSupervisorPin(db, '2468', now + 10)).toMatchObject({ reason: 'locked' });
    expect(await checkSupervisorPin(db, '2468', now + 301)).toMatchObject({ ok: true });
  });
});
