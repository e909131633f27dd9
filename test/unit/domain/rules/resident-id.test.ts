import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  civilToDayNumber,
  dayNumberToCivil,
  type CivilDate,
} from '../../../../src/domain/rules/civil-date';
import {
  CHECK_WEIGHTS,
  hasValidResidentIdChecksum,
  normaliseResidentId,
  PROVINCE_CODES,
  residentIdCheckCharacter,
  validateResidentId,
} from '../../../../src/domain/rules/resident-id';

const TODAY: CivilDate = { year: 2025, month: 6, day: 1 };

/**
 * An independent statement of ISO 7064 MOD 11-2 as GB 11643-1999 writes it: weights
 * W_i = 2^(i−1) mod 11 counted from the right (the check character is position 1), and the check
 * value a_1 satisfying Σ a_i·W_i ≡ 1 (mod 11), written X when it is 10.
 */
function referenceCheck(first17: string): string {
  for (let a1 = 0; a1 <= 10; a1++) {
    let sum = a1;
    for (let pos = 2; pos <= 18; pos++) {
      const digit = Number(first17[18 - pos]);
      let w = 1;
      for (let k = 1; k < pos; k++) w = (w * 2) % 11;
      sum += digit * w;
    }
    if (sum % 11 === 1) return a1 === 10 ? 'X' : String(a1);
  }
  throw new Error('unreachable');
}

const province = fc.constantFrom(...PROVINCE_CODES);
const birth = fc
  .integer({
    min: civilToDayNumber({ year: 1900, month: 1, day: 1 }),
    max: civilToDayNumber(TODAY),
  })
  .map(dayNumberToCivil);
const pad = (n: number, width: number) => String(n).padStart(width, '0');
const dateCode = (b: CivilDate) => `${b.year}${pad(b.month, 2)}${pad(b.day, 2)}`;

/** Valid numbers: a province code, any county digits, a birth date in range, any sequence. */
const validNumber = fc
  .tuple(province, fc.integer({ min: 0, max: 9999 }), birth, fc.integer({ min: 0, max: 999 }))
  .map(([p, county, b, seq]) => {
    const body = `${p}${pad(county, 4)}${dateCode(b)}${pad(seq, 3)}`;
    return body + residentIdCheckCharacter(body);
  });

describe('the check character (ISO 7064 MOD 11-2)', () => {
  it("accepts the standard's examples (GB 11643-1999, appendix)", () => {
    expect(hasValidResidentIdChecksum('11010519491231002X')).toBe(true);
    expect(hasValidResidentIdChecksum('440524188001010014')).toBe(true);
    expect(residentIdCheckCharacter('11010519491231002')).toBe('X');
    expect(residentIdCheckCharacter('44052418800101001')).toBe('4');
  });

  it('has the weights 2^(18−i) mod 11', () => {
    expect(CHECK_WEIGHTS).toEqual([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]);
    CHECK_WEIGHTS.forEach((w, i) => expect(w).toBe(2 ** (17 - i) % 11));
  });

  it('agrees with an independent statement of the algorithm on any 17 digits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{17}$/), (body) => {
        expect(residentIdCheckCharacter(body)).toBe(referenceCheck(body));
      }),
      { numRuns: 2000 },
    );
  });

  it('produces each of the eleven check characters', () => {
    const seen = new Set<string>();
    for (let seq = 0; seq < 200; seq++) {
      seen.add(residentIdCheckCharacter(`11010519900101${pad(seq, 3)}`));
    }
    expect([...seen].sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X']);
  });

  it('refuses to compute for anything but 17 digits', () => {
    expect(() => residentIdCheckCharacter('1101051949123100')).toThrow(RangeError);
    expect(() => residentIdCheckCharacter('1101051949123100A')).toThrow(RangeError);
    expect(hasValidResidentIdChecksum('11010519491231002')).toBe(false);
    expect(hasValidResidentIdChecksum('11010519491231002x')).toBe(false); // not normalised
  });

  it('catches every single-character change of the standard example (exhaustive)', () => {
    const valid = '11010519491231002X';
    let changes = 0;
    for (let pos = 0; pos < 18; pos++) {
      const alphabet = pos === 17 ? '0123456789X' : '0123456789';
      for (const c of alphabet) {
        if (c === valid[pos]) continue;
        const changed = valid.slice(0, pos) + c + valid.slice(pos + 1);
        expect(hasValidResidentIdChecksum(changed), changed).toBe(false);
        expect(validateResidentId(changed, TODAY).ok, changed).toBe(false);
        changes++;
      }
    }
    expect(changes).toBe(17 * 9 + 10);
  });

  it('catches every single-character change of any valid number (property, all 163 changes each)', () => {
    fc.assert(
      fc.property(validNumber, (valid) => {
        for (let pos = 0; pos < 18; pos++) {
          const alphabet = pos === 17 ? '0123456789X' : '0123456789';
          for (const c of alphabet) {
            if (c === valid[pos]) continue;
            const changed = valid.slice(0, pos) + c + valid.slice(pos + 1);
            if (hasValidResidentIdChecksum(changed)) return false;
          }
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('catches every swap of two different adjacent digits in the first 17 (property)', () => {
    fc.assert(
      fc.property(validNumber, fc.integer({ min: 0, max: 15 }), (valid, i) => {
        fc.pre(valid[i] !== valid[i + 1]);
        const swapped = valid.slice(0, i) + valid[i + 1] + valid[i] + valid.slice(i + 2);
        return !hasValidResidentIdChecksum(swapped);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('validateResidentId: valid numbers', () => {
  it("accepts the standard's first example and reads its fields", () => {
    expect(validateResidentId('11010519491231002X', TODAY)).toEqual({
      ok: true,
      value: {
        number: '11010519491231002X',
        regionCode: '110105',
        provinceCode: '11',
        birthDate: { year: 1949, month: 12, day: 31 },
        residencePermitOf: null,
      },
    });
  });

  it('accepts other published examples', () => {
    for (const n of ['11010219840406970X', '53010219200508011X']) {
      expect(validateResidentId(n, TODAY).ok, n).toBe(true);
    }
  });

  it("refuses the standard's second example, 440524188001010014, only for its 1880 birth date", () => {
    expect(hasValidResidentIdChecksum('440524188001010014')).toBe(true);
    expect(validateResidentId('440524188001010014', TODAY)).toEqual({
      ok: false,
      reason: 'birth_date',
    });
  });

  it('normalises a lower-case x, full-width characters and spaces', () => {
    for (const input of [
      '11010519491231002x',
      ' 110105 19491231 002X ',
      '１１０１０５１９４９１２３１００２Ｘ',
      '110105\u300019491231002ｘ',
    ]) {
      const r = validateResidentId(input, TODAY);
      expect(r.ok && r.value.number, input).toBe('11010519491231002X');
    }
    expect(normaliseResidentId(' 11010519491231002x')).toBe('11010519491231002X');
  });

  it('accepts leap-day births in leap years (2000, 2024), born today, and 1900-01-01', () => {
    for (const n of ['110101200002290018', '440303202402290059', '110105202506010010']) {
      expect(validateResidentId(n, TODAY).ok, n).toBe(true);
    }
    const first = '11010119000101001';
    expect(validateResidentId(first + residentIdCheckCharacter(first), TODAY).ok).toBe(true);
  });

  it('accepts residence-permit numbers and says whose they are', () => {
    const cases = [
      ['810000199001010019', 'hong_kong'],
      ['820000198506150022', 'macao'],
      ['830000200002290031', 'taiwan'],
    ] as const;
    for (const [n, region] of cases) {
      const r = validateResidentId(n, TODAY);
      expect(r.ok && r.value.residencePermitOf, n).toBe(region);
    }
  });

  it('accepts every generated valid number (property)', () => {
    fc.assert(
      fc.property(validNumber, (n) => {
        const r = validateResidentId(n, TODAY);
        expect(r.ok && r.value.number).toBe(n);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('validateResidentId: reasons', () => {
  it('length: too short, too long, empty, or 15 characters that are not all digits', () => {
    for (const n of ['', '1101051949123100', '11010519491231002', '11010519491231002X1', 'abc']) {
      expect(validateResidentId(n, TODAY), n).toEqual({ ok: false, reason: 'length' });
    }
    expect(validateResidentId('11010549123100X', TODAY)).toEqual({ ok: false, reason: 'length' });
  });

  it('legacy_15: a first-generation 15-digit number', () => {
    expect(validateResidentId('110105491231002', TODAY)).toEqual({
      ok: false,
      reason: 'legacy_15',
    });
    expect(validateResidentId('110105 491231 002', TODAY)).toEqual({
      ok: false,
      reason: 'legacy_15',
    });
  });

  it('characters: a letter anywhere but the end, or a last letter other than X', () => {
    for (const n of [
      '1101051949123100AX',
      'X10105194912310021',
      '11010519491231002Y',
      '1101051949-231002X',
    ]) {
      expect(validateResidentId(n, TODAY), n).toEqual({ ok: false, reason: 'characters' });
    }
  });

  it('region: first two digits not a province-level code; 83 only as 830000', () => {
    for (const p of [
      '00',
      '10',
      '16',
      '20',
      '24',
      '30',
      '38',
      '40',
      '47',
      '49',
      '55',
      '60',
      '66',
      '70',
      '72',
      '80',
      '84',
      '90',
      '99',
    ]) {
      const body = `${p}010519491231002`;
      const n = body + residentIdCheckCharacter(body);
      expect(validateResidentId(n, TODAY), n).toEqual({ ok: false, reason: 'region' });
    }
    const body = '83010119900101001';
    expect(validateResidentId(body + residentIdCheckCharacter(body), TODAY)).toEqual({
      ok: false,
      reason: 'region',
    });
  });

  it('region: every one of the 34 province-level codes is accepted', () => {
    expect(PROVINCE_CODES.size).toBe(34);
    for (const p of PROVINCE_CODES) {
      const body = `${p}010519491231002`;
      expect(validateResidentId(body + residentIdCheckCharacter(body), TODAY).ok, p).toBe(true);
    }
  });

  it('birth_date: impossible dates, 29 Feb outside leap years, before 1900, after today', () => {
    const dates = [
      '19000229', // 1900 is not a leap year
      '20230229',
      '19491301',
      '19491200',
      '19491232',
      '19490431',
      '18991231',
      '00000101',
      '20250602', // tomorrow
      '20300101',
    ];
    for (const date of dates) {
      const body = `110105${date}002`;
      const n = body + residentIdCheckCharacter(body);
      expect(validateResidentId(n, TODAY), n).toEqual({ ok: false, reason: 'birth_date' });
    }
  });

  it('birth_date: judged against the today passed in', () => {
    const body = '11010520250602001';
    const n = body + residentIdCheckCharacter(body);
    expect(validateResidentId(n, TODAY).ok).toBe(false);
    expect(validateResidentId(n, addDays(TODAY, 1)).ok).toBe(true);
  });

  it('checksum: a right-looking number with the wrong check character', () => {
    expect(validateResidentId('110105194912310021', TODAY)).toEqual({
      ok: false,
      reason: 'checksum',
    });
    expect(validateResidentId('440524199001010010', TODAY)).toEqual({
      ok: false,
      reason: 'checksum',
    });
  });

  it('reports in a fixed order: region before birth date before checksum', () => {
    // Bad region, bad date, bad checksum → region.
    expect(validateResidentId('991105194913310021', TODAY)).toEqual({
      ok: false,
      reason: 'region',
    });
    // Good region, bad date, bad checksum → birth_date.
    expect(validateResidentId('110105194913310021', TODAY)).toEqual({
      ok: false,
      reason: 'birth_date',
    });
  });

  it('refuses an impossible today', () => {
    expect(() =>
      validateResidentId('11010519491231002X', { year: 2025, month: 2, day: 30 }),
    ).toThrow(RangeError);
  });

  it('never accepts a number whose checksum is wrong (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{17}[\dX]$/), (n) => {
        const r = validateResidentId(n, TODAY);
        if (r.ok) expect(hasValidResidentIdChecksum(n)).toBe(true);
        else expect(['region', 'birth_date', 'checksum']).toContain(r.reason);
      }),
      { numRuns: 2000 },
    );
  });
});
