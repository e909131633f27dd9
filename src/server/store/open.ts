/**
 * Opens the store: SQLite through better-sqlite3 (the default, a file in the data directory) or
 * PostgreSQL through pg when a URL is given, and runs the migrations.
 *
 * Durability: an answer to a kiosk means the data is on disk. SQLite runs in WAL mode with
 * synchronous=FULL (NORMAL may lose the last commits on power loss); PostgreSQL with
 * synchronous_commit=on (research: sync.md §1.2, pitfall 9).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Dialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';
import { migrationProvider, type Engine } from './migrations';

export interface Store {
  db: Kysely<Database>;
  engine: Engine;
  /** For SQLite: the database file. */
  file?: string;
  /** For SQLite: a consistent copy of the database into `target`, taken while it is in use. */
  backup?: (target: string) => Promise<void>;
  close(): Promise<void>;
}

// BIGINT columns hold millisecond times and counters, all below 2^53: read them as numbers.
pg.types.setTypeParser(20, (v) => Number(v));

export function sqliteDialect(file: string): { dialect: Dialect; raw: SqliteDatabase.Database } {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const raw = new SqliteDatabase(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  return { dialect: new SqliteDialect({ database: raw }), raw };
}

export function postgresDialect(url: string, maxConnections = 10): Dialect {
  const pool = new pg.Pool({ connectionString: url, max: maxConnections });
  pool.on('connect', (client) => {
    void client.query('SET synchronous_commit = on');
  });
  return new PostgresDialect({ pool });
}

export async function migrate(db: Kysely<Database>, engine: Engine): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider(engine) });
  const { error, results } = await migrator.migrateToLatest();
  for (const r of results ?? []) {
    if (r.status === 'Error') console.error(`[gatepost] migration ${r.migrationName} failed`);
  }
  if (error) throw error instanceof Error ? error : new Error(String(error));
}

export async function openStore(opts: {
  dataDir: string;
  databaseUrl?: string | undefined;
}): Promise<Store> {
  if (opts.databaseUrl) {
    const db = new Kysely<Database>({ dialect: postgresDialect(opts.databaseUrl) });
    await migrate(db, 'postgres');
    return { db, engine: 'postgres', close: () => db.destroy() };
  }
  const file = path.join(opts.dataDir, 'gatepost.sqlite');
  const { dialect, raw } = sqliteDialect(file);
  const db = new Kysely<Database>({ dialect });
  await migrate(db, 'sqlite');
  return {
    db,
    engine: 'sqlite',
    file,
    // SQLite's online backup API copies page by page while writers continue.
    backup: async (target) => {
      await raw.backup(target);
    },
    close: () => db.destroy(),
  };
}
