/**
 * Writing pulled pages. Each page is applied together with its new cursor in one transaction, so
 * the cursor can never be ahead of the data (research sync.md pitfall 1, pouchdb #1240), and
 * re-applying a page is harmless (puts overwrite, deleting a missing key does nothing).
 *
 * Each write first checks that the stream is still where the page was asked from (compare and
 * set): a second syncer that slipped past the lock, or a page answered twice, can never move a
 * cursor backwards.
 *
 * A reset rebuilds the inactive table set page by page while the gate keeps judging from the
 * active one; the last page switches sets in its own transaction (research pitfall 5).
 */
import { START_CURSOR, type Cursor } from '../../domain/sync/protocol';
import type { SyncedTable } from '../../domain/sync/tables';
import {
  SYNCED_TABLE_LIST,
  type FeedState,
  type KioskDb,
  type MetaValues,
  type RebuildState,
} from '../db';
import { otherSet, type StoredRow, type TableSet } from '../synced-stores';
import type { ValidChange } from './validate';

export class StreamMovedError extends Error {
  override name = 'StreamMovedError';
}

const sameCursor = (a: Cursor, b: Cursor) =>
  a.version === b.version && a.table === b.table && a.id === b.id;

export interface PageToApply {
  epoch: string;
  head: number;
  next: Cursor;
  hasMore: boolean;
  changes: ValidChange[];
  serverTime: number;
  total?: number | undefined;
}

export interface ApplyContext {
  now: number;
  trustedKeyList?: MetaValues['trustedKeyList'] | undefined;
  keyListRefused?: string | undefined;
}

function touchedTables(changes: readonly ValidChange[]): SyncedTable[] {
  return [...new Set(changes.map((c) => c.table))];
}

async function writeRows(db: KioskDb, set: TableSet, changes: readonly ValidChange[]) {
  const byTable = new Map<SyncedTable, { puts: StoredRow[]; deletes: string[] }>();
  const photos = new Set<string>();
  for (const c of changes) {
    let entry = byTable.get(c.table);
    if (!entry) byTable.set(c.table, (entry = { puts: [], deletes: [] }));
    if (c.deleted) entry.deletes.push(c.id);
    else {
      entry.puts.push({ id: c.id, v: c.version, d: c.data });
      const hash = c.table === 'card' ? (c.data as { photoHash: string | null }).photoHash : null;
      if (hash) photos.add(hash);
    }
  }
  for (const [table, { puts, deletes }] of byTable) {
    const store = db.synced(table, set);
    if (deletes.length) await store.bulkDelete(deletes);
    if (puts.length) await store.bulkPut(puts);
  }
  if (photos.size) await db.photoWant.bulkPut([...photos].map((hash) => ({ hash })));
}

async function stampTime(db: KioskDb, ctx: ApplyContext, serverTime: number) {
  const trusted = (await db.getMeta('trustedNow')) ?? 0;
  const seen = Math.max(ctx.now, serverTime * 1000);
  if (seen > trusted) await db.putMeta('trustedNow', seen);
}

async function stampKeyList(db: KioskDb, ctx: ApplyContext) {
  if (ctx.trustedKeyList) await db.putMeta('trustedKeyList', ctx.trustedKeyList);
  if (ctx.keyListRefused) {
    await db.putMeta('keyListRefused', { detail: ctx.keyListRefused, at: ctx.now });
  } else if (ctx.trustedKeyList) await db.putMeta('keyListRefused', null);
}

function storesFor(db: KioskDb, tables: readonly SyncedTable[], sets: readonly TableSet[]) {
  return tables.flatMap((t) => sets.map((s) => db.synced(t, s)));
}

/** A page of the main stream into the active set. */
export async function applyFeedPage(
  db: KioskDb,
  expected: FeedState,
  page: PageToApply,
  ctx: ApplyContext,
): Promise<void> {
  const tables = touchedTables(page.changes);
  await db.transaction(
    'rw',
    [db.meta, db.photoWant, ...storesFor(db, tables, [expected.activeSet])],
    async () => {
      const feed = await db.getMeta('feed');
      const rebuild = await db.getMeta('rebuild');
      if (
        !feed ||
        rebuild ||
        feed.epoch !== expected.epoch ||
        feed.activeSet !== expected.activeSet ||
        !sameCursor(feed.cursor, expected.cursor)
      ) {
        throw new StreamMovedError('the feed moved while this page was fetched');
      }
      await writeRows(db, feed.activeSet, page.changes);
      await db.putMeta('feed', { ...feed, cursor: page.next, head: page.head });
      if (!page.hasMore) await db.putMeta('lastPullAt', ctx.now);
      await stampTime(db, ctx, page.serverTime);
      await stampKeyList(db, ctx);
    },
  );
}

/**
 * Starts (or restarts) a rebuild of the inactive set for a new epoch. With `requeue`, events the
 * server had answered (acknowledged or rejected) go back to the outbox: a server restored from an
 * older backup may have lost them, and it stores each id once, so sending them again costs
 * nothing (a rejected one is rejected again, and is back in both dead letters).
 */
export async function beginRebuild(
  db: KioskDb,
  epoch: string,
  now: number,
  requeue: boolean,
): Promise<RebuildState> {
  return db.transaction(
    'rw',
    [db.meta, db.outbox, db.sent, db.deadLetter, ...storesFor(db, SYNCED_TABLE_LIST, ['a', 'b'])],
    async () => {
      const feed = await db.getMeta('feed');
      const set = otherSet(feed?.activeSet ?? 'a');
      for (const t of SYNCED_TABLE_LIST) await db.synced(t, set).clear();
      const rebuild: RebuildState = {
        set,
        epoch,
        cursor: START_CURSOR,
        total: null,
        done: 0,
        startedAt: now,
      };
      await db.putMeta('rebuild', rebuild);
      if (requeue) {
        const [sent, dead] = await Promise.all([db.sent.toArray(), db.deadLetter.toArray()]);
        await db.outbox.bulkPut([
          ...sent.map(({ status: _s, ackedAt: _a, ...e }) => ({
            ...e,
            attempts: 0,
            lastError: '',
          })),
          ...dead.map(({ reason: _r, rejectedAt: _a, ...e }) => ({
            ...e,
            attempts: 0,
            lastError: '',
          })),
        ]);
        await Promise.all([db.sent.clear(), db.deadLetter.clear()]);
      }
      return rebuild;
    },
  );
}

/** A page of a rebuild; the last one switches the gate to the rebuilt set. */
export async function applyRebuildPage(
  db: KioskDb,
  expected: RebuildState,
  page: PageToApply,
  ctx: ApplyContext,
): Promise<{ switched: TableSet | null }> {
  const tables = touchedTables(page.changes);
  return db.transaction(
    'rw',
    [db.meta, db.photoWant, ...storesFor(db, tables, [expected.set])],
    async () => {
      const rebuild = await db.getMeta('rebuild');
      if (
        !rebuild ||
        rebuild.set !== expected.set ||
        rebuild.epoch !== expected.epoch ||
        rebuild.startedAt !== expected.startedAt ||
        !sameCursor(rebuild.cursor, expected.cursor)
      ) {
        throw new StreamMovedError('the rebuild moved while this page was fetched');
      }
      await writeRows(db, rebuild.set, page.changes);
      await stampTime(db, ctx, page.serverTime);
      await stampKeyList(db, ctx);
      if (page.hasMore) {
        await db.putMeta('rebuild', {
          ...rebuild,
          epoch: page.epoch,
          cursor: page.next,
          total: rebuild.total ?? page.total ?? null,
          done: rebuild.done + page.changes.length,
        });
        return { switched: null };
      }
      const feed = await db.getMeta('feed');
      await db.putMeta('feed', {
        epoch: page.epoch,
        cursor: page.next,
        activeSet: rebuild.set,
        head: page.head,
      });
      await db.putMeta('rebuild', null);
      await db.putMeta('lastPullAt', ctx.now);
      return { switched: feed ? feed.activeSet : null };
    },
  );
}

/** Empties a set that is no longer active (after a switch), to give the space back. */
export async function clearSet(db: KioskDb, set: TableSet): Promise<void> {
  await db.transaction('rw', [db.meta, ...storesFor(db, SYNCED_TABLE_LIST, [set])], async () => {
    const feed = await db.getMeta('feed');
    const rebuild = await db.getMeta('rebuild');
    if (!feed || feed.activeSet === set || rebuild?.set === set) return;
    for (const t of SYNCED_TABLE_LIST) await db.synced(t, set).clear();
  });
}

/**
 * A page of the revocation stream, into the active set, moving only the stream's own cursor. The
 * main stream later brings the same rows again at the same versions, which changes nothing.
 */
export async function applyPriorityPage(
  db: KioskDb,
  expected: MetaValues['priority'],
  page: PageToApply,
  ctx: ApplyContext,
): Promise<void> {
  const tables = touchedTables(page.changes);
  await db.transaction('rw', [db.meta, ...storesFor(db, tables, ['a', 'b'])], async () => {
    const priority = await db.getMeta('priority');
    if (
      (priority?.epoch ?? '') !== expected.epoch ||
      !sameCursor(priority?.cursor ?? START_CURSOR, expected.cursor)
    ) {
      throw new StreamMovedError('the revocation stream moved while this page was fetched');
    }
    const feed = await db.getMeta('feed');
    await writeRows(db, feed?.activeSet ?? 'a', page.changes);
    await db.putMeta('priority', { epoch: page.epoch, cursor: page.next });
    await stampTime(db, ctx, page.serverTime);
    await stampKeyList(db, ctx);
  });
}
