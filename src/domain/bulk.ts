/**
 * Bulk inputs (the main system's calls, the office's CSV imports) are all-or-nothing: every bad
 * row is reported, by its position and field, and nothing is written until all rows are good.
 */
import type { z } from 'zod';

export interface RowError {
  /** 0-based position in the submitted list (a CSV import reports its own line numbers). */
  row: number;
  field: string;
  message: string;
}

export class BulkValidationError extends Error {
  override name = 'BulkValidationError';
  constructor(readonly errors: RowError[]) {
    super(`${errors.length} row error(s)`);
  }
}

/** Parses every row, collecting all errors rather than stopping at the first. */
export function parseRows<S extends z.ZodType>(
  schema: S,
  rows: readonly unknown[],
): { ok: true; rows: z.infer<S>[] } | { ok: false; errors: RowError[] } {
  const out: z.infer<S>[] = [];
  const errors: RowError[] = [];
  rows.forEach((raw, row) => {
    const r = schema.safeParse(raw);
    if (r.success) out.push(r.data);
    else
      for (const issue of r.error.issues) {
        const keys = 'keys' in issue && Array.isArray(issue.keys) ? (issue.keys as string[]) : [];
        const field = [...issue.path.map(String), ...keys].join('.') || '(row)';
        errors.push({ row, field, message: issue.message });
      }
  });
  return errors.length ? { ok: false, errors } : { ok: true, rows: out };
}
