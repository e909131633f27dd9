/**
 * Helpers for acting as the office in end-to-end tests: the API as the administrator, a kiosk's
 * view of the community's keys (enroll, pull the signed key list, verify it with the pinned root),
 * QR decoding of screenshots with zxing-wasm, a counter of the clerk's inputs and clicks, and an
 * `Office` that also writes synced rows straight into a running server's SQLite file the way the
 * server's own writers do.
 */
import { request, type APIRequestContext, type Locator } from '@playwright/test';
import { fromBase64Url } from '../../../src/domain/bytes';
import {
  createTrustStore,
  verifyKeyList,
  type TrustStore,
} from '../../../src/domain/credential/key-list';
import { openStore, type Store } from '../../../src/server/store/open';
import type { Db } from '../../../src/server/store/db';
import { SyncWriter } from '../../../src/server/store/sync-rows';
export { decodeQrCodes } from '../../support/qr';
import { ADMIN } from './fixtures';
import type { ServerHandle } from './server';

export async function adminApi(
  baseURL: string,
): Promise<{ api: APIRequestContext; communityId: number }> {
  const api = await request.newContext({ baseURL });
  const res = await api.post('/api/auth/sign-in', { data: ADMIN });
  if (!res.ok()) throw new Error(`admin sign-in failed: ${res.status()}`);
  const me = (await res.json()) as { communities: { id: number }[] };
  return { api, communityId: me.communities[0]!.id };
}

export async function json<T>(res: {
  ok(): boolean;
  status(): number;
  text(): Promise<string>;
  json(): Promise<unknown>;
}): Promise<T> {
  if (!res.ok()) throw new Error(`HTTP ${res.status()}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** What a gate would trust: the key list from the sync feed, verified against the root it pins. */
export async function kioskTrust(
  api: APIRequestContext,
  baseURL: string,
  communityId: number,
): Promise<{
  trust: TrustStore;
  pull(
    tables?: string,
  ): Promise<Array<{ table: string; id: string; data?: unknown; deleted: boolean }>>;
}> {
  const enrollment = await json<{ code: string }>(
    await api.post(`/api/communities/${communityId}/devices/enrollments`, {
      data: { name: '东门' },
    }),
  );
  const kiosk = await request.newContext({ baseURL });
  const device = await json<{ token: string; rootPublicKey: string }>(
    await kiosk.post('/api/enroll', { data: { code: enrollment.code, appVersion: 'e2e' } }),
  );
  const headers = { authorization: `Bearer ${device.token}` };
  const pull = async (tables?: string) => {
    const page = await json<{
      changes: Array<{ table: string; id: string; data?: unknown; deleted: boolean }>;
    }>(
      await kiosk.get(`/api/sync/pull?limit=5000${tables ? `&tables=${tables}` : ''}`, { headers }),
    );
    return page.changes;
  };
  const keyList = (await pull('keyList')).find((c) => c.table === 'keyList')!.data as {
    signed: unknown;
  };
  const verified = await verifyKeyList(keyList.signed, fromBase64Url(device.rootPublicKey), {
    communityId,
  });
  if (!verified.ok) throw new Error(`the key list does not verify: ${verified.reason}`);
  return { trust: await createTrustStore(verified.list), pull };
}

/**
 * Counts what a clerk does: each fill, choice and click is one step, as a person would count
 * them (typing a field is one input however long the text).
 */
export class StepCounter {
  readonly steps: string[] = [];
  async click(locator: Locator, what: string) {
    this.steps.push(`click ${what}`);
    await locator.click();
  }
  async fill(locator: Locator, value: string, what: string) {
    this.steps.push(`type ${what}`);
    await locator.fill(value);
  }
  async select(locator: Locator, value: string, what: string) {
    this.steps.push(`choose ${what}`);
    await locator.selectOption(value);
  }
  get count() {
    return this.steps.length;
  }
}

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

  async write(communityId: number, fn: (w: SyncWriter, trx: Db) => Promise<void>): Promise<void> {
    const s = await this.store();
    await s.db
      .transaction()
      .execute(async (trx) => fn(await SyncWriter.open(trx, communityId, Date.now()), trx));
  }

  async close(): Promise<void> {
    await this.opened?.close();
    this.opened = null;
  }
}
