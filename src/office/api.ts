/**
 * The office console's one way to the server: JSON in and out, the server's one error shape
 * turned into an `ApiFailure` that names each bad field, and a signed-out session noticed
 * wherever it happens (any 401 sends the clerk back to the sign-in form).
 */
import { signal } from '@preact/signals';

export interface FieldError {
  path: string;
  message: string;
}

export class ApiFailure extends Error {
  override name = 'ApiFailure';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
  }
}

/** Set when the server answered 401: the session ended (expired, signed out elsewhere). */
export const sessionLost = signal(false);

/** Sends a request; an answer that is not 2xx becomes an `ApiFailure` (a 401 ends the session). */
async function send(method: string, path: string, body?: unknown): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(`/api${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiFailure(0, 'network', 'network');
  }
  if (res.ok) return res;
  if (res.status === 401) sessionLost.value = true;
  const data = (await res.json().catch(() => ({}))) as {
    error?: { code: string; message: string; fields?: FieldError[] };
  };
  throw new ApiFailure(
    res.status,
    data.error?.code ?? 'http_error',
    data.error?.message ?? res.statusText,
    data.error?.fields ?? [],
  );
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await send(method, path, body);
  if (res.status === 204) return undefined as T;
  return (await res.json().catch(() => ({}))) as T;
}

/** A POST answered with a file (an image opened for one look): the bytes as a Blob. */
export async function postForBlob(path: string): Promise<Blob> {
  return (await send('POST', path, {})).blob();
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body: unknown = {}) => api<T>('POST', path, body);
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, body);

/** A query string from defined values only. */
export function query(params: Record<string, string | number | boolean | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
