/**
 * Acting as the office against a real server process in end-to-end tests: signing in as the
 * bootstrap administrator, making enrollment codes, revoking, and writing synced rows straight
 * into the server's SQLite file (the office screens for cards and revocations belong to other
 * issues; the rows are written the way the server's own writers do).
 */
import { openStore, type Store } from '../../../src/server/store/open';
import { SyncWriter } from '../../../src/server/store/sync-rows';
import type { ServerHandle } from './server';

export const ADMIN = { username: 'admin', password: 'correct horse battery staple' };
export const ADMIN_ENV = { GATEPOST_BOOTSTRAP_ADMIN: `${ADMIN.username}:${ADMIN.password}` };

export class Office {
  private cookie = '';
  constructor(private readonly server: ServerHandle) {}

  async signIn(): Promise<void> {
    const res = await fetch(`${this.server.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    if (res.status !== 200) throw new Error(`sign-in: ${res.status} ${await res.text()}`);
    this.cookie = /gp_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')![0];
  }

  async api(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
    const { json, ...rest } = init;
    return fetch(`${this.server.url}/api${path}`, {
      ...rest,
      headers: {
        cookie: this.cookie,
        ...(json !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
    });
  }

  async enrollment(name = '东门', communityId = 1) {
    const res = await this.api(`/communities/${communityId}/devices/enrollments`, {
      method: 'POST',
      json: { name },
    });
    if (res.status !== 201) throw new Error(`enrollment: ${res.status}`);
    return (await res.json()) as { code: string; url: string; fingerprint: string };
  }

  async events(communityId = 1): Promise<Array<{ id: string; payload: { text?: string } }>> {
    const out: Array<{ id: string; payload: { text?: string } }> = [];
    const db = await this.store();
    const rows = await db.db
      .selectFrom('event')
      .select(['id', 'payload'])
      .where('community_id', '=', communityId)
      .execute();
    for (const r of rows)
      out.push({ id: r.id, payload: JSON.parse(r.payload) as { text?: string } });
    return out;
  }

  private opened: Store | null = null;
  /** The server's own database, opened beside the running server (SQLite in WAL mode). */
  async store(): Promise<Store> {
    this.opened ??= await openStore({ dataDir: this.server.dataDir });
    return this.opened;
  }

  async write(communityId: number, fn: (w: SyncWriter) => Promise<void>): Promise<void> {
    const s = await this.store();
    await s.db.transaction().execute((trx) => fn(new SyncWriter(trx, communityId, Date.now())));
  }

  async close(): Promise<void> {
    await this.opened?.close();
    this.opened = null;
  }
}
