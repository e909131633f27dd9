/**
 * The office's household import: a CSV as common property-management systems export it (or the
 * template below), read into the same `householdInputSchema` rows the integration API takes.
 * Unknown columns (area, owner's phone …) are ignored and listed (see csv-table.ts).
 */
import { csvDocument } from './csv';
import { fold, readCsvTable, wordOf, type CsvTableResult } from './csv-table';
import { householdInputSchema, type HouseholdInput, type Occupancy } from './household';

export type HouseholdColumn =
  'building' | 'unit' | 'room' | 'occupancy' | 'movedOut' | 'arrears' | 'externalId';

/** Header spellings, compared after NFKC folding, lower-casing and removing spaces. */
export const ADDRESS_HEADERS = {
  building: ['楼栋', '楼号', '栋号', '楼宇', '楼栋号', '樓棟', 'building'],
  unit: ['单元', '单元号', '單元', 'unit'],
  room: ['房号', '房间号', '室号', '房號', 'room'],
} as const;

const HEADERS: Record<HouseholdColumn, readonly string[]> = {
  ...ADDRESS_HEADERS,
  occupancy: ['类型', '房屋状态', '性质', '入住类型', '類型', 'occupancy'],
  movedOut: ['已搬出', '搬出', '已迁出', 'movedout'],
  arrears: ['欠费', '欠費', 'arrears'],
  externalId: ['外部编号', '房屋编号', '房产编号', '編號', 'externalid'],
};

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

export type HouseholdCsvResult = CsvTableResult<HouseholdInput>;

/** Reads the CSV text into household rows; every bad line and field is reported at once. */
export function readHouseholdCsv(text: string, maxRows = 5000): HouseholdCsvResult {
  return readCsvTable(
    text,
    {
      headers: HEADERS,
      required: ['building', 'unit', 'room', 'occupancy'],
      schema: householdInputSchema,
      friendly: {
        occupancy: 'must be 业主, 租户, 空置 or 商铺',
        movedOut: 'must be 是 or 否',
        arrears: 'must be 是 or 否',
      },
      cell(column: HouseholdColumn, value: string) {
        if (column === 'occupancy') return wordOf(OCCUPANCY_WORDS, value);
        if (column === 'movedOut' || column === 'arrears') {
          const v = fold(value);
          return YES.includes(v) ? true : NO.includes(v) ? false : value;
        }
        if (column === 'externalId') return value === '' ? undefined : value;
        return value;
      },
    },
    maxRows,
  );
}
