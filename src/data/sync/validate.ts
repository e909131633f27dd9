/**
 * Everything a pull page must pass before anything of it is written: the envelope and every row
 * against the shared wire schemas (a page that fails moves no cursor and raises "update
 * required": research sync.md pitfall 11, RxDB #6684), and every key list against the root key
 * pinned at enrollment, with roll-back protection. A key list that fails is dropped from the
 * page (the rest applies, so revocations keep flowing) and reported.
 */
import { fromBase64Url } from '../../domain/bytes';
import { verifyKeyList } from '../../domain/credential/key-list';
import { pullResponseSchema, type Change, type PullResponse } from '../../domain/sync/protocol';
import { SYNCED_TABLES, type SyncedTable } from '../../domain/sync/tables';
import type { MetaValues } from '../db';
import { UpdateRequiredError } from './transport';

export type ChangesPage = Extract<PullResponse, { kind: 'changes' }>;
export type ResetAnswer = Extract<PullResponse, { kind: 'reset' }>;

export interface ValidChange {
  table: SyncedTable;
  id: string;
  version: number;
  deleted: boolean;
  data?: unknown;
}

export function parsePullAnswer(body: unknown): PullResponse {
  const r = pullResponseSchema.safeParse(body);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new UpdateRequiredError(
      `pull answer: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return r.data;
}

/** Parses every row with its table's schema (defaults applied, unknown fields dropped). */
export function validateChanges(changes: readonly Change[]): ValidChange[] {
  return changes.map((c) => {
    if (c.deleted) return { table: c.table, id: c.id, version: c.version, deleted: true };
    const r = SYNCED_TABLES[c.table].safeParse(c.data);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new UpdateRequiredError(
        `${c.table} ${c.id}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
      );
    }
    return { table: c.table, id: c.id, version: c.version, deleted: false, data: r.data };
  });
}

export interface KeyListCheck {
  changes: ValidChange[];
  /** The newest list that verified, to store as trusted with the page. */
  trusted: MetaValues['trustedKeyList'] | undefined;
  refused: string | undefined;
}

/** Verifies the key lists of a page; drops those that fail. */
export async function checkKeyLists(
  changes: ValidChange[],
  root: { publicKey: string; communityId: number },
  current: MetaValues['trustedKeyList'] | undefined,
): Promise<KeyListCheck> {
  if (!changes.some((c) => c.table === 'keyList' && !c.deleted)) {
    return { changes, trusted: undefined, refused: undefined };
  }
  const rootKey = fromBase64Url(root.publicKey);
  let trusted = current;
  let changed = false;
  let refused: string | undefined;
  const kept: ValidChange[] = [];
  for (const c of changes) {
    if (c.table !== 'keyList' || c.deleted) {
      kept.push(c);
      continue;
    }
    const signed = (c.data as { signed: { payload: string; signature: string } }).signed;
    const r = await verifyKeyList(signed, rootKey, {
      communityId: root.communityId,
      current: trusted,
    });
    if (r.ok) {
      trusted = { seq: r.list.seq, payload: signed.payload, signature: signed.signature };
      changed = true;
      kept.push(c);
    } else {
      refused = `${r.reason}: ${r.message}`;
    }
  }
  return { changes: kept, trusted: changed ? trusted : undefined, refused };
}
