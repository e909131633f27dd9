/**
 * API keys of the main property-management system: per community, with scopes, shown once at
 * creation (`gpk_<id>.<secret>`), stored as a hash of the secret.
 */
import { z } from 'zod';
import { newId } from '../context';
import { hashToken, randomToken } from '../crypto/secrets';
import type { Db } from './db';

export const API_SCOPES = [
  'households:write',
  'residents:write',
  'key_households:write',
  'events:read',
  'invitations:write',
  'slips:consent',
] as const;
export type ApiScope = (typeof API_SCOPES)[number];
export const apiScopeSchema = z.enum(API_SCOPES);

export async function createApiKey(
  db: Db,
  now: number,
  input: { communityId: number; name: string; scopes: ApiScope[]; createdBy: string },
): Promise<{ id: string; key: string }> {
  const id = newId(now);
  const secret = randomToken();
  await db
    .insertInto('api_key')
    .values({
      id,
      community_id: input.communityId,
      name: input.name,
      secret_hash: hashToken(secret),
      scopes: JSON.stringify(input.scopes),
      created_at: now,
      created_by: input.createdBy,
      revoked_at: null,
      last_used_at: null,
    })
    .execute();
  return { id, key: `gpk_${id}.${secret}` };
}

export interface ApiKeyIdentity {
  id: string;
  communityId: number;
  name: string;
  scopes: ApiScope[];
}

export async function resolveApiKey(
  db: Db,
  now: number,
  presented: string,
): Promise<ApiKeyIdentity | undefined> {
  const m = /^gpk_([0-9A-Z]{26})\.([A-Za-z0-9_-]{43})$/.exec(presented);
  if (!m) return undefined;
  const row = await db.selectFrom('api_key').selectAll().where('id', '=', m[1]!).executeTakeFirst();
  if (!row || row.revoked_at !== null || row.secret_hash !== hashToken(m[2]!)) return undefined;
  if (!row.last_used_at || now - row.last_used_at > 60_000) {
    await db.updateTable('api_key').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  return {
    id: row.id,
    communityId: row.community_id,
    name: row.name,
    scopes: JSON.parse(row.scopes) as ApiScope[],
  };
}

export async function listApiKeys(db: Db, communityId: number) {
  const rows = await db
    .selectFrom('api_key')
    .select(['id', 'name', 'scopes', 'created_at', 'created_by', 'revoked_at', 'last_used_at'])
    .where('community_id', '=', communityId)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    scopes: JSON.parse(r.scopes) as ApiScope[],
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
    lastUsedAt: r.last_used_at,
  }));
}

export async function revokeApiKey(
  db: Db,
  now: number,
  communityId: number,
  id: string,
): Promise<boolean> {
  const r = await db
    .updateTable('api_key')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('community_id', '=', communityId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
