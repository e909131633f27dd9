/**
 * A server killed with SIGKILL in the middle of ingesting batches loses none of the events it had
 * acknowledged: an answer to a kiosk is given only after a durable commit.
 */
import { afterAll, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ulid } from '../../../src/domain/ids';
import { startServer, type ServerHandle } from '../../e2e/support/server';
import { enrollOverHttp, jsonFetch, signIn } from '../../support/http-client';

const handles: ServerHandle[] = [];
afterAll(async () => {
  for (const h of handles) await h.stop('SIGKILL');
});

it('every acknowledged event is still there after a SIGKILL mid-batch and a restart', async () => {
  const env = { GATEPOST_BOOTSTRAP_ADMIN: 'admin:crash-test-password' };
  const first = await startServer({ env });
  handles.push(first);
  const session = await signIn(first.url, 'admin', 'crash-test-password');
  const kiosk = await enrollOverHttp(first.url, session);
  const installationId = ulid(Date.now(), randomBytes(10));

  let seq = 0;
  const acknowledged = new Set<string>();
  const sentInFlight: string[][] = [];
  const push = async () => {
    const events = Array.from({ length: 200 }, () => ({
      id: ulid(Date.now(), randomBytes(10)),
      seq: ++seq,
      type: 'kiosk.note',
      at: Date.now(),
      tzOffset: 480,
      payload: { text: 'crash test' },
    }));
    sentInFlight.push(events.map((e) => e.id));
    const res = await jsonFetch<{ results: Array<{ id: string; status: string }> }>(
      `${first.url}/api/sync/push`,
      {
        method: 'POST',
        headers: kiosk.auth,
        json: { installationId, events },
      },
    );
    for (const r of res.body.results)
      if (r.status === 'accepted' || r.status === 'duplicate') acknowledged.add(r.id);
  };

  // Some batches answered, then several in flight at once; the kill lands while they are.
  for (let i = 0; i < 5; i++) await push();
  const inFlight = Array.from({ length: 6 }, () => push().catch(() => 'connection lost'));
  await new Promise<void>((resolve) => setImmediate(resolve));
  first.process.kill('SIGKILL');
  await Promise.all(inFlight);
  await first.stop();
  expect(acknowledged.size).toBeGreaterThanOrEqual(1000);

  // The restarted server recovers the database (WAL replay); then it is read directly.
  const second = await startServer({ dataDir: first.dataDir, env });
  handles.push(second);
  const health = await jsonFetch<{ status: string }>(`${second.url}/api/health`);
  expect(health.body.status).toBe('ok');
  await second.stop();
  const db = new Database(path.join(first.dataDir, 'gatepost.sqlite'), { readonly: true });
  const stored = new Set(
    (db.prepare('select id from event').all() as Array<{ id: string }>).map((r) => r.id),
  );
  db.close();
  const missing = [...acknowledged].filter((id) => !stored.has(id));
  expect(missing).toEqual([]);
  // A batch is one transaction: each in-flight batch is there whole or not at all.
  for (const batch of sentInFlight) {
    const present = batch.filter((id) => stored.has(id)).length;
    expect([0, batch.length]).toContain(present);
  }
});
