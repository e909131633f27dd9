/**
 * Secrets on the server: random tokens (session, device, setup, API keys) that are stored only as
 * SHA-256 hashes; staff passwords hashed with scrypt; and the master key that encrypts signing
 * keys at rest (AES-256-GCM).
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  scrypt as scryptCb,
  timingSafeEqual,
  type ScryptOptions,
} from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { fromBase64Url, toBase64Url } from '../../domain/bytes';

export function randomToken(bytes = 32): string {
  return toBase64Url(randomBytes(bytes));
}

/** Tokens are 256-bit random values, so a fast hash is enough to keep them useless if read. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

const scrypt = (password: string, salt: Buffer, keylen: number, opts: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(password, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );

// N = 2^15, r = 8, p = 1: about 32 MiB and some tens of milliseconds per check (OWASP's scrypt
// recommendation is N ≥ 2^17 with r = 8 for interactive logins on servers with memory to spare;
// a small office server signs in a handful of people, so memory, not time, sets the bound here).
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize('NFKC'), salt, 32, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${toBase64Url(salt)}$${toBase64Url(key)}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(fromBase64Url(hash));
  const key = await scrypt(
    password.normalize('NFKC'),
    Buffer.from(fromBase64Url(salt)),
    expected.length,
    {
      N: Number(n),
      r: Number(r),
      p: Number(p),
      maxmem: SCRYPT.maxmem,
    },
  );
  return timingSafeEqual(key, expected);
}

/** A hash to compare against when the account does not exist, so timing does not reveal that. */
export const DUMMY_PASSWORD_HASH = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${toBase64Url(Buffer.alloc(16))}$${toBase64Url(Buffer.alloc(32))}`;

export interface MasterKey {
  seal(plain: Uint8Array): string;
  open(sealed: string): Uint8Array;
  /**
   * HMAC-SHA256 (hex) of `data` under a key derived from the master key for `purpose`: lets the
   * server find equal sealed values (the same ID number on two cards) without storing them in
   * clear or as a plain hash, which the small space of ID numbers would let anyone reverse.
   */
  keyedHash(purpose: string, data: string): string;
}

/**
 * The master key: GATEPOST_MASTER_KEY if set (needed when several server instances share one
 * PostgreSQL), else `master.key` in the data directory, created on first start, readable by the
 * owner only.
 */
export function loadMasterKey(dataDir: string, fromEnv?: string): MasterKey {
  let key: Buffer;
  if (fromEnv) {
    key = Buffer.from(fromBase64Url(fromEnv));
  } else {
    const file = path.join(dataDir, 'master.key');
    if (existsSync(file)) {
      key = Buffer.from(fromBase64Url(readFileSync(file, 'utf8').trim()));
    } else {
      mkdirSync(dataDir, { recursive: true });
      key = randomBytes(32);
      writeFileSync(file, toBase64Url(key) + '\n', { mode: 0o600, flag: 'wx' });
      chmodSync(file, 0o600);
    }
  }
  if (key.length !== 32) throw new Error('the master key must be 32 bytes');
  return masterKeyFrom(key);
}

export function masterKeyFrom(key: Buffer): MasterKey {
  const derived = new Map<string, Buffer>();
  const keyFor = (purpose: string) => {
    let k = derived.get(purpose);
    if (!k) {
      k = createHmac('sha256', key).update(`gatepost/keyed-hash/${purpose}`).digest();
      derived.set(purpose, k);
    }
    return k;
  };
  return {
    keyedHash(purpose, data) {
      return createHmac('sha256', keyFor(purpose)).update(data, 'utf8').digest('hex');
    },
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return `v1.${toBase64Url(iv)}.${toBase64Url(body)}.${toBase64Url(cipher.getAuthTag())}`;
    },
    open(sealed) {
      const [v, iv, body, tag] = sealed.split('.');
      if (v !== 'v1' || !iv || !body || !tag) throw new Error('not a sealed secret');
      const decipher = createDecipheriv('aes-256-gcm', key, fromBase64Url(iv));
      decipher.setAuthTag(fromBase64Url(tag));
      return new Uint8Array(
        Buffer.concat([decipher.update(fromBase64Url(body)), decipher.final()]),
      );
    },
  };
}
