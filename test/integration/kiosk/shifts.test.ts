/**
 * Guard shifts from the office's guard list to the gate and back, on both engines: guards added
 * through the office's API reach a kiosk (fake IndexedDB), which checks their PINs offline; five
 * wrong PINs lock the shift sign-in for five minutes (kept in the database, apart from the
 * supervisor's override), after which the right PIN starts the shift; records carry the guard; a
 * take-over and an end with a supervisor's PIN; the server's shift register and who is on duty;
 * the handover's figures (who is inside, the shift's passages, visitors and incidents, overdue
 * outings, unsent records).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KioskDb } from '../../../src/data/db';
import { enroll } from '../../../src/data/enrollment';
import { recordIncident, recordOutingOut } from '../../../src/data/gate-records';
import { handover } from '../../../src/data/handover';
import { prepareEntry, recordVisitorEntry, recordVisitorExit } from '../../../src/data/visitors';
import { recordEvent, recordNote } from '../../../src/data/outbox';
import { runMaintenance } from '../../../src/server/maintenance';
import { recordPassage } from '../../../src/data/passages';
import { currentShift, endShift, shiftGuards, startShift } from '../../../src/data/shifts';
import { checkSupervisorPin } from '../../../src/data/supervisor-pin';
import { toBase64Url } from '../../../src/domain/bytes';
import { LOCKOUT_SECONDS } from '../../../src/domain/pin';
import { testPng } from '../../support/images';
import { ENGINES } from '../../support/stores';
import { createTestServer, seedCommunity, type TestServer } from '../../support/server';
import {
  appFetch,
  BASE_URL,
  engineFor,
  enrollmentCode,
  openKiosk,
  passage,
  uniqueDbName,
} from '../../support/kiosk';

const PINS = { zhang: '483920', li: '736915', wang: '592046' };
const TZ = 480;

describe.each(ENGINES)('shifts on %s', (engine) => {
  let server: TestServer;
  let seeded: Awaited<ReturnType<typeof seedCommunity>>;
  let db: KioskDb;
  let dbName: string;
  const ids: Record<keyof typeof PINS, string> = { zhang: '', li: '', wang: '' };
  const base = () => `/api/communities/${seeded.community.id}`;
  const officeGet = async <T>(path: string) =>
    (await (
      await server.request(`${base()}${path}`, { headers: seeded.as('supervisor') })
    ).json()) as T;
  const sync = () => engineFor(server, db).round();

  beforeEach(async () => {
    server = await createTestServer(engine);
    seeded = await seedCommunity(server);
    for (const [who, name, role] of [
      ['zhang', '张保安', 'guard'],
      ['li', '李主管', 'supervisor'],
      ['wang', '王保安', 'guard'],
    ] as const) {
      const res = await server.request(`${base()}/guards`, {
        method: 'POST',
        headers: seeded.as('supervisor'),
        json: { name, role, pin: PINS[who] },
      });
      ids[who] = ((await res.json()) as { id: string }).id;
    }
    const { code } = await enrollmentCode(server, seeded.community.id);
    dbName = uniqueDbName();
    db = openKiosk(dbName);
    const r = await enroll(
      db,
      { fetch: appFetch(server), baseUrl: BASE_URL, now: server.clock.now, appVersion: 'test' },
      { code, fingerprint: null },
    );
    if (!r.ok) throw new Error(r.message);
    await sync();
  });
  afterEach(async () => {
    db.close();
    await server.close();
  });

  it('five wrong PINs lock the sign-in for five minutes, across a reload; then the right PIN starts the shift', async () => {
    expect((await shiftGuards(db)).map((g) => g.name)).toEqual(['李主管', '王保安', '张保安']);
    const t0 = server.clock.now;
    for (let i = 1; i <= 4; i++) {
      expect(await startShift(db, ids.zhang, '000000', t0 + i * 1000, TZ)).toEqual({
        ok: false,
        reason: 'wrong',
        lockedUntil: 0,
        failures: i,
      });
    }
    // Another guard's PIN is wrong for this guard: the fifth wrong PIN locks.
    const locked = await startShift(db, ids.zhang, PINS.wang, t0 + 5000, TZ);
    const until = Math.floor((t0 + 5000) / 1000) + LOCKOUT_SECONDS;
    expect(locked).toMatchObject({ ok: false, reason: 'locked', lockedUntil: until });

    // A reload (a new connection to the same database) is still locked, even for the right PIN.
    db.close();
    db = new KioskDb(dbName);
    expect(await startShift(db, ids.zhang, PINS.zhang, t0 + 60_000, TZ)).toMatchObject({
      reason: 'locked',
      lockedUntil: until,
    });
    // The supervisor's override keeps its own count.
    expect(await checkSupervisorPin(db, PINS.li, Math.floor((t0 + 60_000) / 1000))).toMatchObject({
      ok: true,
    });
    expect(await currentShift(db)).toBeNull();
    expect(await db.outbox.count()).toBe(0);

    const after = (until + 1) * 1000;
    expect(await startShift(db, ids.zhang, PINS.zhang, after, TZ)).toMatchObject({ ok: true });
    expect(await currentShift(db)).toMatchObject({
      guardId: ids.zhang,
      name: '张保安',
      startedAt: after,
    });
    const events = await db.outbox.toArray();
    expect(events.map((e) => [e.type, e.guardId, e.payload.guardId])).toEqual([
      ['shift.start', ids.zhang, ids.zhang],
    ]);
  });

  it('a take-over and an end with a supervisor PIN reach the shift register; records name the guard on duty', async () => {
    const t0 = server.clock.now;
    await startShift(db, ids.zhang, PINS.zhang, t0, TZ);
    const onDuty = (await currentShift(db))!;
    await recordPassage(db, passage({ guardId: onDuty.guardId }), t0 + 60_000, TZ);
    // The next guard starts without the first having ended: the first shift is taken over.
    expect(await startShift(db, ids.wang, PINS.wang, t0 + 3_600_000, TZ)).toMatchObject({
      ok: true,
    });
    expect(await currentShift(db)).toMatchObject({ guardId: ids.wang });
    await sync();
    const duty = await officeGet<{
      guards: Array<{ id: string; onDuty: { deviceName: string; since: number } | null }>;
    }>('/guards');
    expect(Object.fromEntries(duty.guards.map((g) => [g.id, g.onDuty]))).toEqual({
      [ids.li]: null,
      [ids.wang]: { deviceName: '东门', since: t0 + 3_600_000 },
      [ids.zhang]: null,
    });

    // The first guard cannot end the second one's shift; a supervisor can.
    expect(await endShift(db, PINS.zhang, t0 + 7_200_000, TZ)).toMatchObject({ reason: 'wrong' });
    expect(await endShift(db, PINS.li, t0 + 7_200_000, TZ)).toMatchObject({ ok: true });
    expect(await currentShift(db)).toBeNull();
    expect(await endShift(db, PINS.li, t0 + 7_300_000, TZ)).toBeNull();
    await sync();
    expect(await db.outbox.count()).toBe(0);
    expect(await db.deadLetter.count()).toBe(0);

    const register = await officeGet<{ shifts: unknown[] }>('/guard-shifts');
    expect(register.shifts).toEqual([
      {
        id: expect.any(String),
        guardId: ids.wang,
        guardName: '王保安',
        deviceId: expect.any(String),
        deviceName: '东门',
        startedAt: t0 + 3_600_000,
        endedAt: t0 + 7_200_000,
        endReason: 'ended',
        passages: 0,
      },
      expect.objectContaining({
        guardId: ids.zhang,
        guardName: '张保安',
        startedAt: t0,
        endedAt: t0 + 3_600_000,
        endReason: 'taken_over',
        passages: 1,
      }),
    ]);
    const stored = await server.store.db
      .selectFrom('event')
      .select(['guard_id'])
      .where('type', '=', 'passage')
      .executeTakeFirstOrThrow();
    expect(stored.guard_id).toBe(ids.zhang);
    const byGuard = await officeGet<{ shifts: Array<{ guardId: string }> }>(
      `/guard-shifts?guardId=${ids.zhang}`,
    );
    expect(byGuard.shifts.map((s) => s.guardId)).toEqual([ids.zhang]);
  });

  it("after the community's retention the server forgets old shifts, passages and notes; recent ones stay", async () => {
    const DAY = 86_400_000;
    const days = seeded.community.settings.serverRetentionDays;
    const shiftAt = async (at: number) => {
      await startShift(db, ids.zhang, PINS.zhang, at, TZ);
      await recordPassage(db, passage({ guardId: ids.zhang }), at + 60_000, TZ);
      await recordNote(db, '巡查正常', at + 120_000, TZ, ids.zhang);
      await endShift(db, PINS.zhang, at + 3_600_000, TZ);
    };
    const t0 = server.clock.now;
    await shiftAt(t0 - (days + 2) * DAY);
    await shiftAt(t0 - 2 * DAY);
    await sync();
    expect(await db.outbox.count()).toBe(0);
    const kept = async () => ({
      shifts: (await server.store.db.selectFrom('guard_shift').select('started_at').execute()).map(
        (r) => r.started_at,
      ),
      events: (
        await server.store.db
          .selectFrom('event')
          .select(['type', 'at'])
          .where('type', 'in', ['passage', 'kiosk.note', 'shift.start', 'shift.end'])
          .orderBy('at')
          .execute()
      ).map((e) => [e.type, (t0 - e.at) / DAY]),
    });
    expect((await kept()).events).toHaveLength(8);

    await runMaintenance(server.deps);
    expect(await kept()).toEqual({
      shifts: [t0 - 2 * DAY],
      events: [
        ['shift.start', 2],
        ['passage', 2 - 60_000 / DAY],
        ['kiosk.note', 2 - 120_000 / DAY],
        ['shift.end', 2 - 3_600_000 / DAY],
      ],
    });
  });

  it('a deactivated guard cannot start a shift; a shift event without its guard is dead-lettered', async () => {
    await server.request(`${base()}/guards/${ids.wang}`, {
      method: 'PATCH',
      headers: seeded.as('admin'),
      json: { active: false },
    });
    await sync();
    expect((await shiftGuards(db)).map((g) => g.name)).toEqual(['李主管', '张保安']);
    expect(await startShift(db, ids.wang, PINS.wang, server.clock.now, TZ)).toMatchObject({
      ok: false,
      reason: 'wrong',
    });

    await recordEvent(
      db,
      { type: 'shift.start', payload: { shiftId: 'nope' } },
      server.clock.now,
      TZ,
    );
    await sync();
    const dead = await db.deadLetter.toArray();
    expect(dead.map((d) => d.reason)).toEqual([expect.stringMatching(/^invalid_payload: shiftId/)]);
  });

  it("hands over the shift's passages and incidents, the overdue outings and what is not yet sent", async () => {
    const clerk = seeded.as('clerk');
    await server.request(`${base()}/households/import`, {
      method: 'POST',
      headers: clerk,
      json: { file: toBase64Url(new TextEncoder().encode('楼栋,单元,房号,类型\n2,1,101,业主')) },
    });
    const { items } = (await (
      await server.request(`${base()}/households?q=2-1-101`, { headers: clerk })
    ).json()) as { items: Array<{ id: string }> };
    const householdId = items[0]!.id;
    const care = await server.request(`${base()}/care-residents`, {
      method: 'POST',
      headers: clerk,
      json: { householdId, label: '王奶奶', consentBy: 'family', consentNote: '女儿签字' },
    });
    const residentId = ((await care.json()) as { id: string }).id;
    await sync();

    const t0 = server.clock.now;
    // Before the shift: a passage and an incident that belong to the previous one.
    await recordPassage(db, passage(), t0 - 60_000, TZ);
    const sign = (seed: number) => ({ name: '李强', png: toBase64Url(testPng(60, 20, seed)) });
    const incident = (occurredAt: number) => ({
      type: 'illness' as const,
      householdId,
      place: '',
      occurredAt,
      people: '李强',
      happened: '老人在门岗晕倒',
      actions: ['called_120' as const],
      actionsNote: '',
      signatures: { guard: sign(1), supervisor: sign(2), resident: sign(3) },
      photos: [],
    });
    await recordIncident(db, incident(t0 - 120_000), '2-1-101', t0 - 60_000, TZ, null);
    const visitor = (name: string, persons: number) =>
      prepareEntry(
        db,
        {
          kind: 'typed',
          visitor: {
            name,
            id: null,
            phone: '',
            householdId,
            reason: 'visiting',
            persons,
            plate: '',
          },
        },
        { invitationSerial: null, mode: 'guard' },
      );
    // Still inside when the shift begins: handed over.
    await recordVisitorEntry(db, await visitor('王小明', 2), true, t0 - 30_000, null);
    await sync();

    await startShift(db, ids.zhang, PINS.zhang, t0, TZ);
    await recordPassage(db, passage({ guardId: ids.zhang }), t0 + 1000, TZ);
    await recordPassage(db, passage({ guardId: ids.zhang, decision: 'refused' }), t0 + 2000, TZ);
    await recordPassage(db, passage({ guardId: ids.zhang }), t0 + 3000, TZ);
    await recordIncident(db, incident(t0 + 3500), '2-1-101', t0 + 4000, TZ, ids.zhang);
    const gone = await recordVisitorEntry(db, await visitor('李四', 1), true, t0 + 4500, ids.zhang);
    await recordVisitorExit(db, gone, 'tap', t0 + 4600, ids.zhang);
    await recordVisitorEntry(db, await visitor('赵六', 1), false, t0 + 4700, ids.zhang);
    await recordOutingOut(
      db,
      { residentId, householdId, expectedBack: t0 + 3_600_000, takenBy: '女儿', note: '' },
      t0 + 5000,
      TZ,
      ids.zhang,
    );

    const at = (now: number) => handover(db, t0, now, '2026-11-28');
    const early = await at(t0 + 60_000);
    expect(early.passages).toEqual({ admitted: 2, refused: 1 });
    expect(early.incidents.map((i) => [i.occurredAt, i.unit, i.guardId])).toEqual([
      [t0 + 3500, '2-1-101', ids.zhang],
    ]);
    expect(early.overdue).toEqual([]);
    expect(early.inside.map((v) => [v.name, v.persons, v.householdLabel, v.since])).toEqual([
      ['王小明', 2, '2-1-101', t0 - 30_000],
    ]);
    expect(early.visitors).toBe(2);
    // The shift start, three passages, the incident, two visitors in, one out and the outing
    // wait for the next push.
    expect(early.unsent).toBe(9);

    const late = await at(t0 + 3_600_000 + 60_000);
    expect(late.overdue.map((r) => [r.label, r.householdLabel, r.open?.takenBy])).toEqual([
      ['王奶奶', '2-1-101', '女儿'],
    ]);
    await sync();
    expect((await at(t0 + 3_700_000)).unsent).toBe(0);
    // The office's view of the household's gate events names the guard on duty for each (a
    // visitor's exit names no household, so it is not among them).
    const { events } = await officeGet<{
      events: Array<{ type: string; guardName: string | null }>;
    }>(`/households/${householdId}/events`);
    expect(events.map((e) => [e.type, e.guardName])).toEqual([
      ['incident', null],
      ['visitor.entry', null],
      ['incident', '张保安'],
      ['visitor.entry', '张保安'],
      ['visitor.entry', '张保安'],
      ['outing.out', '张保安'],
    ]);
  });
});
