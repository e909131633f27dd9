/**
 * A community's signing keys (DESIGN §3.3): one root key that signs the key list, and rotatable
 * signing keys that sign codes. Private keys are stored sealed under the master key. The key list
 * is published to the gates as the `keyList` sync row.
 */
import { fromBase64Url, toBase64Url, toHex } from '../../domain/bytes';
import type { CredentialTypeName } from '../../domain/credential/body';
import {
  exportPrivateKey,
  exportPublicKey,
  fingerprintOf,
  generateSigningKeyPair,
  importPrivateKey,
  keyIdOf,
} from '../../domain/credential/es256';
import {
  signKeyList,
  type KeyListPayload,
  type SignedKeyList,
} from '../../domain/credential/key-list';
import type { CryptoKeyHandle } from '../../domain/webcrypto';
import { newId } from '../context';
import type { MasterKey } from '../crypto/secrets';
import type { Db } from './db';
import type { SyncWriter } from './sync-rows';

const ALL_USES: CredentialTypeName[] = ['card', 'slip', 'invitation'];
const DAY_MS = 86_400_000;
/**
 * A signing key may sign codes starting up to this long before it was made: a card may start up
 * to a week back (card-validity maxPastDays), and a late renewal starts at the old card's expiry.
 */
const BACKDATE_MS = 31 * DAY_MS;
const SIGNING_KEY_LIFETIME_MS = 3 * 365 * DAY_MS;

async function storeKey(
  db: Db,
  master: MasterKey,
  communityId: number,
  kind: 'root' | 'signing',
  now: number,
  uses: CredentialTypeName[],
): Promise<void> {
  const pair = await generateSigningKeyPair();
  const raw = await exportPublicKey(pair.publicKey);
  await db
    .insertInto('signing_key')
    .values({
      id: newId(now),
      community_id: communityId,
      kind,
      kid: toHex(await keyIdOf(raw)),
      public_key: toBase64Url(raw),
      private_key: master.seal(await exportPrivateKey(pair.privateKey)),
      not_before: kind === 'root' ? now : now - BACKDATE_MS,
      not_after: kind === 'root' ? now + 100 * 365 * DAY_MS : now + SIGNING_KEY_LIFETIME_MS,
      uses: JSON.stringify(kind === 'root' ? [] : uses),
      created_at: now,
      retired_at: null,
    })
    .execute();
}

/** Builds, signs and publishes the next key list from the community's signing keys. */
async function publishKeyList(
  db: Db,
  master: MasterKey,
  writer: SyncWriter,
  now: number,
): Promise<SignedKeyList> {
  const communityId = writer.communityId;
  const keys = await db
    .selectFrom('signing_key')
    .selectAll()
    .where('community_id', '=', communityId)
    .orderBy('created_at')
    .execute();
  const root = keys.find((k) => k.kind === 'root');
  if (!root) throw new Error(`community ${communityId} has no root key`);
  const last = await db
    .selectFrom('key_list')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('community_id', '=', communityId)
    .executeTakeFirst();
  const payload: KeyListPayload = {
    format: 'gatepost-keylist/1',
    communityId,
    seq: Number(last?.seq ?? 0) + 1,
    issuedAt: Math.floor(now / 1000),
    keys: keys
      .filter((k) => k.kind === 'signing')
      .map((k) => ({
        kid: k.kid,
        publicKey: k.public_key,
        notBefore: Math.floor(k.not_before / 1000),
        notAfter: Math.floor(k.not_after / 1000),
        uses: JSON.parse(k.uses) as CredentialTypeName[],
      })),
  };
  const signed = await signKeyList(payload, await importPrivateKey(master.open(root.private_key)));
  await db
    .insertInto('key_list')
    .values({
      community_id: communityId,
      seq: payload.seq,
      payload: signed.payload,
      signature: signed.signature,
      created_at: now,
    })
    .execute();
  await writer.put('keyList', [{ id: 'current', data: { seq: payload.seq, signed } }]);
  return signed;
}

export async function createCommunityKeys(
  db: Db,
  master: MasterKey,
  writer: SyncWriter,
  now: number,
): Promise<void> {
  await storeKey(db, master, writer.communityId, 'root', now, []);
  await storeKey(db, master, writer.communityId, 'signing', now, ALL_USES);
  await publishKeyList(db, master, writer, now);
}

/**
 * Rotation: a new signing key takes over at once; the old ones stop signing (their period ends
 * now) but stay in the list, so every code they signed keeps verifying until it expires.
 */
export async function rotateSigningKey(
  db: Db,
  master: MasterKey,
  writer: SyncWriter,
  now: number,
  uses: CredentialTypeName[] = ALL_USES,
): Promise<SignedKeyList> {
  await db
    .updateTable('signing_key')
    .set({ not_after: now, retired_at: now })
    .where('community_id', '=', writer.communityId)
    .where('kind', '=', 'signing')
    .where('retired_at', 'is', null)
    .execute();
  await storeKey(db, master, writer.communityId, 'signing', now, uses);
  return publishKeyList(db, master, writer, now);
}

export interface Signer {
  keyId: Uint8Array;
  privateKey: CryptoKeyHandle;
}

/** The key that signs a code of this type starting at `notBefore` (ms): the newest that may. */
export async function signerFor(
  db: Db,
  master: MasterKey,
  communityId: number,
  type: CredentialTypeName,
  notBefore: number,
): Promise<Signer> {
  const keys = await db
    .selectFrom('signing_key')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('kind', '=', 'signing')
    .where('retired_at', 'is', null)
    .where('not_before', '<=', notBefore)
    .where('not_after', '>=', notBefore)
    .orderBy('created_at', 'desc')
    .execute();
  const key = keys.find((k) => (JSON.parse(k.uses) as string[]).includes(type));
  if (!key) throw new Error(`no signing key of community ${communityId} may sign a ${type} then`);
  return {
    keyId: Uint8Array.from(Buffer.from(key.kid, 'hex')),
    privateKey: await importPrivateKey(master.open(key.private_key)),
  };
}

export interface RootKeyInfo {
  publicKey: string;
  fingerprint: string;
}

export async function rootKeyInfo(db: Db, communityId: number): Promise<RootKeyInfo> {
  const root = await db
    .selectFrom('signing_key')
    .select('public_key')
    .where('community_id', '=', communityId)
    .where('kind', '=', 'root')
    .executeTakeFirstOrThrow();
  return {
    publicKey: root.public_key,
    fingerprint: await fingerprintOf(fromBase64Url(root.public_key)),
  };
}

export async function listKeys(db: Db, communityId: number) {
  const rows = await db
    .selectFrom('signing_key')
    .select(['id', 'kind', 'kid', 'not_before', 'not_after', 'uses', 'created_at', 'retired_at'])
    .where('community_id', '=', communityId)
    .orderBy('created_at')
    .execute();
  return rows.map((k) => ({
    id: k.id,
    kind: k.kind as 'root' | 'signing',
    kid: k.kid,
    notBefore: k.not_before,
    notAfter: k.not_after,
    uses: JSON.parse(k.uses) as CredentialTypeName[],
    createdAt: k.created_at,
    retiredAt: k.retired_at,
  }));
}
