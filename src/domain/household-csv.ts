/**
 * The office's household import: a CSV as common property-management systems export it (or the
 * template below), read into the same `householdInputSchema` rows the integration API takes, so
 * both paths end in the same rules. Columns are found by their header, in Chinese or English, in
 * any order; columns not known here (area, owner's phone …) are ignored and listed. Errors name
 * the CSV line and the field, and the import is all-or-nothing.
 */
import { parseRows } from './bulk';
import { CsvFormatError, csvDocument, parseCsv } from './csv';
import { householdInputSchema, type HouseholdInput, type Occupancy } from './household';

export type HouseholdColumn =
  'building' | 'unit' | 'room' | 'occupancy' | 'movedOut' | 'arrears' | 'externalId';

/** Header spellings, compared after NFKC folding, lower-casing and removing spaces. */
const HEADERS: Record<HouseholdColumn, readonly string[]> = {
  building: ['楼栋', '楼号', '栋号', '楼宇', '楼栋号', '樓棟', 'building'],
  unit: ['单元', '单元号', '單元', 'unit'],
  room: ['房号', '房间号', '室号', '房號', 'room'],
  occupancy: ['类型', '房屋状态', '性质', '入住类型', '類型', 'occupancy'],
  movedOut: ['已搬出', '搬出', '已迁出', 'movedout'],
  arrears: ['欠费', '欠費', 'arrears'],
  externalId: ['外部编号', '房屋编号', '房产编号', '編號', 'externalid'],
};
const REQUIRED: readonly HouseholdColumn[] = ['building', 'unit', 'room', 'occupancy'];

const OCCUPANCY_WORDS: Record<Occupancy, readonly string[]> = {
  owner: ['业主', '自住', '業主', 'owner'],
  tenant: ['租户', '出租', '租赁', '租戶', 'tenant'],
  vacant: ['空置', '空房', 'vacant'],
  shop: ['商铺', '商业', '门面', '商舖', 'shop'],
};
const YES = ['是', 'y', 'yes', '1', 'true'];
const NO = ['否', 'n', 'no', '0', 'false', ''];

/** The downloadable template: the headers the import knows best, and one example row. */
export const HOUSEHOLD_CSV_TEMPLATE = csvDocument([
  ['楼栋', '单元', '房号', '类型', '已搬出', '欠费', '外部编号'],
  ['3', '2', '1201', '业主', '否', '否', ''],
]);

/** Messages in the words of the file rather than of the schema. */
const FRIENDLY: Record<string, string> = {
  occupancy: 'must be 业主, 租户, 空置 or 商铺',
  movedOut: 'must be 是 or 否',
  arrears: 'must be 是 or 否',
};

const fold = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/gu, '');

export interface ImportRowError {
  /** The CSV line (1-based); 0 for the file as a whole. */
  line: number;
  field: string;
  message: string;
}

export type HouseholdCsvResult =
  | { ok: true; rows: HouseholdInput[]; lines: number[]; ignoredColumns: string[] }
  | { ok: false; errors: ImportRowError[]; ignoredColumns: string[] };

function columnOf(header: string): HouseholdColumn | undefined {
  const h = fold(header);
  return (Object.keys(HEADERS) as HouseholdColumn[]).find((c) => HEADERS[c].includes(h));
}

function occupancyOf(value: string): string {
  const v = fold(value);
  const found = (Object.keys(OCCUPANCY_WORDS) as Occupancy[]).find((o) =>
    OCCUPANCY_WORDS[o].includes(v),
  );
  return found ?? value;
}

/** Reads the CSV text into household rows; every bad line and field is reported at once. */
export function readHouseholdCsv(text: string, maxRows = 5000): HouseholdCsvResult {
  let records;
  try {
    records = parseCsv(text, maxRows + 1);
  } catch (e) {
    if (e instanceof CsvFormatError) {
      return {
        ok: false,
        errors: [{ line: e.line, field: '(file)', message: e.message }],
        ignoredColumns: [],
      };
    }
    throw e;
  }
  const [header, ...body] = records;
  if (!header) {
    return {
      ok: false,
      errors: [{ line: 0, field: '(file)', message: 'the file is empty' }],
      ignoredColumns: [],
    };
  }
  const columns = header.fields.map(columnOf);
  const ignoredColumns = header.fields.filter(
    (_, i) => columns[i] === undefined && header.fields[i]!.trim() !== '',
  );
  const errors: ImportRowError[] = [];
  for (const c of REQUIRED) {
    if (!columns.includes(c)) {
      errors.push({
        line: header.line,
        field: c,
        message: `no column for ${c} (${HEADERS[c][0]})`,
      });
    }
  }
  const seen = new Set<HouseholdColumn>();
  columns.forEach((c) => {
    if (c && seen.has(c))
      errors.push({ line: header.line, field: c, message: 'column appears twice' });
    if (c) seen.add(c);
  });
  if (errors.length) return { ok: false, errors, ignoredColumns };
  if (body.length === 0) {
    return {
      ok: false,
      errors: [{ line: 0, field: '(file)', message: 'no rows under the header' }],
      ignoredColumns,
    };
  }
  if (body.length > maxRows) {
    return {
      ok: false,
      errors: [{ line: 0, field: '(file)', message: `more than ${maxRows} rows` }],
      ignoredColumns,
    };
  }

  const inputs = body.map((record) => {
    const raw: Record<string, unknown> = {};
    columns.forEach((c, i) => {
      if (!c) return;
      const value = (record.fields[i] ?? '').trim();
      if (c === 'occupancy') raw[c] = occupancyOf(value);
      else if (c === 'movedOut' || c === 'arrears') {
        const v = fold(value);
        raw[c] = YES.includes(v) ? true : NO.includes(v) ? false : value;
      } else if (c === 'externalId') {
        if (value !== '') raw[c] = value;
      } else raw[c] = value;
    });
    return raw;
  });
  const parsed = parseRows(householdInputSchema, inputs);
  const lines = body.map((r) => r.line);
  if (!parsed.ok) {
    // One message per line and field: the first, which is the most basic (an empty room is
    // "required", not also "may hold letters …").
    const seenFields = new Set<string>();
    const rowErrors: ImportRowError[] = [];
    for (const e of parsed.errors) {
      const key = `${e.row}\u0000${e.field}`;
      if (seenFields.has(key)) continue;
      seenFields.add(key);
      rowErrors.push({
        line: lines[e.row]!,
        field: e.field,
        message: FRIENDLY[e.field] ?? e.message,
      });
    }
    return { ok: false, errors: rowErrors, ignoredColumns };
  }
  return { ok: true, rows: parsed.rows, lines, ignoredColumns };
}
