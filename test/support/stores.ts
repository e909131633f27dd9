/**
 * Databases for tests. Every store test runs on SQLite (a temporary file) and on PostgreSQL: a
 * real server when TEST_DATABASE_URL is set (CI starts one), else PGlite, PostgreSQL compiled to
 * WebAssembly, so a machine with nothing but Node still runs the PostgreSQL suite.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate, openStore, type Store } from '../../src/server/store/open';
import { openPgliteDatabase } from './pglite';

export type EngineName = 'sqlite' | 'postgres';
export const ENGINES: readonly EngineName[] = ['sqlite', 'postgres'];

export const realPostgresUrl = (): string | undefined => process.env.TEST_DATABASE_URL || undefined;

/** A fresh, empty database on the real PostgreSQL server; dropped by the returned function. */
export async function createPostgresDatabase(
  adminUrl: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `gp_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export interface TestStore extends Store {
  /** Where the data lives: a directory (SQLite) or a database URL (real PostgreSQL). */
  location: string;
}

export async function openTestStore(engine: EngineName): Promise<TestStore> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'gatepost-store-'));
    const store = await openStore({ dataDir: dir });
    return {
      ...store,
      location: dir,
      async close() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const adminUrl = realPostgresUrl();
  if (adminUrl) {
    const database = await createPostgresDatabase(adminUrl);
    const store = await openStore({ dataDir: '', databaseUrl: database.url });
    return {
      ...store,
      location: database.url,
      async close() {
        await store.close();
        await database.drop();
      },
    };
  }
  const { db, drop } = await openPgliteDatabase();
  await migrate(db, 'postgres');
  return { db, engine: 'postgres', location: 'pglite', close: drop };
}
