/**
 * Configuration from the environment (DESIGN §3.2), parsed once at start. An invalid value stops
 * the server with a message that names the variable.
 */
import path from 'node:path';
import { z } from 'zod';

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  GATEPOST_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL (leave unset for SQLite)')
    .optional(),
  GATEPOST_BOOTSTRAP_ADMIN: z
    .string()
    .regex(/^[^:]+:.{8,}$/, 'must be name:password with a password of at least 8 characters')
    .optional(),
  GATEPOST_MASTER_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, 'must be 32 bytes in base64url (43 characters)')
    .optional(),
  GATEPOST_PUBLIC_URL: z.url().optional(),
  GATEPOST_STATIC_DIR: z.string().min(1).default('dist'),
  GATEPOST_TRUST_PROXY: z.enum(['0', '1', 'true', 'false']).default('0'),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  bootstrapAdmin: { username: string; password: string } | undefined;
  masterKey: string | undefined;
  publicUrl: string | undefined;
  staticDir: string;
  trustProxy: boolean;
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  let bootstrapAdmin: Config['bootstrapAdmin'];
  if (e.GATEPOST_BOOTSTRAP_ADMIN) {
    const at = e.GATEPOST_BOOTSTRAP_ADMIN.indexOf(':');
    bootstrapAdmin = {
      username: e.GATEPOST_BOOTSTRAP_ADMIN.slice(0, at),
      password: e.GATEPOST_BOOTSTRAP_ADMIN.slice(at + 1),
    };
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.GATEPOST_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    bootstrapAdmin,
    masterKey: e.GATEPOST_MASTER_KEY,
    publicUrl: e.GATEPOST_PUBLIC_URL,
    staticDir: path.resolve(e.GATEPOST_STATIC_DIR),
    trustProxy: e.GATEPOST_TRUST_PROXY === '1' || e.GATEPOST_TRUST_PROXY === 'true',
  };
}
