/**
 * Staff accounts, their roles per community, sessions (in the database, so several server
 * instances share them), sign-in throttling and the one-time setup token.
 */
import type { Role } from '../../domain/permissions';
import { newId } from '../context';
import { hashPassword, hashToken, randomToken } from '../crypto/secrets';
import type { Db } from './db';

export interface StaffAccount {
  id: string;
  username: string;
  displayName: string;
  disabled: boolean;
  roles: Array<{ communityId: number; role: Role }>;
}

export const normaliseUsername = (u: string) => u.trim().toLowerCase();

export async function countStaff(db: Db): Promise<number> {
  const r = await db
    .selectFrom('staff')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function createStaff(
  db: Db,
  now: number,
  input: {
    username: string;
    displayName: string;
    password: string;
    roles: Array<{ communityId: number; role: Role }>;
  },
): Promise<StaffAccount> {
  const id = newId(now);
  const username = normaliseUsername(input.username);
  await db
    .insertInto('staff')
    .values({
      id,
      username,
      display_name: input.displayName,
      password_hash: await hashPassword(input.password),
      disabled: 0,
      created_at: now,
      password_changed_at: now,
    })
    .execute();
  for (const r of input.roles) {
    await db
      .insertInto('staff_role')
      .values({ staff_id: id, community_id: r.communityId, role: r.role })
      .execute();
  }
  return { id, username, displayName: input.displayName, disabled: false, roles: input.roles };
}

export async function findStaffByUsername(db: Db, username: string) {
  return db
    .selectFrom('staff')
    .selectAll()
    .where('username', '=', normaliseUsername(username))
    .executeTakeFirst();
}

export async function getStaff(db: Db, id: string): Promise<StaffAccount | undefined> {
  const row = await db.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const roles = await db
    .selectFrom('staff_role')
    .select(['community_id', 'role'])
    .where('staff_id', '=', id)
    .execute();
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    disabled: row.disabled === 1,
    roles: roles.map((r) => ({ communityId: r.community_id, role: r.role as Role })),
  };
}

export async function listStaffOf(db: Db, communityId: number) {
  return db
    .selectFrom('staff')
    .innerJoin('staff_role', 'staff_role.staff_id', 'staff.id')
    .select([
      'staff.id',
      'staff.username',
      'staff.display_name',
      'staff.disabled',
      'staff_role.role',
    ])
    .where('staff_role.community_id', '=', communityId)
    .orderBy('staff.username')
    .execute();
}

export async function setPassword(
  db: Db,
  now: number,
  staffId: string,
  password: string,
): Promise<void> {
  await db
    .updateTable('staff')
    .set({ password_hash: await hashPassword(password), password_changed_at: now })
    .where('id', '=', staffId)
    .execute();
  // A new password ends every session of the account.
  await db.deleteFrom('session').where('staff_id', '=', staffId).execute();
}

export const SESSION_IDLE_MS = 12 * 3600_000;
export const SESSION_MAX_MS = 7 * 86_400_000;

export async function createSession(
  db: Db,
  now: number,
  staffId: string,
  ip: string,
): Promise<string> {
  const token = randomToken();
  await db
    .insertInto('session')
    .values({
      token_hash: hashToken(token),
      staff_id: staffId,
      created_at: now,
      expires_at: now + SESSION_IDLE_MS,
      last_seen_at: now,
      ip,
    })
    .execute();
  return token;
}

/** The session's account, or undefined if unknown, expired, or the account is disabled. */
export async function resolveSession(
  db: Db,
  now: number,
  token: string,
): Promise<StaffAccount | undefined> {
  const hash = hashToken(token);
  const s = await db
    .selectFrom('session')
    .selectAll()
    .where('token_hash', '=', hash)
    .executeTakeFirst();
  if (!s || s.expires_at <= now || s.created_at + SESSION_MAX_MS <= now) return undefined;
  const staff = await getStaff(db, s.staff_id);
  if (!staff || staff.disabled) return undefined;
  // Sliding expiry, written at most every five minutes so reads stay reads.
  if (now - s.last_seen_at > 5 * 60_000) {
    await db
      .updateTable('session')
      .set({
        last_seen_at: now,
        expires_at: Math.min(now + SESSION_IDLE_MS, s.created_at + SESSION_MAX_MS),
      })
      .where('token_hash', '=', hash)
      .execute();
  }
  return staff;
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  await db.deleteFrom('session').where('token_hash', '=', hashToken(token)).execute();
}

/**
 * Sign-in throttling, per account and per address, in the database so that it holds across
 * server instances: after `limit` failures within the window the key is blocked for `block`.
 */
export const THROTTLE = {
  account: { limit: 5, windowMs: 15 * 60_000, blockMs: 15 * 60_000 },
  address: { limit: 30, windowMs: 15 * 60_000, blockMs: 15 * 60_000 },
} as const;

export async function isBlocked(db: Db, now: number, key: string): Promise<number> {
  const row = await db
    .selectFrom('throttle')
    .select('blocked_until')
    .where('key', '=', key)
    .executeTakeFirst();
  return row && row.blocked_until > now ? row.blocked_until : 0;
}

export async function recordFailure(
  db: Db,
  now: number,
  key: string,
  policy: { limit: number; windowMs: number; blockMs: number },
): Promise<void> {
  const row = await db.selectFrom('throttle').selectAll().where('key', '=', key).executeTakeFirst();
  const fresh = !row || now - row.window_start > policy.windowMs;
  const failures = fresh ? 1 : row.failures + 1;
  const values = {
    key,
    window_start: fresh ? now : row.window_start,
    failures,
    blocked_until: failures >= policy.limit ? now + policy.blockMs : (row?.blocked_until ?? 0),
  };
  await db
    .insertInto('throttle')
    .values(values)
    .onConflict((oc) => oc.column('key').doUpdateSet(values))
    .execute();
}

export async function clearFailures(db: Db, key: string): Promise<void> {
  await db.deleteFrom('throttle').where('key', '=', key).execute();
}

export const SETUP_TOKEN_MS = 24 * 3600_000;

export async function createSetupToken(db: Db, now: number): Promise<string> {
  const token = randomToken();
  await db
    .insertInto('setup_token')
    .values({
      token_hash: hashToken(token),
      created_at: now,
      expires_at: now + SETUP_TOKEN_MS,
      used_at: null,
    })
    .execute();
  return token;
}

/** Marks the token used; true only for the one caller that used a valid, unused token. */
export async function consumeSetupToken(db: Db, now: number, token: string): Promise<boolean> {
  const res = await db
    .updateTable('setup_token')
    .set({ used_at: now })
    .where('token_hash', '=', hashToken(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
