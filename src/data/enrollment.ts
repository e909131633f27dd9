/**
 * Enrollment on the kiosk: the office's QR (a URL `<server>/?enroll=<code>&fp=<fingerprint>`,
 * opened by the tablet's camera app or decoded by the kiosk's own scanner) or the code typed in
 * (XXXX-XXXX-XXXX, forgiving case, spaces, dashes and the look-alike letters Crockford maps).
 *
 * The kiosk pins the community's root key: the server's answer must carry a key whose fingerprint
 * is the one the server claims and, when the QR gave one, the one in the QR (a code from another
 * server or community is refused). Nothing is stored unless everything checks out.
 */
import { fromBase64Url } from '../domain/bytes';
import { fingerprintOf } from '../domain/credential/es256';
import type { DeviceCredential, KioskDb } from './db';
import { ensureInstallation, renewInstallation } from './outbox';
import type { FetchLike } from './sync/transport';

const CODE_CHARS = /^[0-9A-HJKMNP-TV-Z]{12}$/;

export interface EnrollmentInput {
  code: string;
  /** The root key fingerprint from the QR; absent when the code was typed. */
  fingerprint: string | null;
}

/** Reads a typed code; null when it cannot be one. */
export function normaliseTypedCode(typed: string): string | null {
  const c = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (!CODE_CHARS.test(c)) return null;
  return `${c.slice(0, 4)}-${c.slice(4, 8)}-${c.slice(8, 12)}`;
}

/**
 * Reads what a scanner decoded or a guard typed: an enrollment URL, or a bare code. The scanner of
 * the kiosk hands its decoded text here unchanged.
 */
export function parseEnrollmentText(text: string): EnrollmentInput | null {
  const trimmed = text.trim();
  if (/^https?:\/\//i.test(trimmed)) {
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      return null;
    }
    const code = normaliseTypedCode(url.searchParams.get('enroll') ?? '');
    if (!code) return null;
    return { code, fingerprint: url.searchParams.get('fp') || null };
  }
  const code = normaliseTypedCode(trimmed);
  return code ? { code, fingerprint: null } : null;
}

export type EnrollRefusal = 'unknown' | 'used' | 'expired' | 'foreign' | 'network' | 'server';

export type EnrollResult =
  | { ok: true; credential: DeviceCredential }
  | { ok: false; reason: EnrollRefusal; message: string };

interface EnrollAnswer {
  deviceId: string;
  name: string;
  token: string;
  communityId: number;
  rootPublicKey: string;
  fingerprint: string;
}

function isEnrollAnswer(x: unknown): x is EnrollAnswer {
  const a = x as Partial<EnrollAnswer> | null;
  return (
    !!a &&
    typeof a.deviceId === 'string' &&
    typeof a.name === 'string' &&
    typeof a.token === 'string' &&
    typeof a.communityId === 'number' &&
    typeof a.rootPublicKey === 'string' &&
    typeof a.fingerprint === 'string'
  );
}

/**
 * Exchanges the code for the device credential and stores it (a re-enrollment replaces the
 * previous one; unsent events stay). Resolves with a refusal, never throws for a bad code.
 */
export async function enroll(
  db: KioskDb,
  deps: { fetch: FetchLike; baseUrl: string; now: number; appVersion: string },
  input: EnrollmentInput,
): Promise<EnrollResult> {
  let res: Response;
  try {
    res = await deps.fetch(`${deps.baseUrl}/api/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: input.code, appVersion: deps.appVersion }),
    });
  } catch (e) {
    return { ok: false, reason: 'network', message: (e as Error).message };
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (!res.ok) {
    const code = (body as { error?: { code?: string; message?: string } } | null)?.error;
    const reason = /^enrollment_(unknown|used|expired)$/.exec(code?.code ?? '')?.[1] as
      EnrollRefusal | undefined;
    return {
      ok: false,
      reason: reason ?? (res.status >= 500 ? 'network' : 'server'),
      message: code?.message ?? `HTTP ${res.status}`,
    };
  }
  if (!isEnrollAnswer(body)) return { ok: false, reason: 'server', message: 'unexpected answer' };
  let actual: string;
  try {
    actual = await fingerprintOf(fromBase64Url(body.rootPublicKey));
  } catch {
    return { ok: false, reason: 'foreign', message: 'the root key is not readable' };
  }
  if (actual !== body.fingerprint || (input.fingerprint && input.fingerprint !== actual)) {
    return {
      ok: false,
      reason: 'foreign',
      message: 'the community key does not match the enrollment code',
    };
  }
  const credential: DeviceCredential = {
    deviceId: body.deviceId,
    name: body.name,
    token: body.token,
    communityId: body.communityId,
    rootPublicKey: body.rootPublicKey,
    fingerprint: actual,
    enrolledAt: deps.now,
  };
  await storeCredential(db, credential, deps.now);
  return { ok: true, credential };
}

/**
 * Stores a credential. A kiosk moved to another community (another root key) forgets the synced
 * copy and the trusted key list, and rebuilds on its next pull; its events stay in the outbox.
 */
export async function storeCredential(
  db: KioskDb,
  credential: DeviceCredential,
  now: number,
): Promise<void> {
  const previous = await db.getMeta('device');
  await db.transaction('rw', db.meta, async () => {
    if (previous && previous.fingerprint !== credential.fingerprint) {
      for (const k of ['feed', 'rebuild', 'priority', 'trustedKeyList', 'lastPullAt'] as const) {
        await db.meta.delete(k);
      }
    }
    await db.putMeta('device', credential);
    await db.putMeta('deviceState', 'active');
    await db.putMeta('updateRequired', null);
  });
  // The server ties an installation to one device: another device starts another installation.
  if (previous && previous.deviceId !== credential.deviceId) await renewInstallation(db, now);
  else await ensureInstallation(db, now);
}
