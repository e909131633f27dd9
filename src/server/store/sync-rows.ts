/**
 * The office → gate feed. Every write of synced data goes through a SyncWriter inside the write's
 * own transaction: the first change bumps the community's version (taking its row lock, so
 * writers of one community are serialised and versions are gap-free and in commit order, which a
 * timestamp or sequence cursor would not be on PostgreSQL: research sync.md §1.2), and every
 * changed row is stamped with that version in the projection table `sync_row`, in exactly the
 * shape the kiosk stores (src/domain/sync/tables.ts).
 */
import { sql } from 'kysely';
import { SYNCED_TABLES, type SyncedRow, type SyncedTable } from '../../domain/sync/tables';
import type { Cursor, PullQuery, PullResponse } from '../../domain/sync/protocol';
import { chunks, type Db } from './db';

export class SyncWriter {
  private version: number | null = null;
  private constructor(
    private readonly trx: Db,
    readonly communityId: number,
    private readonly now: number,
  ) {}

  /**
   * The only way to get a writer: it takes the community's row lock at the start of the
   * transaction, so every writer of a community takes its locks in the same order (no deadlock
   * with a serial counter or another row), and a transaction that reads before it writes
   * (upserts by external id, serial numbers) sees every write committed before it. The no-op
   * update takes PostgreSQL's row lock and SQLite's write lock alike.
   */
  static async open(trx: Db, communityId: number, now: number): Promise<SyncWriter> {
    await trx
      .updateTable('community')
      .set({ version: sql`version` })
      .where('id', '=', communityId)
      .execute();
    return new SyncWriter(trx, communityId, now);
  }

  private async stamp(): Promise<number> {
    if (this.version === null) {
      const row = await this.trx
        .updateTable('community')
        .set({ version: sql`version + 1` })
        .where('id', '=', this.communityId)
        .returning('version')
        .executeTakeFirstOrThrow();
      this.version = row.version;
    }
    return this.version;
  }

  /** Upserts rows of one table. Data is checked against the wire schema: drift fails the write. */
  async put<T extends SyncedTable>(
    table: T,
    rows: ReadonlyArray<{ id: string; data: SyncedRow<T> }>,
  ) {
    if (rows.length === 0) return;
    const schema = SYNCED_TABLES[table];
    const version = await this.stamp();
    const values = rows.map((r) => ({
      community_id: this.communityId,
      tbl: table,
      id: r.id,
      version,
      deleted: 0,
      data: JSON.stringify(schema.parse(r.data)),
      updated_at: this.now,
    }));
    await this.upsert(values);
  }

  async delete(table: SyncedTable, ids: readonly string[]) {
    if (ids.length === 0) return;
    const version = await this.stamp();
    await this.upsert(
      ids.map((id) => ({
        community_id: this.communityId,
        tbl: table,
        id,
        version,
        deleted: 1,
        data: null,
        updated_at: this.now,
      })),
    );
  }

  private async upsert(
    values: Array<{
      community_id: number;
      tbl: string;
      id: string;
      version: number;
      deleted: number;
      data: string | null;
      updated_at: number;
    }>,
  ) {
    // 7 parameters a row; 1,000 rows stay far below SQLite's 32,766 and PostgreSQL's 65,535.
    for (const part of chunks(values, 1000)) {
      await this.trx
        .insertInto('sync_row')
        .values(part)
        .onConflict((oc) =>
          oc.columns(['community_id', 'tbl', 'id']).doUpdateSet((eb) => ({
            version: eb.ref('excluded.version'),
            deleted: eb.ref('excluded.deleted'),
            data: eb.ref('excluded.data'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    }
  }

  /** The version this transaction stamped, or null if it changed nothing synced. */
  get stampedVersion(): number | null {
    return this.version;
  }
}

export interface Heads {
  head: number;
  epoch: string;
  gcHorizon: number;
}

export async function readHeads(db: Db, communityId: number): Promise<Heads> {
  const row = await db
    .selectFrom('community')
    .select(['version', 'epoch', 'gc_horizon'])
    .where('id', '=', communityId)
    .executeTakeFirstOrThrow();
  return { head: row.version, epoch: row.epoch, gcHorizon: row.gc_horizon };
}

export async function revocationHead(db: Db, communityId: number): Promise<number> {
  const row = await db
    .selectFrom('sync_row')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('community_id', '=', communityId)
    .where('tbl', '=', 'revocation')
    .executeTakeFirst();
  return Number(row?.v ?? 0);
}

function cursorAfter(a: Cursor, b: Cursor): boolean {
  if (a.version !== b.version) return a.version > b.version;
  if (a.table !== b.table) return a.table > b.table;
  return a.id > b.id;
}

/**
 * One page of the feed after the query's cursor. The head is read before the page: every version
 * up to a head that is visible has committed, so when the page is the last one the cursor may
 * safely move to the head without skipping a row committed in between.
 */
export async function readPage(
  db: Db,
  communityId: number,
  q: PullQuery,
  serverTime: number,
): Promise<PullResponse> {
  const heads = await readHeads(db, communityId);
  if (q.epoch !== '' && q.epoch !== heads.epoch) {
    return { kind: 'reset', epoch: heads.epoch, reason: 'epoch', serverTime };
  }
  if (q.version > heads.head) {
    return { kind: 'reset', epoch: heads.epoch, reason: 'ahead', serverTime };
  }
  // Below the horizon is fine while the horizon has not moved since the cursor was handed out
  // (a full pull reads its first pages far below it); once it has, deletions were purged unseen.
  if (q.version > 0 && q.version < heads.gcHorizon && q.horizon < heads.gcHorizon) {
    return { kind: 'reset', epoch: heads.epoch, reason: 'horizon', serverTime };
  }
  let query = db
    .selectFrom('sync_row')
    .select(['tbl', 'id', 'version', 'deleted', 'data'])
    .where('community_id', '=', communityId)
    .where((eb) => eb(eb.refTuple('version', 'tbl', 'id'), '>', eb.tuple(q.version, q.table, q.id)))
    .orderBy('version')
    .orderBy('tbl')
    .orderBy('id')
    .limit(q.limit);
  if (q.tables) query = query.where('tbl', 'in', q.tables);
  const rows = await query.execute();

  const hasMore = rows.length === q.limit;
  const last = rows.at(-1);
  const horizon = heads.gcHorizon;
  let next: Cursor = last
    ? { version: last.version, table: last.tbl, id: last.id, horizon }
    : { version: q.version, table: q.table, id: q.id, horizon };
  const atHead: Cursor = { version: heads.head, table: '', id: '', horizon };
  if (!hasMore && cursorAfter(atHead, next)) next = atHead;
  let total: number | undefined;
  if (q.version === 0 && q.table === '' && q.id === '') {
    // One count per full pull (a new kiosk, a rebuild): the size of its progress bar.
    if (!hasMore) total = rows.length;
    else {
      let count = db
        .selectFrom('sync_row')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('community_id', '=', communityId);
      if (q.tables) count = count.where('tbl', 'in', q.tables);
      total = Number((await count.executeTakeFirst())?.n ?? 0);
    }
  }
  return {
    kind: 'changes',
    epoch: heads.epoch,
    head: heads.head,
    changes: rows.map((r) => ({
      table: r.tbl as SyncedTable,
      id: r.id,
      version: r.version,
      deleted: r.deleted === 1,
      ...(r.data === null ? {} : { data: JSON.parse(r.data) as unknown }),
    })),
    next,
    hasMore,
    serverTime,
    ...(total === undefined ? {} : { total }),
  };
}

/**
 * Purges tombstones last written before `before` (ms) and raises the community's horizon to the
 * highest purged version, so a kiosk whose cursor is below it resyncs instead of never learning
 * of those deletions (for revocations that would be a security hole: sync.md pitfall 3).
 */
export async function purgeTombstones(
  db: Db,
  communityId: number,
  before: number,
): Promise<number> {
  const max = await db
    .selectFrom('sync_row')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('community_id', '=', communityId)
    .where('deleted', '=', 1)
    .where('updated_at', '<', before)
    .executeTakeFirst();
  const horizon = Number(max?.v ?? 0);
  if (horizon === 0) return 0;
  const res = await db
    .deleteFrom('sync_row')
    .where('community_id', '=', communityId)
    .where('deleted', '=', 1)
    .where('version', '<=', horizon)
    .executeTakeFirst();
  await db
    .updateTable('community')
    // CASE rather than max()/GREATEST(): the one spelling both engines accept.
    .set((eb) => ({
      gc_horizon: sql<number>`case when ${eb.ref('gc_horizon')} < ${horizon} then ${horizon} else ${eb.ref('gc_horizon')} end`,
    }))
    .where('id', '=', communityId)
    .execute();
  return Number(res.numDeletedRows);
}
