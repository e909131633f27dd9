/**
 * Starts the server: configuration, the store (migrated), the master key, the first community
 * and the first administrator (or the one-time setup link), then the HTTP listener. Everything
 * that can be built without a socket lives in createApp so tests can call it in-process.
 */
import { serve } from '@hono/node-server';
import { readFileSync } from 'node:fs';
import { createApp } from './app';
import { ConfigError, loadConfig, type Config } from './config';
import type { ServerDeps } from './context';
import { loadMasterKey } from './crypto/secrets';
import { createCommunity, listCommunities, updateCommunity } from './store/communities';
import { settingsRowSchema } from '../domain/sync/tables';
import { openStore, type Store } from './store/open';
import { countStaff, createSetupToken, createStaff } from './store/staff';
import { audit, SYSTEM } from './store/audit';
import { scheduleMaintenance } from './maintenance';

export const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

export function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
}

export async function openDeps(config: Config): Promise<ServerDeps> {
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  return {
    store,
    masterKey: loadMasterKey(config.dataDir, config.masterKey),
    now: () => Date.now(),
    version: VERSION,
    publicUrl: config.publicUrl,
    staticDir: config.staticDir,
    trustProxy: config.trustProxy,
  };
}

/** A fresh installation gets one community to work in (renamed later in the office console). */
export async function ensureFirstCommunity(deps: ServerDeps): Promise<void> {
  if ((await listCommunities(deps.store.db)).length > 0) return;
  const c = await createCommunity(deps.store.db, deps.masterKey, deps.now(), { name: '我的小区' });
  console.log(`Created community ${c.id} (${c.name}); rename it in the office console.`);
}

/**
 * Communities created before a field was added to the gate's settings row get the row anew, so
 * kiosks never receive a settings row older than the contract they validate it with.
 */
async function refreshSettingsRows(deps: ServerDeps): Promise<void> {
  for (const c of await listCommunities(deps.store.db)) {
    const row = await deps.store.db
      .selectFrom('sync_row')
      .select('data')
      .where('community_id', '=', c.id)
      .where('tbl', '=', 'settings')
      .where('id', '=', 'community')
      .executeTakeFirst();
    if (row?.data && settingsRowSchema.safeParse(JSON.parse(row.data)).success) continue;
    await deps.store.db
      .transaction()
      .execute((trx) => updateCommunity(trx, deps.masterKey, deps.now(), c.id, {}));
  }
}

/** First start: a community to work in, and a way in for the first administrator. */
async function bootstrap(deps: ServerDeps, config: Config, baseUrl: string): Promise<void> {
  const db = deps.store.db;
  const now = deps.now();
  await ensureFirstCommunity(deps);
  await refreshSettingsRows(deps);
  if ((await countStaff(db)) > 0) return;
  const communities = await listCommunities(db);
  if (config.bootstrapAdmin) {
    await db.transaction().execute(async (trx) => {
      const admin = await createStaff(trx, now, {
        username: config.bootstrapAdmin!.username,
        displayName: config.bootstrapAdmin!.username,
        password: config.bootstrapAdmin!.password,
        roles: communities.map((c) => ({ communityId: c.id, role: 'admin' as const })),
      });
      await audit(trx, now, {
        communityId: null,
        actor: SYSTEM,
        action: 'staff.bootstrap',
        targetType: 'staff',
        targetId: admin.id,
      });
    });
    console.log(
      `Created administrator "${config.bootstrapAdmin.username}" from GATEPOST_BOOTSTRAP_ADMIN.`,
    );
    return;
  }
  const token = await createSetupToken(db, now);
  const url = new URL('/office/setup', config.publicUrl ?? baseUrl);
  url.searchParams.set('token', token);
  console.log(
    `No staff account yet. Create the first administrator within 24 hours at:\n  ${url.toString()}`,
  );
}

export async function runServer(): Promise<void> {
  const config = configOrExit();
  let deps: ServerDeps;
  try {
    deps = await openDeps(config);
  } catch (e) {
    console.error(`cannot open the database: ${(e as Error).message}`);
    process.exit(1);
  }
  const app = createApp(deps);
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    const shown = config.host === '0.0.0.0' ? 'localhost' : config.host;
    const baseUrl = `http://${shown}:${info.port}`;
    void bootstrap(deps, config, baseUrl).then(
      () => {
        scheduleMaintenance(deps);
        console.log(
          `Gatepost listening on http://${config.host}:${info.port} (${deps.store.engine})`,
        );
      },
      (e: Error) => {
        console.error(`start-up failed: ${e.message}`);
        process.exit(1);
      },
    );
  });
  const stop = () => server.close(() => void closeStore(deps.store).then(() => process.exit(0)));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

async function closeStore(store: Store): Promise<void> {
  await store.close();
}
