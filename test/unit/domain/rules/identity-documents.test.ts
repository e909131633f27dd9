import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CivilDate } from '../../../../src/domain/rules/civil-date';
import {
  ID_DOCUMENT_TYPES,
  isIdDocumentType,
  isPrcOrdinaryPassportNumber,
  normaliseIdDocumentNumber,
  OTHER_MAX_LENGTH,
  validateIdDocument,
  type IdDocumentType,
} from '../../../../src/domain/rules/identity-documents';
import { residentIdCheckCharacter } from '../../../../src/domain/rules/resident-id';

const TODAY: CivilDate = { year: 2025, month: 6, day: 1 };

function reasonOf(type: IdDocumentType, input: string): string {
  const r = validateIdDocument(type, input, TODAY);
  return r.ok ? 'ok' : r.reason;
}

function numberOf(type: IdDocumentType, input: string): string | null {
  const r = validateIdDocument(type, input, TODAY);
  return r.ok ? r.value.number : null;
}

describe('document types', () => {
  it('lists six types and recognises them', () => {
    expect(ID_DOCUMENT_TYPES).toEqual([
      'resident_card',
      'residence_permit',
      'hk_macao_permit',
      'taiwan_permit',
      'passport',
      'other',
    ]);
    expect(isIdDocumentType('passport')).toBe(true);
    expect(isIdDocumentType('driving_licence')).toBe(false);
    expect(isIdDocumentType(3)).toBe(false);
  });

  it('throws on a type it does not know', () => {
    expect(() => validateIdDocument('visa' as IdDocumentType, 'X1', TODAY)).toThrow(RangeError);
  });

  it('calls an empty or blank entry empty, whatever the type', () => {
    for (const type of ID_DOCUMENT_TYPES) {
      expect(reasonOf(type, ''), type).toBe('empty');
      expect(reasonOf(type, ' \u3000 '), type).toBe('empty');
    }
  });

  it('reports the type with a failure', () => {
    expect(validateIdDocument('passport', 'AB', TODAY)).toEqual({
      ok: false,
      type: 'passport',
      reason: 'length',
    });
  });
});

describe('resident identity card', () => {
  it('uses the GB 11643 rules and reasons', () => {
    const r = validateIdDocument('resident_card', '11010519491231002x', TODAY);
    expect(r).toEqual({
      ok: true,
      value: {
        type: 'resident_card',
        number: '11010519491231002X',
        birthDate: { year: 1949, month: 12, day: 31 },
        residencePermitOf: null,
        holderKey: '11010519491231002X',
      },
    });
    expect(reasonOf('resident_card', '110105194912310021')).toBe('checksum');
    expect(reasonOf('resident_card', '110105491231002')).toBe('legacy_15');
    expect(reasonOf('resident_card', '110105194913310021')).toBe('birth_date');
    expect(reasonOf('resident_card', '1101051949123100')).toBe('length');
    expect(reasonOf('resident_card', '1101051949123100AX')).toBe('characters');
  });

  it('accepts a residence-permit number typed as a resident card, and flags it', () => {
    const r = validateIdDocument('resident_card', '830000200002290031', TODAY);
    expect(r.ok && r.value.residencePermitOf).toBe('taiwan');
  });
});

describe('residence permit for Hong Kong, Macao and Taiwan residents', () => {
  it('accepts the three address codes with a valid checksum', () => {
    for (const [n, who] of [
      ['810000199001010019', 'hong_kong'],
      ['820000198506150022', 'macao'],
      ['830000200002290031', 'taiwan'],
    ] as const) {
      const r = validateIdDocument('residence_permit', n, TODAY);
      expect(r.ok && r.value.residencePermitOf, n).toBe(who);
      expect(r.ok && r.value.birthDate).not.toBe(null);
    }
  });

  it('refuses a mainland address code as region, and a bad checksum as checksum', () => {
    expect(reasonOf('residence_permit', '11010519491231002X')).toBe('region');
    // 81 is a province-level code, but a Hong Kong permit is exactly 810000.
    const body = '81010119900101001';
    expect(reasonOf('resident_card', body + residentIdCheckCharacter(body))).toBe('ok');
    expect(reasonOf('residence_permit', body + residentIdCheckCharacter(body))).toBe('region');
    expect(reasonOf('residence_permit', '810000199001010010')).toBe('checksum');
  });
});

describe('Mainland Travel Permit for Hong Kong and Macao residents (回乡证)', () => {
  it('accepts H or M with 8 digits (card) or 10 digits (with the re-issue count)', () => {
    expect(numberOf('hk_macao_permit', 'H12345678')).toBe('H12345678');
    expect(numberOf('hk_macao_permit', 'M12345678')).toBe('M12345678');
    expect(numberOf('hk_macao_permit', 'h1234567801')).toBe('H1234567801');
    expect(numberOf('hk_macao_permit', 'Ｈ１２３４ ５６７８')).toBe('H12345678');
  });

  it('keys the holder by the letter and lifetime number, the same across re-issues', () => {
    const keys = ['H1234567800', 'H1234567803', 'H12345678'].map((n) => {
      const r = validateIdDocument('hk_macao_permit', n, TODAY);
      return r.ok ? r.value.holderKey : null;
    });
    expect(keys).toEqual(['H12345678', 'H12345678', 'H12345678']);
  });

  it('refuses wrong lengths, other characters and other leading letters', () => {
    expect(reasonOf('hk_macao_permit', 'H1234567')).toBe('length');
    expect(reasonOf('hk_macao_permit', 'H123456789')).toBe('length');
    expect(reasonOf('hk_macao_permit', 'H12345678012')).toBe('length');
    expect(reasonOf('hk_macao_permit', 'H1234-678')).toBe('characters');
    expect(reasonOf('hk_macao_permit', 'K12345678')).toBe('format');
    expect(reasonOf('hk_macao_permit', '112345678')).toBe('format');
    expect(reasonOf('hk_macao_permit', 'H1234567A')).toBe('format');
    expect(reasonOf('hk_macao_permit', 'HM12345678')).toBe('length');
  });
});

describe('Mainland Travel Permit for Taiwan residents (台胞证)', () => {
  it('accepts 8 digits, the old 10 digits, and the old 10 digits with the office in brackets', () => {
    expect(numberOf('taiwan_permit', '12345678')).toBe('12345678');
    expect(numberOf('taiwan_permit', '1234567801')).toBe('1234567801');
    expect(numberOf('taiwan_permit', '1234567801(B)')).toBe('1234567801(B)');
    expect(numberOf('taiwan_permit', '1234567801（b）')).toBe('1234567801(B)');
  });

  it('keys the holder by the 8-digit lifetime number', () => {
    const r = validateIdDocument('taiwan_permit', '1234567802(B)', TODAY);
    expect(r.ok && r.value.holderKey).toBe('12345678');
  });

  it('refuses other lengths, letters and a bracket on an 8-digit number', () => {
    expect(reasonOf('taiwan_permit', '1234567')).toBe('length');
    expect(reasonOf('taiwan_permit', '123456789')).toBe('length');
    expect(reasonOf('taiwan_permit', 'T1234567')).toBe('characters');
    expect(reasonOf('taiwan_permit', '12345678(B)')).toBe('format');
  });
});

describe('passport', () => {
  it('accepts PRC and foreign numbers of 5 to 20 letters and digits, upper-cased', () => {
    for (const n of ['E12345678', 'EA1234567', 'G12345678', '123456789', 'C01X00T47', 'AB123']) {
      expect(numberOf('passport', n), n).toBe(n);
    }
    expect(numberOf('passport', 'ea 123 4567')).toBe('EA1234567');
    expect(numberOf('passport', 'A'.repeat(20))).toBe('A'.repeat(20));
  });

  it('refuses fewer than 5 or more than 20, and anything but letters and digits', () => {
    expect(reasonOf('passport', 'AB12')).toBe('length');
    expect(reasonOf('passport', 'A'.repeat(21))).toBe('length');
    expect(reasonOf('passport', 'E1234-5678')).toBe('characters');
    expect(reasonOf('passport', 'E1234567<')).toBe('characters');
    expect(reasonOf('passport', '护照12345')).toBe('characters');
  });

  it('accepts every 5–20 character alphanumeric string (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9]{5,20}$/), (n) => {
        expect(numberOf('passport', n)).toBe(n.toUpperCase());
      }),
    );
  });

  it('tells PRC ordinary passport shapes, without refusing others', () => {
    expect(isPrcOrdinaryPassportNumber('E12345678')).toBe(true);
    expect(isPrcOrdinaryPassportNumber('EA1234567')).toBe(true);
    expect(isPrcOrdinaryPassportNumber('G12345678')).toBe(true);
    expect(isPrcOrdinaryPassportNumber('EI1234567')).toBe(false);
    expect(isPrcOrdinaryPassportNumber('E1234567')).toBe(false);
    expect(isPrcOrdinaryPassportNumber('X12345678')).toBe(false);
  });
});

describe('other documents', () => {
  it('keeps free text, trimmed, inner white space collapsed, full-width folded', () => {
    expect(numberOf('other', '  深暂 2024  第 0012 号 ')).toBe('深暂 2024 第 0012 号');
    expect(numberOf('other', '４４０３－００１')).toBe('4403-001');
  });

  it(`bounds the length at ${OTHER_MAX_LENGTH} characters, counting code points`, () => {
    expect(numberOf('other', '号'.repeat(OTHER_MAX_LENGTH))).toBe('号'.repeat(OTHER_MAX_LENGTH));
    expect(reasonOf('other', 'A'.repeat(OTHER_MAX_LENGTH + 1))).toBe('length');
    // 40 characters outside the Basic Multilingual Plane are 80 UTF-16 units but 40 characters.
    expect(reasonOf('other', '𠀾'.repeat(OTHER_MAX_LENGTH))).toBe('ok');
  });

  it('refuses control and invisible format characters', () => {
    expect(reasonOf('other', 'AB\u0007CD')).toBe('characters');
    expect(reasonOf('other', 'AB\u200bCD')).toBe('characters');
    expect(reasonOf('other', 'AB\ud800CD')).toBe('characters');
  });
});

describe('normalisation', () => {
  it('is idempotent for every type (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ID_DOCUMENT_TYPES),
        fc.string({ maxLength: 30 }),
        (type, s) => {
          const once = normaliseIdDocumentNumber(type, s);
          expect(normaliseIdDocumentNumber(type, once)).toBe(once);
        },
      ),
    );
  });

  it('returns, on success, the normalised number', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ID_DOCUMENT_TYPES),
        fc.string({ maxLength: 30 }),
        (type, s) => {
          const r = validateIdDocument(type, s, TODAY);
          if (r.ok) expect(r.value.number).toBe(normaliseIdDocumentNumber(type, s));
        },
      ),
    );
  });
});
