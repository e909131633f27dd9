/**
 * The office's CSV imports (households, the key-household change table), one way: the file comes
 * as base64url of its bytes (so its encoding is decided here and line numbers hold), is read by
 * a domain reader (csv-table.ts), previewed by running the import in a transaction that is rolled
 * back, and applied all-or-nothing; a row the store refuses (an unknown household …) is reported
 * by its CSV line like a row the reader refused.
 */
import { z } from '@hono/zod-openapi';
import type { Kysely } from 'kysely';
import { BulkValidationError } from '../../domain/bulk';
import { fromBase64Url } from '../../domain/bytes';
import type { CsvTableResult, ImportRowError } from '../../domain/csv-table';
import type { Db } from '../store/db';
import type { Database } from '../store/schema';
import { ApiError, invalidInput } from './errors';
import { jsonBody } from './routes';

export const MAX_FILE_BYTES = 700 * 1024;

export const importBody = jsonBody(
  z
    .object({
      file: z
        .string()
        .min(1)
        .max(Math.ceil((MAX_FILE_BYTES * 4) / 3))
        .regex(/^[A-Za-z0-9_-]+$/, 'must be base64url'),
    })
    .strict(),
);

export const rowErrorSchema = z.object({
  line: z.number(),
  field: z.string(),
  message: z.string(),
});

/**
 * CSV bytes to text: UTF-8 when they are valid UTF-8 (with or without a byte-order mark), else
 * GB18030, the encoding Chinese spreadsheets and older property systems export (a superset of
 * GBK and GB2312). Valid GB18030 text is almost never valid UTF-8, so the order decides well.
 */
export function decodeCsvBytes(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'gb18030' } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
  }
}

export interface ParsedImport<T> {
  encoding: 'utf-8' | 'gb18030';
  rows: T[];
  lines: number[];
  ignoredColumns: string[];
  errors: ImportRowError[];
}

export function parseImport<T>(
  file: string,
  read: (text: string) => CsvTableResult<T>,
): ParsedImport<T> {
  let bytes: Uint8Array;
  try {
    bytes = fromBase64Url(file);
  } catch {
    throw invalidInput([{ path: 'file', message: 'must be base64url' }]);
  }
  if (bytes.length > MAX_FILE_BYTES) {
    throw invalidInput([{ path: 'file', message: `larger than ${MAX_FILE_BYTES} bytes` }]);
  }
  const { text, encoding } = decodeCsvBytes(bytes);
  const r = read(text);
  return r.ok
    ? { encoding, rows: r.rows, lines: r.lines, ignoredColumns: r.ignoredColumns, errors: [] }
    : { encoding, rows: [], lines: [], ignoredColumns: r.ignoredColumns, errors: r.errors };
}

class DryRun<O> extends Error {
  constructor(readonly outcome: O) {
    super('dry run');
  }
}

/**
 * Runs `apply` in a transaction: a dry run rolls it back and reports what it would do. A file
 * the reader refused is not applied at all; its errors come back with `none` as the outcome.
 */
export async function runImport<T, O extends object>(
  db: Kysely<Database>,
  parsed: ParsedImport<T>,
  dryRun: boolean,
  none: O,
  apply: (trx: Db) => Promise<O>,
): Promise<O & { errors: ImportRowError[] }> {
  if (parsed.errors.length > 0) return { ...none, errors: parsed.errors };
  try {
    return await db.transaction().execute(async (trx) => {
      const outcome = await apply(trx);
      if (dryRun) throw new DryRun(outcome);
      return { ...outcome, errors: [] as ImportRowError[] };
    });
  } catch (e) {
    if (e instanceof DryRun) return { ...(e.outcome as O), errors: [] };
    if (e instanceof BulkValidationError) {
      const errors = e.errors.map((x) => ({
        line: parsed.lines[x.row] ?? 0,
        field: x.field,
        message: x.message,
      }));
      return { ...none, errors };
    }
    throw e;
  }
}

/** The answer to an import with bad rows: 400, each as `lines.<line>.<field>`, nothing written. */
export function refuseRows(errors: readonly ImportRowError[]): ApiError {
  const fields = errors.map((e) => ({ path: `lines.${e.line}.${e.field}`, message: e.message }));
  return new ApiError(
    400,
    'invalid_rows',
    `${fields.length} bad line field(s); nothing was imported`,
    fields,
  );
}
