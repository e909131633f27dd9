import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatPlate,
  normalisePlate,
  PLATE_PROVINCES,
  PLATE_SUFFIXES,
  validatePlate,
  type PlateKind,
} from '../../../../src/domain/rules/plate';

function reasonOf(input: string): string {
  const r = validatePlate(input);
  return r.ok ? r.value.kind : r.reason;
}

const SERIAL_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ'; // no I, no O
const serialChar = fc.constantFrom(...(SERIAL_LETTERS + '0123456789'));
const digit = fc.constantFrom(...'0123456789');
const energy = fc.constantFrom(...'ABCDEFGHJK');
const province = fc.constantFrom(...PLATE_PROVINCES);
const authority = fc.constantFrom(...'ABCDEFGHJKLMNOPQRSTUVWXYZ');

const plates: Record<PlateKind, fc.Arbitrary<string>> = {
  ordinary: fc
    .tuple(
      province,
      authority,
      fc.array(serialChar, { minLength: 4, maxLength: 4 }),
      fc.oneof(serialChar, fc.constantFrom(...PLATE_SUFFIXES)),
    )
    .map(([p, a, s, last]) => p + a + s.join('') + last),
  new_energy_small: fc
    .tuple(province, authority, energy, serialChar, fc.array(digit, { minLength: 4, maxLength: 4 }))
    .map(([p, a, e, c, d]) => p + a + e + c + d.join('')),
  new_energy_large: fc
    .tuple(province, authority, fc.array(digit, { minLength: 5, maxLength: 5 }), energy)
    .map(([p, a, d, e]) => p + a + d.join('') + e),
};

describe('validatePlate: valid plates', () => {
  it('reads an ordinary plate', () => {
    expect(validatePlate('粤B·12345')).toEqual({
      ok: true,
      value: {
        plate: '粤B12345',
        province: '粤',
        authority: 'B',
        serial: '12345',
        kind: 'ordinary',
        suffix: null,
      },
    });
    expect(reasonOf('京A·AB123')).toBe('ordinary');
    expect(reasonOf('沪C·8K9F2')).toBe('ordinary');
  });

  it('reads the special last characters 挂 学 警 港 澳 领', () => {
    for (const [plate, suffix] of [
      ['冀A·1234挂', '挂'],
      ['粤B·1234学', '学'],
      ['京A·0001警', '警'],
      ['粤Z·1234港', '港'],
      ['粤Z·A123澳', '澳'],
      ['沪A·0123领', '领'],
    ] as const) {
      const r = validatePlate(plate);
      expect(r.ok && r.value.suffix, plate).toBe(suffix);
      expect(r.ok && r.value.kind, plate).toBe('ordinary');
    }
  });

  it('reads new-energy plates: small (energy letter first) and large (energy letter last)', () => {
    expect(reasonOf('粤B·D12345')).toBe('new_energy_small');
    expect(reasonOf('京A·FA1234')).toBe('new_energy_small');
    expect(reasonOf('沪A·DF1234')).toBe('new_energy_small');
    expect(reasonOf('粤B·12345D')).toBe('new_energy_large');
    expect(reasonOf('辽D·46234F')).toBe('new_energy_large');
    // Later energy letters, accepted leniently.
    expect(reasonOf('京A·A12345')).toBe('new_energy_small');
    expect(reasonOf('京A·12345K')).toBe('new_energy_large');
  });

  it('accepts all 31 provinces', () => {
    expect(Array.from(PLATE_PROVINCES)).toHaveLength(31);
    for (const p of PLATE_PROVINCES) expect(reasonOf(`${p}A12345`), p).toBe('ordinary');
  });

  it('accepts O (public-security organs) as the office letter', () => {
    expect(reasonOf('粤O·12345')).toBe('ordinary');
  });

  it('normalises case, spaces, dots and full-width forms', () => {
    for (const input of [
      '粤b·12345',
      '粤B 12345',
      ' 粤 B · 1 2 3 4 5 ',
      '粤B.12345',
      '粤B-12345',
      '粤Ｂ・１２３４５',
      '粤B•12345',
    ]) {
      const r = validatePlate(input);
      expect(r.ok && r.value.plate, input).toBe('粤B12345');
    }
    expect(normalisePlate('粤b·d12345')).toBe('粤BD12345');
  });

  it('accepts every generated plate of each kind as that kind (property)', () => {
    for (const [kind, arb] of Object.entries(plates)) {
      fc.assert(
        fc.property(arb, (plate) => {
          const r = validatePlate(plate);
          expect(r.ok && r.value.kind).toBe(kind);
          expect(r.ok && r.value.plate).toBe(plate);
        }),
      );
    }
  });

  it('formats with the middle dot, and the formatted plate reads back the same', () => {
    fc.assert(
      fc.property(
        fc.oneof(plates.ordinary, plates.new_energy_small, plates.new_energy_large),
        (plate) => {
          const r = validatePlate(plate);
          if (!r.ok) return false;
          const printed = formatPlate(r.value);
          expect(printed).toBe(`${plate.slice(0, 2)}·${plate.slice(2)}`);
          expect(validatePlate(printed)).toEqual(r);
          return true;
        },
      ),
    );
  });
});

describe('validatePlate: reasons', () => {
  it('empty', () => {
    expect(reasonOf('')).toBe('empty');
    expect(reasonOf(' · ')).toBe('empty');
  });

  it('province: not a province abbreviation, or an out-of-scope plate', () => {
    for (const p of ['AB12345', '港A12345', '使014578', 'WJ1234567', '军A12345', '1A12345']) {
      expect(reasonOf(p), p).toBe('province');
    }
  });

  it('authority: the second character is not a letter, or is I', () => {
    expect(reasonOf('粤112345')).toBe('authority');
    expect(reasonOf('粤I12345')).toBe('authority');
    expect(reasonOf('粤粤12345')).toBe('authority');
    expect(reasonOf('粤')).toBe('authority');
  });

  it('length: serials of other than 5 or 6 characters', () => {
    expect(reasonOf('粤B1234')).toBe('length');
    expect(reasonOf('粤B1234567')).toBe('length');
    expect(reasonOf('粤B')).toBe('length');
  });

  it('characters: I and O in the serial, symbols, other Chinese characters', () => {
    for (const p of ['粤B1234O', '粤BI2345', '粤B12#45', '粤B1234使', '粤B1234应']) {
      expect(reasonOf(p), p).toBe('characters');
    }
  });

  it('format: allowed characters in shapes no plate has', () => {
    for (const p of [
      '粤B123456', // six digits: no energy letter
      '粤BL12345', // L is not an energy letter
      '粤BD1234A', // small new-energy: last four must be digits
      '粤B1234DD', // large new-energy: five digits first
      '粤B学1234', // 学 only last
      '粤B12345学', // 6 characters ending 学
    ]) {
      expect(reasonOf(p), p).toBe('format');
    }
  });
});
