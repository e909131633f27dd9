/**
 * What every route and store function may use: the store, the master key, the clock and id
 * source (passed in, so tests control time), and the server's public address.
 */
import { randomBytes } from 'node:crypto';
import { ulid } from '../domain/ids';
import type { MasterKey } from './crypto/secrets';
import type { Store } from './store/open';

export interface ServerDeps {
  store: Store;
  masterKey: MasterKey;
  /** Milliseconds since the epoch. */
  now: () => number;
  version: string;
  /** Where kiosks reach this server; else taken from each request. */
  publicUrl?: string | undefined;
  staticDir?: string | undefined;
  /** Believe X-Forwarded-For (only behind a reverse proxy that sets it). */
  trustProxy?: boolean;
}

export function newId(now: number): string {
  return ulid(now, randomBytes(10));
}
