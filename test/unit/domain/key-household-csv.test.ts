import { describe, expect, it } from 'vitest';
import {
  KEY_HOUSEHOLD_CSV_TEMPLATE,
  readKeyHouseholdCsv,
} from '../../../src/domain/key-household-csv';

describe('the key-household change table', () => {
  it('reads the template: categories by their words, several to a cell, 无 taking one off', () => {
    const r = readKeyHouseholdCsv(KEY_HOUSEHOLD_CSV_TEMPLATE);
    expect(r).toMatchObject({
      ok: true,
      lines: [2, 3, 4],
      rows: [
        { building: '3', unit: '2', room: '1202', categories: ['rental'] },
        { room: '601', categories: ['vulnerable_elderly'], note: '留意出入，两天未见请敲门' },
        { room: '101', categories: [] },
      ],
    });
    const several = readKeyHouseholdCsv(
      '房号,楼栋,单元,类别,面积\n8,1,1,犯罪记录；信用不良/孕妇,90',
    );
    expect(several).toMatchObject({
      ok: true,
      ignoredColumns: ['面积'],
      rows: [{ categories: ['under_watch', 'bad_credit', 'vulnerable_pregnancy'] }],
    });
  });

  it('reports every bad line once per field, and no rows', () => {
    const r = readKeyHouseholdCsv(
      ['楼栋,单元,房号,重点户类别', '3,2,1202,租赁户', '3,2,,吵架', '3,2,1203,租赁户、吵架'].join(
        '\n',
      ),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.line, e.field])).toEqual([
      [3, 'room'],
      [3, 'categories'],
      [4, 'categories'],
    ]);
    expect(r.errors[1]!.message).toContain('租赁户');
  });

  it('needs the address and category columns', () => {
    const r = readKeyHouseholdCsv('楼栋,单元,说明\n1,1,x');
    expect(r.ok ? [] : r.errors.map((e) => e.field)).toEqual(['room', 'categories']);
  });
});
