/**
 * Writing pulled pages. Each page is applied together with its new cursor in one transaction, so
 * the cursor can never be ahead of the data (research sync.md pitfall 1, pouchdb #1240), and
 * re-applying a page is harmless (puts overwrite, deleting a missing key does nothing).
 *
 * Each write first checks that the stream is still where the page was asked from (compare and
 * set): a second syncer that slipped past the lock, or a page answered twice, can never move a
 * cursor backwards.
 *
 * A reset rebuilds the inactive table set while the gate keeps judging from the active one: each
 * page is staged whole with the rebuild's cursor; after the last page the staged rows are sorted
 * into the set's buckets (synced-rows.ts), and one small transaction switches sets (research
 * pitfall 5). A restart resumes the pulling, or the sorting, from what is on disk.
 */
import Dexie from 'dexie';
import { START_CURSOR, type Cursor } from '../../domain/sync/protocol';
import type { SyncedTable } from '../../domain/sync/tables';
import {
  SYNCED_TABLE_LIST,
  type FeedState,
  type KioskDb,
  type MetaValues,
  type RebuildState,
} from '../db';
import { buildFinder } from '../finder';
import { intoBuckets, writeChanges, type Bucket } from '../synced-rows';
import { otherSet, type TableSet } from '../synced-stores';
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

async function wantPhotos(db: KioskDb, changes: readonly ValidChange[]) {
  const photos = new Set<string>();
  for (const c of changes) {
    const hash =
      c.table === 'card' && !c.deleted ? (c.data as { photoHash: string | null }).photoHash : null;
    if (hash) photos.add(hash);
  }
  if (photos.size) await db.photoWant.bulkPut([...photos].map((hash) => ({ hash })));
}

async function writeRows(db: KioskDb, set: TableSet, changes: readonly ValidChange[]) {
  await writeChanges(db, set, changes);
  await wantPhotos(db, changes);
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

/** The stores of these tables in these sets, with the sets' finders (a write updates both). */
function storesFor(db: KioskDb, tables: readonly SyncedTable[], sets: readonly TableSet[]) {
  return [
    ...tables.flatMap((t) => sets.map((s) => db.synced(t, s))),
    ...sets.map((s) => db.finder(s)),
  ];
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
      // An idle round (no change, same head) leaves `feed` alone: the page's live queries that
      // read the active set from it would run again for nothing.
      if (!sameCursor(feed.cursor, page.next) || feed.head !== page.head) {
        await db.putMeta('feed', { ...feed, cursor: page.next, head: page.head });
      }
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
    [
      db.meta,
      db.outbox,
      db.sent,
      db.deadLetter,
      db.rebuildStage,
      ...storesFor(db, SYNCED_TABLE_LIST, ['a', 'b']),
    ],
    async () => {
      const feed = await db.getMeta('feed');
      const set = otherSet(feed?.activeSet ?? 'a');
      for (const t of SYNCED_TABLE_LIST) await db.synced(t, set).clear();
      await db.finder(set).clear();
      await db.rebuildStage.clear();
      const rebuild: RebuildState = {
        set,
        epoch,
        cursor: START_CURSOR,
        total: null,
        done: 0,
        startedAt: now,
        pages: 0,
        complete: null,
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

const sameRebuild = (a: RebuildState, b: RebuildState) =>
  a.set === b.set &&
  a.epoch === b.epoch &&
  a.startedAt === b.startedAt &&
  sameCursor(a.cursor, b.cursor);

/**
 * A page of a rebuild, staged with the rebuild's new cursor. The last page marks the rebuild
 * complete; `finishRebuild` then fills the set and switches.
 */
export async function applyRebuildPage(
  db: KioskDb,
  expected: RebuildState,
  page: PageToApply,
  ctx: ApplyContext,
): Promise<RebuildState> {
  return db.transaction('rw', [db.meta, db.photoWant, db.rebuildStage], async () => {
    const rebuild = await db.getMeta('rebuild');
    if (!rebuild || rebuild.complete || !sameRebuild(rebuild, expected)) {
      throw new StreamMovedError('the rebuild moved while this page was fetched');
    }
    const byTable = new Map<SyncedTable, ValidChange[]>();
    for (const c of page.changes) {
      const list = byTable.get(c.table);
      if (list) list.push(c);
      else byTable.set(c.table, [c]);
    }
    await db.rebuildStage.bulkAdd(
      [...byTable].map(([t, changes]) => ({ t, s: rebuild.pages, changes })),
    );
    await wantPhotos(db, page.changes);
    await stampTime(db, ctx, page.serverTime);
    await stampKeyList(db, ctx);
    const next: RebuildState = {
      ...rebuild,
      epoch: page.epoch,
      cursor: page.next,
      total: rebuild.total ?? page.total ?? null,
      done: rebuild.done + page.changes.length,
      pages: rebuild.pages + 1,
      complete: page.hasMore ? null : { head: page.head },
    };
    await db.putMeta('rebuild', next);
    return next;
  });
}

/**
 * A rebuild's staged rows already sorted into buckets, kept in memory by the syncer that staged
 * them, so that finishing need not read 100,000 rows back from the stage. It is only used for the
 * rebuild and page count it was built for; after a restart the stage is read instead.
 */
export class SortedRebuild {
  readonly tables = new Map<SyncedTable, Map<number, Bucket>>();
  private constructor(
    private readonly startedAt: number,
    private pages: number,
  ) {}

  /** Adds a page just staged (`staged` is the state after it); null when pages were missed. */
  static follow(
    prev: SortedRebuild | null,
    staged: RebuildState,
    changes: readonly ValidChange[],
  ): SortedRebuild | null {
    const sorted =
      prev?.covers({ ...staged, pages: staged.pages - 1 }) === true
        ? prev
        : staged.pages === 1
          ? new SortedRebuild(staged.startedAt, 0)
          : null;
    if (!sorted) return null;
    for (const c of changes) {
      let buckets = sorted.tables.get(c.table);
      if (!buckets) sorted.tables.set(c.table, (buckets = new Map()));
      intoBuckets([c], buckets);
    }
    sorted.pages = staged.pages;
    return sorted;
  }

  covers(r: Pick<RebuildState, 'startedAt' | 'pages'>): boolean {
    return r.startedAt === this.startedAt && r.pages === this.pages;
  }
}

/**
 * After the last page of a rebuild: sorts the staged rows into the set's buckets (or takes them
 * sorted already), a table per transaction (the set is not read until the switch, and this starts
 * again after a restart), then switches the gate to the set in one small transaction. Returns the
 * set that was active before, to empty.
 */
export async function finishRebuild(
  db: KioskDb,
  expected: RebuildState,
  now: number,
  sorted: SortedRebuild | null = null,
): Promise<{ switched: TableSet | null }> {
  const check = async () => {
    const rebuild = await db.getMeta('rebuild');
    if (!rebuild?.complete || !sameRebuild(rebuild, expected)) {
      throw new StreamMovedError('the rebuild moved while it was being finished');
    }
    return rebuild;
  };
  for (const table of SYNCED_TABLE_LIST) {
    const store = db.synced(table, expected.set);
    await db.transaction(
      'rw',
      [db.meta, db.rebuildStage, store, db.finder(expected.set)],
      async () => {
        await check();
        const buckets = sorted?.covers(expected)
          ? (sorted.tables.get(table) ?? new Map<number, Bucket>())
          : intoBuckets(
              (
                await db.rebuildStage
                  .where('[t+s]')
                  .between([table, Dexie.minKey], [table, Dexie.maxKey])
                  .toArray()
              ).flatMap((p) => p.changes),
            );
        await store.clear();
        const filled = [...buckets.values()].filter((b) => b.rows.size > 0);
        await store.bulkPut(filled);
        await buildFinder(
          db.finder(expected.set),
          table,
          filled.flatMap((b) => [...b.rows].map(([id, r]) => [id, r.d] as [string, unknown])),
        );
      },
    );
  }
  return db.transaction('rw', [db.meta, db.rebuildStage], async () => {
    const rebuild = await check();
    const feed = await db.getMeta('feed');
    await db.putMeta('feed', {
      epoch: rebuild.epoch,
      cursor: rebuild.cursor,
      activeSet: rebuild.set,
      head: rebuild.complete!.head,
    });
    await db.putMeta('rebuild', null);
    await db.putMeta('lastPullAt', now);
    await db.rebuildStage.clear();
    return { switched: feed ? feed.activeSet : null };
  });
}

/** Empties a set that is no longer active (after a switch), to give the space back. */
export async function clearSet(db: KioskDb, set: TableSet): Promise<void> {
  await db.transaction('rw', [db.meta, ...storesFor(db, SYNCED_TABLE_LIST, [set])], async () => {
    const feed = await db.getMeta('feed');
    const rebuild = await db.getMeta('rebuild');
    if (!feed || feed.activeSet === set || rebuild?.set === set) return;
    for (const t of SYNCED_TABLE_LIST) await db.synced(t, set).clear();
    await db.finder(set).clear();
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
