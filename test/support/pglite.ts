/**
 * PostgreSQL without a server, for machines that have none: one PGlite (PostgreSQL compiled to
 * WebAssembly) per test process, shared by every store of the process, each store in a schema of
 * its own. PGlite has a single connection, so the pool handed to Kysely's own PostgreSQL dialect
 * lends it to one transaction at a time; statements therefore never interleave.
 *
 * Kysely's PostgresDialect is used as is (the code under test is the production dialect); only
 * the pool is an adapter. Starting PGlite takes seconds, which is why it is shared.
 */
import { PGlite } from '@electric-sql/pglite';
import { randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from '../../src/server/store/schema';

let shared: Promise<PGlite> | undefined;

function instance(): Promise<PGlite> {
  shared ??= PGlite.create();
  return shared;
}

class Lock {
  private tail: Promise<void> = Promise.resolve();
  acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => (release = r));
    const ready = this.tail.then(() => release);
    this.tail = this.tail.then(() => next);
    return ready;
  }
}

const lock = new Lock();

/** pg's result reports the command; PGlite does not, so it is read off the statement. */
function commandOf(sql: string): string {
  return /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? '';
}

export async function openPgliteDatabase(): Promise<{
  db: Kysely<Database>;
  drop(): Promise<void>;
}> {
  const pglite = await instance();
  const schema = `gp_${randomBytes(6).toString('hex')}`;
  await pglite.exec(`create schema ${schema}`);
  const client = {
    async query(sql: string, params: unknown[]) {
      const r = await pglite.query<Record<string, unknown>>(sql, params);
      return { command: commandOf(sql), rowCount: r.affectedRows ?? r.rows.length, rows: r.rows };
    },
    release: () => undefined as void,
  };
  const pool = {
    async connect() {
      const release = await lock.acquire();
      await pglite.exec(`set search_path to ${schema}`);
      return { ...client, release };
    },
    async end() {},
  };
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pool as never }) });
  return {
    db,
    async drop() {
      await db.destroy();
      await pglite.exec(`drop schema ${schema} cascade`);
    },
  };
}
