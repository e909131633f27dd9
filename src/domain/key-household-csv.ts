/**
 * The office's import of the key-household change table (《重点户异动表》, procedure 4.2.5): one
 * line per household, by building-unit-room, with its categories after the change (several
 * separated by 、 , ; or /; 无 or an empty cell takes the household off the list) and the office's
 * note for the guards. Read with the same reader as the household import (csv-table.ts).
 */
import { z } from 'zod';
import { csvDocument } from './csv';
import { fold, readCsvTable, wordOf, type CsvTableResult } from './csv-table';
import { householdInputSchema } from './household';
import { ADDRESS_HEADERS } from './household-csv';
import { KEY_HOUSEHOLD_CATEGORIES, type KeyHouseholdCategory } from './key-household';
import { lineText } from './text';

export const keyHouseholdCsvRowSchema = householdInputSchema
  .pick({ building: true, unit: true, room: true })
  .extend({
    categories: z.array(z.enum(KEY_HOUSEHOLD_CATEGORIES)).max(KEY_HOUSEHOLD_CATEGORIES.length),
    note: lineText(200).default(''),
  })
  .strict();
export type KeyHouseholdCsvRow = z.infer<typeof keyHouseholdCsvRowSchema>;

/** The words the change table uses for each category, Simplified and Traditional. */
export const CATEGORY_WORDS: Record<KeyHouseholdCategory, readonly string[]> = {
  rental: ['租赁户', '租赁', '出租户', '租戶', '租賃戶', 'rental'],
  under_watch: [
    '犯罪倾向或记录',
    '有犯罪记录',
    '犯罪记录',
    '犯罪倾向',
    '犯罪',
    '犯罪記錄',
    'under_watch',
  ],
  troublemaker: ['习惯性滋事', '滋事', '習慣性滋事', 'troublemaker'],
  bad_credit: ['信用不良', '不良信用', '恶意欠费', '信用度不良', '信用不良客戶', 'bad_credit'],
  vulnerable_medical: ['高危病史', '病史', '高危病史客戶', 'vulnerable_medical'],
  vulnerable_pregnancy: ['临产孕妇', '孕妇', '臨產孕婦', '孕婦', 'vulnerable_pregnancy'],
  vulnerable_elderly: [
    '独居老人',
    '无子女陪伴老人',
    '无子女陪伴的老人',
    '獨居老人',
    '無子女陪伴老人',
    'vulnerable_elderly',
  ],
};
const NONE = ['', '无', '無', '移除', '取消', 'none'];

const HEADERS = {
  ...ADDRESS_HEADERS,
  categories: ['重点户类别', '类别', '重点户类型', '類別', '重點戶類別', 'categories'],
  note: ['门岗说明', '说明', '备注', '門崗說明', '備註', 'note'],
} as const;
type Column = keyof typeof HEADERS;

export const KEY_HOUSEHOLD_CSV_TEMPLATE = csvDocument([
  ['楼栋', '单元', '房号', '重点户类别', '门岗说明'],
  ['3', '2', '1202', '租赁户', '物资搬出须凭业主同意的放行条'],
  ['5', '1', '601', '独居老人', '留意出入，两天未见请敲门'],
  ['2', '1', '101', '无', ''],
]);

function categoriesOf(value: string): unknown {
  if (NONE.includes(fold(value))) return [];
  return value
    .split(/[、,，;；/|]+/u)
    .map((w) => w.trim())
    .filter((w) => w !== '')
    .map((w) => wordOf(CATEGORY_WORDS, w));
}

export function readKeyHouseholdCsv(
  text: string,
  maxRows = 5000,
): CsvTableResult<KeyHouseholdCsvRow> {
  return readCsvTable(
    text,
    {
      headers: HEADERS,
      required: ['building', 'unit', 'room', 'categories'] satisfies Column[],
      schema: keyHouseholdCsvRowSchema,
      friendly: {
        categories: `must be ${KEY_HOUSEHOLD_CATEGORIES.map((c) => CATEGORY_WORDS[c][0]).join('、')} or 无`,
      },
      cell: (column: Column, value) => (column === 'categories' ? categoriesOf(value) : value),
    },
    maxRows,
  );
}
