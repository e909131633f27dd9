/**
 * Each community's office sealing key (kiosks seal ID numbers to its public half; only the server
 * opens them, for roles allowed to, with an audit entry) and its match key (the HMAC key kiosks use
 * to match ID numbers and name + phone against the watch list without storing them).
 */
import { randomBytes } from 'node:crypto';
import { fromBase64Url, toBase64Url } from '../../domain/bytes';
import { generateSealingKeyPair, open, type Sealed } from '../../domain/seal';
import type { MasterKey } from '../crypto/secrets';
import type { Db } from './db';

export interface CommunitySecrets {
  sealPublicKey: string;
  matchKey: string;
}

/** The community's keys, made the first time they are needed. */
export async function communitySecrets(
  db: Db,
  master: MasterKey,
  communityId: number,
  now: number,
): Promise<CommunitySecrets> {
  const row = await db
    .selectFrom('community_secret')
    .selectAll()
    .where('community_id', '=', communityId)
    .executeTakeFirst();
  if (row)
    return { sealPublicKey: row.seal_public, matchKey: toBase64Url(master.open(row.match_key)) };
  const pair = await generateSealingKeyPair();
  const matchKey = new Uint8Array(randomBytes(32));
  await db
    .insertInto('community_secret')
    .values({
      community_id: communityId,
      seal_public: toBase64Url(pair.publicKey),
      seal_private: master.seal(pair.privateKey),
      match_key: master.seal(matchKey),
      created_at: now,
    })
    .onConflict((oc) => oc.column('community_id').doNothing())
    .execute();
  return communitySecrets(db, master, communityId, now);
}

/** Opens a value a kiosk sealed. Callers check the permission and write the audit entry. */
export async function openSealed(
  db: Db,
  master: MasterKey,
  communityId: number,
  sealed: Sealed,
  context: string,
): Promise<string> {
  const row = await db
    .selectFrom('community_secret')
    .select('seal_private')
    .where('community_id', '=', communityId)
    .executeTakeFirstOrThrow();
  return open(sealed, master.open(row.seal_private), context);
}

export const matchKeyBytes = (s: CommunitySecrets) => fromBase64Url(s.matchKey);
