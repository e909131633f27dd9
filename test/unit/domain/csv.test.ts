import { describe, expect, it } from 'vitest';
import { CsvFormatError, csvDocument, csvField, parseCsv, toCsv } from '../../../src/domain/csv';
import { HOUSEHOLD_CSV_TEMPLATE, readHouseholdCsv } from '../../../src/domain/household-csv';

describe('parseCsv', () => {
  it('reads RFC 4180: quotes, doubled quotes, commas and line breaks inside quotes, any line ending', () => {
    const text = '\uFEFFa,b,c\r\n"1,5","say ""hi""","two\r\nlines"\n\nx,,\ry';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1,5', 'say "hi"', 'two\r\nlines'] },
      { line: 5, fields: ['x', '', ''] },
      { line: 6, fields: ['y'] },
    ]);
  });

  it('names the line of a quote that is never closed', () => {
    expect(() => parseCsv('a\n"b\nc')).toThrow(CsvFormatError);
    try {
      parseCsv('a\nb\n"c,d\ne');
    } catch (e) {
      expect((e as CsvFormatError).line).toBe(3);
    }
  });

  it('writes what it reads, and never a formula a spreadsheet would run', () => {
    const rows = [
      ['楼栋', 'a,b', 'say "x"'],
      ['=HYPERLINK("x")', '+1', 'line\nbreak'],
    ];
    const back = parseCsv(toCsv(rows)).map((r) => r.fields);
    expect(back[0]).toEqual(rows[0]);
    expect(back[1]).toEqual(['\'=HYPERLINK("x")', "'+1", 'line\nbreak']);
    expect(csvField('-2')).toBe("'-2");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\rcmd')).toBe('"\'\rcmd"');
  });

  it('writes a document Excel opens as UTF-8: byte-order mark first, CRLF lines', () => {
    const doc = csvDocument([['姓名'], ['王小明']]);
    expect(doc).toBe('\uFEFF姓名\r\n王小明\r\n');
    expect(parseCsv(doc).map((r) => r.fields)).toEqual([['姓名'], ['王小明']]);
  });
});

describe('readHouseholdCsv', () => {
  it('finds columns by Chinese or English headers in any order and maps the words property systems use', () => {
    const r = readHouseholdCsv(
      [
        '房屋编号, Room ,单元,楼号,性质,已迁出,欠费,建筑面积',
        'A-1,1201,2,3,出租,是,否,98.5',
        ',101,1,1,自住,,Y,70',
      ].join('\n'),
    );
    expect(r).toMatchObject({
      ok: true,
      lines: [2, 3],
      ignoredColumns: ['建筑面积'],
      rows: [
        {
          externalId: 'A-1',
          building: '3',
          unit: '2',
          room: '1201',
          occupancy: 'tenant',
          movedOut: true,
          arrears: false,
        },
        {
          building: '1',
          unit: '1',
          room: '101',
          occupancy: 'owner',
          movedOut: false,
          arrears: true,
        },
      ],
    });
    if (r.ok) expect(r.rows[1]!.externalId).toBeUndefined();
  });

  it('reports each bad line and field once, in the words of the file', () => {
    const r = readHouseholdCsv(
      ['楼栋,单元,房号,类型,已搬出', '1,1,,业主,否', '1,1,102,借住,也许', '1,1,1 03,业主,否'].join(
        '\n',
      ),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      { line: 2, field: 'room', message: 'room is required' },
      { line: 3, field: 'occupancy', message: 'must be 业主, 租户, 空置 or 商铺' },
      { line: 3, field: 'movedOut', message: 'must be 是 or 否' },
      { line: 4, field: 'room', message: 'room may hold letters, digits, - and #' },
    ]);
  });

  it('refuses a file without a needed column, with a column twice, or without rows', () => {
    expect(readHouseholdCsv('楼栋,单元,类型\n1,1,业主')).toMatchObject({
      ok: false,
      errors: [{ line: 1, field: 'room' }],
    });
    expect(readHouseholdCsv('楼栋,楼号,单元,房号,类型\n1,1,1,1,业主')).toMatchObject({
      ok: false,
      errors: [{ field: 'building', message: 'column appears twice' }],
    });
    expect(readHouseholdCsv('楼栋,单元,房号,类型\n')).toMatchObject({
      ok: false,
      errors: [{ line: 0 }],
    });
    expect(readHouseholdCsv('')).toMatchObject({ ok: false, errors: [{ line: 0 }] });
  });

  it('accepts its own template', () => {
    expect(readHouseholdCsv(HOUSEHOLD_CSV_TEMPLATE)).toMatchObject({
      ok: true,
      rows: [{ building: '3' }],
    });
  });
});
