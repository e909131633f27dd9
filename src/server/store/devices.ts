/**
 * Kiosk devices: one-time enrollment codes, the device credential (a random token stored as a
 * hash), what the office sees of each device, revocation, and the kiosk's installations (one per
 * IndexedDB database: a wiped kiosk starts a new one, and the office learns what was lost).
 */
import { randomBytes } from 'node:crypto';
import { CROCKFORD32 } from '../../domain/ids';
import { newId } from '../context';
import { hashToken, randomToken } from '../crypto/secrets';
import type { Db } from './db';

export const ENROLLMENT_CODE_MS = 30 * 60_000;

/** 12 Crockford base-32 characters (60 bits), shown as XXXX-XXXX-XXXX so a guard can type it. */
export function newEnrollmentCode(): string {
  const bytes = randomBytes(12);
  let code = '';
  for (const b of bytes) code += CROCKFORD32[b & 31];
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8, 12)}`;
}

/** Typed codes forgive case, spaces, missing dashes and the letters Crockford maps (O→0, I/L→1). */
export function normaliseEnrollmentCode(typed: string): string {
  const c = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return `${c.slice(0, 4)}-${c.slice(4, 8)}-${c.slice(8, 12)}`;
}

export async function createEnrollmentCode(
  db: Db,
  now: number,
  communityId: number,
  deviceName: string,
  createdBy: string,
): Promise<{ code: string; expiresAt: number }> {
  const code = newEnrollmentCode();
  const expiresAt = now + ENROLLMENT_CODE_MS;
  await db
    .insertInto('enrollment_code')
    .values({
      code_hash: hashToken(code),
      community_id: communityId,
      device_name: deviceName,
      created_by: createdBy,
      created_at: now,
      expires_at: expiresAt,
      used_at: null,
      device_id: null,
    })
    .execute();
  return { code, expiresAt };
}

export type EnrollRefusal = 'unknown' | 'used' | 'expired';

/**
 * Exchanges a code for a device credential, once. The update that marks the code used is the
 * guard against two kiosks racing with one code: only one of them changes the row.
 */
export async function enrollDevice(
  db: Db,
  now: number,
  typedCode: string,
  appVersion: string,
): Promise<
  | { ok: true; deviceId: string; token: string; communityId: number; name: string }
  | { ok: false; reason: EnrollRefusal }
> {
  const hash = hashToken(normaliseEnrollmentCode(typedCode));
  const code = await db
    .selectFrom('enrollment_code')
    .selectAll()
    .where('code_hash', '=', hash)
    .executeTakeFirst();
  if (!code) return { ok: false, reason: 'unknown' };
  if (code.used_at !== null) return { ok: false, reason: 'used' };
  if (code.expires_at <= now) return { ok: false, reason: 'expired' };
  const deviceId = newId(now);
  const claimed = await db
    .updateTable('enrollment_code')
    .set({ used_at: now, device_id: deviceId })
    .where('code_hash', '=', hash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) return { ok: false, reason: 'used' };
  const token = randomToken();
  await db
    .insertInto('device')
    .values({
      id: deviceId,
      community_id: code.community_id,
      name: code.device_name,
      token_hash: hashToken(token),
      created_at: now,
      created_by: code.created_by,
      revoked_at: null,
      revoked_by: null,
      last_seen_at: now,
      last_pull_at: null,
      last_push_at: null,
      app_version: appVersion,
      pending_events: 0,
      installation_id: null,
      storage: '{}',
    })
    .execute();
  return { ok: true, deviceId, token, communityId: code.community_id, name: code.device_name };
}

export type DeviceRow = Awaited<ReturnType<typeof findDeviceByToken>>;

export async function findDeviceByToken(db: Db, token: string) {
  return db
    .selectFrom('device')
    .selectAll()
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst();
}

/** Records that the device was seen; written at most once a minute per device. */
export async function touchDevice(
  db: Db,
  now: number,
  device: NonNullable<DeviceRow>,
  patch: {
    last_pull_at?: number;
    last_push_at?: number;
    app_version?: string;
    pending_events?: number;
  } = {},
): Promise<void> {
  const due = !device.last_seen_at || now - device.last_seen_at > 60_000;
  if (!due && Object.keys(patch).length === 0) return;
  await db
    .updateTable('device')
    .set({ last_seen_at: now, ...patch })
    .where('id', '=', device.id)
    .execute();
}

export async function revokeDevice(
  db: Db,
  now: number,
  communityId: number,
  deviceId: string,
  by: string,
): Promise<boolean> {
  const res = await db
    .updateTable('device')
    .set({ revoked_at: now, revoked_by: by })
    .where('id', '=', deviceId)
    .where('community_id', '=', communityId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function listDevices(db: Db, communityId: number) {
  const devices = await db
    .selectFrom('device')
    .select([
      'id',
      'name',
      'created_at',
      'revoked_at',
      'last_seen_at',
      'last_pull_at',
      'last_push_at',
      'app_version',
      'pending_events',
      'installation_id',
      'storage',
    ])
    .where('community_id', '=', communityId)
    .orderBy('created_at')
    .execute();
  const installations = await db
    .selectFrom('installation')
    .selectAll()
    .where('community_id', '=', communityId)
    .orderBy('first_seen_at')
    .orderBy('id')
    .execute();
  return devices.map((d) => ({
    id: d.id,
    name: d.name,
    createdAt: d.created_at,
    revokedAt: d.revoked_at,
    lastSeenAt: d.last_seen_at,
    lastPullAt: d.last_pull_at,
    lastPushAt: d.last_push_at,
    appVersion: d.app_version,
    pendingEvents: d.pending_events,
    storage: JSON.parse(d.storage) as { usage?: number; quota?: number; persisted?: boolean },
    installations: installations
      .filter((i) => i.device_id === d.id)
      .map((i) => ({
        id: i.id,
        current: i.id === d.installation_id,
        firstSeenAt: i.first_seen_at,
        replacedAt: i.replaced_at,
        maxSeq: i.max_seq,
        eventCount: i.event_count,
        missing: i.max_seq - i.event_count,
      })),
  }));
}

/**
 * A kiosk announces the installation it runs (a new one after its database was wiped). The
 * previous installation is marked replaced: whatever it recorded after its last push is lost,
 * and the office is told how far it had got.
 */
export async function registerInstallation(
  db: Db,
  now: number,
  device: NonNullable<DeviceRow>,
  installationId: string,
  info: {
    appVersion: string;
    storage?: { usage: number; quota: number; persisted: boolean } | undefined;
  },
): Promise<{ replaced: string | null }> {
  const existing = await db
    .selectFrom('installation')
    .selectAll()
    .where('id', '=', installationId)
    .executeTakeFirst();
  if (existing && existing.device_id !== device.id)
    throw new Error('installation of another device');
  if (!existing) {
    await db
      .insertInto('installation')
      .values({
        id: installationId,
        community_id: device.community_id,
        device_id: device.id,
        first_seen_at: now,
        replaced_at: null,
        max_seq: 0,
        event_count: 0,
      })
      .execute();
  }
  let replaced: string | null = null;
  if (device.installation_id && device.installation_id !== installationId) {
    replaced = device.installation_id;
    await db
      .updateTable('installation')
      .set({ replaced_at: now })
      .where('id', '=', replaced)
      .where('replaced_at', 'is', null)
      .execute();
  }
  await db
    .updateTable('device')
    .set({
      installation_id: installationId,
      app_version: info.appVersion,
      last_seen_at: now,
      ...(info.storage ? { storage: JSON.stringify(info.storage) } : {}),
    })
    .where('id', '=', device.id)
    .execute();
  return { replaced };
}
