/**
 * The kiosk's HTTP client for the sync routes. It classifies every failure once, so the engine
 * decides on kinds, never on status codes: the network is judged by what requests do, not by
 * `navigator.onLine` (research sync.md pitfall 10).
 */
import { SYNC_SCHEMA_VERSION } from '../../domain/sync/protocol';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** Transient: the request may be retried later (no network, timeout, 5xx, 429). */
export class NetworkError extends Error {
  override name = 'NetworkError';
}
/** The server no longer knows this kiosk's credential (401). */
export class UnauthorizedError extends Error {
  override name = 'UnauthorizedError';
}
/** The office revoked this kiosk (403 device_revoked). */
export class RevokedError extends Error {
  override name = 'RevokedError';
}
/** The server speaks a sync contract this app does not (409 update_required, or bad data). */
export class UpdateRequiredError extends Error {
  override name = 'UpdateRequiredError';
}
/** The server refused this request itself (another 4xx): retrying it unchanged will not help. */
export class RefusedError extends Error {
  override name = 'RefusedError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const REQUEST_TIMEOUT_MS = 30_000;

export class Transport {
  constructor(
    private readonly baseUrl: string,
    private readonly fetchFn: FetchLike,
    private readonly token: () => string,
    readonly appVersion: string,
  ) {}

  private async request(
    path: string,
    init: RequestInit,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<Response> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${this.token()}`);
    let res: Response;
    try {
      res = await this.fetchFn(`${this.baseUrl}${path}`, {
        ...init,
        headers,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (e) {
      // fetch rejects with TypeError when the network fails and with an AbortError/TimeoutError
      // DOMException when aborted; anything else is not about the network and goes up as it is.
      if (e instanceof TypeError || (e as { name?: string }).name === 'AbortError') {
        throw new NetworkError((e as Error).message);
      }
      if ((e as { name?: string }).name === 'TimeoutError') throw new NetworkError('timed out');
      throw e;
    }
    if (res.ok) return res;
    let code = '';
    let message = `HTTP ${res.status}`;
    try {
      const body = (await res.json()) as { error?: { code?: string; message?: string } };
      code = body.error?.code ?? '';
      message = body.error?.message ?? message;
    } catch {
      // Not JSON (a proxy's error page): the status says enough.
    }
    if (res.status === 401) throw new UnauthorizedError(message);
    if (res.status === 403 && code === 'device_revoked') throw new RevokedError(message);
    if (res.status === 409 && code === 'update_required') throw new UpdateRequiredError(message);
    if (res.status >= 500 || res.status === 429 || res.status === 408) {
      throw new NetworkError(message);
    }
    throw new RefusedError(res.status, code, message);
  }

  async getJson(
    path: string,
    query: Record<string, string | number>,
    opts: { signal?: AbortSignal; timeoutMs?: number } = {},
  ): Promise<unknown> {
    const qs = new URLSearchParams(
      Object.entries({ ...query, schema: SYNC_SCHEMA_VERSION }).map(([k, v]) => [k, String(v)]),
    );
    const res = await this.request(
      `${path}?${qs}`,
      { method: 'GET' },
      opts.timeoutMs ?? REQUEST_TIMEOUT_MS,
      opts.signal,
    );
    return this.body(res);
  }

  async postJson(path: string, body: unknown): Promise<unknown> {
    const res = await this.request(
      path,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      },
      REQUEST_TIMEOUT_MS,
    );
    return this.body(res);
  }

  async getBytes(path: string): Promise<{ bytes: ArrayBuffer; type: string }> {
    const res = await this.request(path, { method: 'GET' }, REQUEST_TIMEOUT_MS);
    try {
      return {
        bytes: await res.arrayBuffer(),
        type: res.headers.get('content-type') ?? 'application/octet-stream',
      };
    } catch (e) {
      throw new NetworkError(`body lost: ${(e as Error).message}`);
    }
  }

  private async body(res: Response): Promise<unknown> {
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      throw new NetworkError(`body lost: ${(e as Error).message}`);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // A captive portal or a proxy answering in the server's place: a network problem.
      throw new NetworkError('the answer is not JSON');
    }
  }
}
