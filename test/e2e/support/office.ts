/**
 * Helpers for the office console's end-to-end tests: the API as the administrator, a kiosk's view
 * of the community's keys (enroll, pull the signed key list, verify it with the pinned root), QR
 * decoding of screenshots with zxing-wasm, and a counter of the clerk's inputs and clicks.
 */
import { readFileSync } from 'node:fs';
import { request, type APIRequestContext, type Locator } from '@playwright/test';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { fromBase64Url } from '../../../src/domain/bytes';
import {
  createTrustStore,
  verifyKeyList,
  type TrustStore,
} from '../../../src/domain/credential/key-list';
import { ADMIN } from './fixtures';

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

let zxingReady = false;

/** Every QR code in a PNG, with its error-correction level. */
export async function decodeQrCodes(
  png: Uint8Array,
): Promise<Array<{ text: string; ecLevel: string }>> {
  if (!zxingReady) {
    const wasm = readFileSync('node_modules/zxing-wasm/dist/reader/zxing_reader.wasm');
    prepareZXingModule({
      overrides: {
        wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength),
      },
      fireImmediately: true,
    });
    zxingReady = true;
  }
  const results = await readBarcodes(png, { formats: ['QRCode'], maxNumberOfSymbols: 20 });
  return results.filter((r) => r.isValid).map((r) => ({ text: r.text, ecLevel: r.ecLevel }));
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
