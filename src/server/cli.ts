/**
 * The `gatepost` command line (`npm run gatepost -- <command>`): serve, and the operations an
 * office administrator or an installer needs without the web console.
 */
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline/promises';
import { ROLES, type Role } from '../domain/permissions';
import { configOrExit, ensureFirstCommunity, openDeps, runServer } from './main';
import { randomToken } from './crypto/secrets';
import { audit, SYSTEM } from './store/audit';
import { listCommunities, renewEpoch } from './store/communities';
import { rotateSigningKey } from './store/keys';
import { openStore } from './store/open';
import { createStaff, findStaffByUsername, setPassword } from './store/staff';
import { SyncWriter } from './store/sync-rows';

const USAGE = `usage: gatepost <command>

  serve                                  run the server (what npm start does)
  migrate                                create or upgrade the database schema, then exit
  admin create <name> [--role R] [--community N] [--password-stdin]
                                         create a staff account (role admin by default, in every
                                         community unless --community is given)
  admin reset-password <name> [--password-stdin]
                                         set a new password (printed, or read from stdin)
  keys rotate --community N              a new signing key signs from now on
  backup <file>                          SQLite: an online copy of the database into <file>;
                                         PostgreSQL: prints the pg_dump command to run
  restored                               after restoring a backup: every kiosk rebuilds its copy
                                         and sends again what the backup lacks

Configuration comes from the environment (PORT, GATEPOST_DATA_DIR, DATABASE_URL, …; see README).`;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

async function readPassword(fromStdin: boolean): Promise<{ password: string; generated: boolean }> {
  if (!fromStdin) return { password: randomToken(12), generated: true };
  const rl = createInterface({ input: process.stdin });
  const line = (await rl[Symbol.asyncIterator]().next()).value as string | undefined;
  rl.close();
  if (!line || line.length < 8) fail('the password must be at least 8 characters');
  return { password: line, generated: false };
}

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      community: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command = 'serve', sub, arg] = positionals;
  if (values.help) return void console.log(USAGE);
  if (command === 'serve') return runServer();

  const config = configOrExit();
  if (command === 'migrate') {
    const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
    await store.close();
    return void console.log(`database is up to date (${store.engine})`);
  }

  const deps = await openDeps(config);
  const db = deps.store.db;
  const now = deps.now();
  try {
    if (command === 'admin' && sub === 'create' && arg) {
      const role = (values.role ?? 'admin') as Role;
      if (!ROLES.includes(role)) fail(`--role must be one of ${ROLES.join(', ')}`);
      if (await findStaffByUsername(db, arg)) fail(`an account named ${arg} exists already`);
      await ensureFirstCommunity(deps);
      const communities = values.community
        ? [Number(values.community)]
        : (await listCommunities(db)).map((c) => c.id);
      const { password, generated } = await readPassword(values['password-stdin']);
      await db.transaction().execute(async (trx) => {
        const staff = await createStaff(trx, now, {
          username: arg,
          displayName: arg,
          password,
          roles: communities.map((communityId) => ({ communityId, role })),
        });
        await audit(trx, now, {
          communityId: null,
          actor: SYSTEM,
          action: 'staff.create_cli',
          targetType: 'staff',
          targetId: staff.id,
        });
      });
      console.log(`created ${arg} (${role})${generated ? `; password: ${password}` : ''}`);
    } else if (command === 'admin' && sub === 'reset-password' && arg) {
      const staff = await findStaffByUsername(db, arg);
      if (!staff) fail(`no account named ${arg}`);
      const { password, generated } = await readPassword(values['password-stdin']);
      await db.transaction().execute(async (trx) => {
        await setPassword(trx, now, staff.id, password);
        await audit(trx, now, {
          communityId: null,
          actor: SYSTEM,
          action: 'staff.reset_password_cli',
          targetType: 'staff',
          targetId: staff.id,
        });
      });
      console.log(
        `new password set for ${arg}${generated ? `: ${password}` : ''}; every session of the account ended`,
      );
    } else if (command === 'keys' && sub === 'rotate') {
      const communityId = Number(values.community);
      if (!Number.isInteger(communityId) || communityId < 1)
        fail('keys rotate needs --community N');
      if (!(await listCommunities(db)).some((c) => c.id === communityId))
        fail(`no community ${communityId}`);
      await db.transaction().execute(async (trx) => {
        await rotateSigningKey(
          trx,
          deps.masterKey,
          await SyncWriter.open(trx, communityId, now),
          now,
        );
        await audit(trx, now, {
          communityId,
          actor: SYSTEM,
          action: 'key.rotate_cli',
          targetType: 'community',
          targetId: communityId,
        });
      });
      console.log(
        `community ${communityId}: a new signing key signs from now on; the gates receive it with their next pull`,
      );
    } else if (command === 'backup' && sub) {
      if (deps.store.engine === 'postgres') {
        console.log(
          `PostgreSQL is backed up with its own tools, for example:\n  pg_dump --format=custom --file=${sub} "$DATABASE_URL"\nrestore with pg_restore, then run: gatepost restored`,
        );
      } else {
        await deps.store.backup!(sub);
        console.log(`backed up ${deps.store.file} to ${sub} (consistent, taken while running)`);
      }
    } else if (command === 'restored') {
      for (const c of await listCommunities(db)) {
        await renewEpoch(db, c.id);
        await audit(db, now, {
          communityId: c.id,
          actor: SYSTEM,
          action: 'community.restored',
          targetType: 'community',
          targetId: c.id,
        });
      }
      console.log(
        'new epoch for every community: kiosks rebuild their copies and send again the events they keep',
      );
    } else {
      fail(USAGE);
    }
  } finally {
    await deps.store.close();
  }
}

try {
  await main(process.argv.slice(2));
} catch (e) {
  console.error(`gatepost: ${(e as Error).message}`);
  process.exit(1);
}
