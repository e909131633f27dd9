/**
 * Reading an office import (a CSV as property-management systems export it) into the rows an
 * input schema takes, so that the CSV and the integration API end in the same rules. Columns are
 * found by their header, in Chinese or English, in any order; columns not known are ignored and
 * listed. Every bad line and field is reported at once (lines are the file's, 1-based), and a
 * file with any error yields no rows: imports are all-or-nothing.
 */
import type { z } from 'zod';
import { parseRows } from './bulk';
import { CsvFormatError, parseCsv } from './csv';

export interface ImportRowError {
  /** The CSV line (1-based); 0 for the file as a whole. */
  line: number;
  field: string;
  message: string;
}

export type CsvTableResult<T> =
  | { ok: true; rows: T[]; lines: number[]; ignoredColumns: string[] }
  | { ok: false; errors: ImportRowError[]; ignoredColumns: string[] };

export interface CsvTableSpec<C extends string, S extends z.ZodType> {
  /** Header spellings per column, compared after `fold`. */
  headers: Readonly<Record<C, readonly string[]>>;
  required: readonly C[];
  /** A trimmed cell to the value the schema reads; `undefined` leaves the field out. */
  cell: (column: C, value: string) => unknown;
  schema: S;
  /** Messages in the words of the file rather than of the schema, by field. */
  friendly?: Readonly<Record<string, string>>;
}

/** NFKC folding, lower case, no spaces: how headers and words in cells are compared. */
export const fold = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/gu, '');

/** The key whose word list holds the folded value; the value itself when none does. */
export function wordOf<K extends string>(
  words: Readonly<Record<K, readonly string[]>>,
  value: string,
): K | string {
  const v = fold(value);
  return (Object.keys(words) as K[]).find((k) => words[k].includes(v)) ?? value;
}

const fileError = (message: string, line = 0): ImportRowError => ({
  line,
  field: '(file)',
  message,
});

export function readCsvTable<C extends string, S extends z.ZodType>(
  text: string,
  spec: CsvTableSpec<C, S>,
  maxRows = 5000,
): CsvTableResult<z.infer<S>> {
  let records;
  try {
    records = parseCsv(text, maxRows + 1);
  } catch (e) {
    if (e instanceof CsvFormatError)
      return { ok: false, errors: [fileError(e.message, e.line)], ignoredColumns: [] };
    throw e;
  }
  const [header, ...body] = records;
  if (!header) return { ok: false, errors: [fileError('the file is empty')], ignoredColumns: [] };
  const names = Object.keys(spec.headers) as C[];
  const columns = header.fields.map((h) => names.find((c) => spec.headers[c].includes(fold(h))));
  const ignoredColumns = header.fields.filter(
    (_, i) => columns[i] === undefined && header.fields[i]!.trim() !== '',
  );
  const errors: ImportRowError[] = [];
  for (const c of spec.required) {
    if (!columns.includes(c))
      errors.push({
        line: header.line,
        field: c,
        message: `no column for ${c} (${spec.headers[c][0]})`,
      });
  }
  const seen = new Set<C>();
  columns.forEach((c) => {
    if (c && seen.has(c))
      errors.push({ line: header.line, field: c, message: 'column appears twice' });
    if (c) seen.add(c);
  });
  if (errors.length) return { ok: false, errors, ignoredColumns };
  if (body.length === 0)
    return { ok: false, errors: [fileError('no rows under the header')], ignoredColumns };
  if (body.length > maxRows)
    return { ok: false, errors: [fileError(`more than ${maxRows} rows`)], ignoredColumns };

  const inputs = body.map((record) => {
    const raw: Record<string, unknown> = {};
    columns.forEach((c, i) => {
      if (!c) return;
      const value = spec.cell(c, (record.fields[i] ?? '').trim());
      if (value !== undefined) raw[c] = value;
    });
    return raw;
  });
  const parsed = parseRows(spec.schema, inputs);
  const lines = body.map((r) => r.line);
  if (!parsed.ok) {
    // One message per line and field: the first, which is the most basic (an empty room is
    // "required", not also "may hold letters …").
    const seenFields = new Set<string>();
    const rowErrors: ImportRowError[] = [];
    for (const e of parsed.errors) {
      const field = e.field.split('.')[0]!;
      const key = `${e.row}\u0000${field}`;
      if (seenFields.has(key)) continue;
      seenFields.add(key);
      rowErrors.push({ line: lines[e.row]!, field, message: spec.friendly?.[field] ?? e.message });
    }
    return { ok: false, errors: rowErrors, ignoredColumns };
  }
  return { ok: true, rows: parsed.rows, lines, ignoredColumns };
}
