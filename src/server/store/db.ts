import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema';

/** Either the database or an open transaction: store functions work inside either. */
export type Db = Kysely<Database> | Transaction<Database>;

/** Splits bulk writes so no statement exceeds either engine's bound-parameter limit. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export const flag = (b: boolean): number => (b ? 1 : 0);
