import { afterAll, beforeAll, expect, it } from 'vitest';
import { enroll } from '../../../src/data/enrollment';
import { createTestServer, type TestServer } from '../../support/server';
import {
  appFetch,
  BASE_URL,
  cardRow,
  engineFor,
  enrollmentCode,
  kioskState,
  newCommunity,
  officeWrite,
  openKiosk,
  uniqueDbName,
} from '../../support/kiosk';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer('sqlite');
});
afterAll(() => server.close());

it('a running engine long-polls and pulls an office change as soon as the server hints', async () => {
  const community = await newCommunity(server);
  const { code } = await enrollmentCode(server, community.id);
  const db = openKiosk(uniqueDbName());
  const r = await enroll(
    db,
    { fetch: appFetch(server), baseUrl: BASE_URL, now: server.clock.now, appVersion: 'test' },
    { code, fingerprint: null },
  );
  expect(r.ok).toBe(true);
  const engine = engineFor(server, db, { waitSeconds: 5 });
  const stop = new AbortController();
  const running = engine.run(stop.signal);
  await expect.poll(() => engine.status.phase, { timeout: 5000 }).toBe('waiting');
  await officeWrite(server, community.id, (w) => w.put('card', [{ id: '1', data: cardRow(1) }]));
  await expect.poll(async () => (await kioskState(db)).has('card:1'), { timeout: 3000 }).toBe(true);
  stop.abort();
  engine.nudge();
  await running;
});
