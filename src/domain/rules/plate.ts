/**
 * Civil motor-vehicle plate numbers (机动车号牌号码) of the PRC, GA 36-2018 《中华人民共和国机动车
 * 号牌》: the province abbreviation (省、自治区、直辖市简称), the issuing office's letter (发牌机关
 * 代号), a separating dot on the plate, then the serial (序号):
 *
 * - ordinary plates (blue small-car, yellow large-vehicle, trailer, coach, police, Hong Kong /
 *   Macao cross-border, consular): 5 serial characters, letters (never I or O, which read as 1 and
 *   0) and digits, the last of which may instead be 挂 (trailer), 学 (driving-school car),
 *   警 (police), 港 / 澳 (Hong Kong / Macao vehicles, on 粤Z plates) or 领 (consulate): 粤B·12345,
 *   粤B·1234学, 粤Z·1234港.
 * - new-energy plates (新能源汽车号牌, green): 6 serial characters. Small vehicles: the first is the
 *   energy letter, the second a letter or digit, the last four digits (粤B·D12345). Large
 *   vehicles: five digits, then the energy letter (粤B·12345D). GA 36-2018 gives D (pure
 *   electric) and F (not pure electric); more letters are reported in use since (A, B, C, E
 *   alongside D; G, H, J, K alongside F) as the D and F series run out. That extension comes from
 *   widely used open-source validators, not from an official text we could check, so it is
 *   accepted as "a letter from A to K other than I" without claiming what each letter means.
 *
 * Leniency: the issuing office letter may be any letter but I; O is excluded from serials but,
 * as an office letter, has been used since 1995 for public-security organs' civil-format plates
 * (e.g. 粤O), so a real car would be refused if we followed the "no I or O" rule there too.
 * The number of letters in a serial is not limited (custom plates vary by province).
 *
 * Out of scope, refused as `province`: embassy plates (使 first, black), military (军) and armed
 * police (WJ) plates, which follow other regulations, and emergency-rescue plates (…应急).
 * Tractor, agricultural and motorcycle plates are not distinguished from cars.
 *
 * Normalisation: full-width folded (NFKC), upper case, white space and the plate's middle dot
 * (·, ・, •, ., -) removed. No guessing: an O typed for a zero in a serial is refused, not fixed.
 */
import { foldWidth } from './normalise';

/** The 31 province-level abbreviations of the mainland (one Chinese character each). */
export const PLATE_PROVINCES =
  '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼' as const;

export const PLATE_SUFFIXES = ['挂', '学', '警', '港', '澳', '领'] as const;
export type PlateSuffix = (typeof PLATE_SUFFIXES)[number];

export type PlateKind = 'ordinary' | 'new_energy_small' | 'new_energy_large';

export type PlateReason =
  /** Nothing was entered. */
  | 'empty'
  /** The first character is not a province abbreviation (includes the out-of-scope plates). */
  | 'province'
  /** The second character is not a letter (or is I). */
  | 'authority'
  /** Not 5 (ordinary) or 6 (new-energy) serial characters. */
  | 'length'
  /** The serial has a character plates never use (I, O, a symbol, any other Chinese character). */
  | 'characters'
  /** Allowed characters in a shape no plate has (6 without an energy letter, 学 not last). */
  | 'format';

export interface PlateInfo {
  /** The normalised plate without the dot: 粤B12345. */
  plate: string;
  province: string;
  authority: string;
  serial: string;
  kind: PlateKind;
  suffix: PlateSuffix | null;
}

export type PlateResult = { ok: true; value: PlateInfo } | { ok: false; reason: PlateReason };

const SERIAL_CHAR = '[A-HJ-NP-Z0-9]';
const ENERGY_LETTER = '[A-HJK]';
const ORDINARY = new RegExp(`^${SERIAL_CHAR}{4}(?:${SERIAL_CHAR}|[${PLATE_SUFFIXES.join('')}])$`);
const NEW_ENERGY_SMALL = new RegExp(`^${ENERGY_LETTER}${SERIAL_CHAR}\\d{4}$`);
const NEW_ENERGY_LARGE = new RegExp(`^\\d{5}${ENERGY_LETTER}$`);
const ALLOWED_SERIAL = new RegExp(`^(?:${SERIAL_CHAR}|[${PLATE_SUFFIXES.join('')}])+$`);

/** The normalised form: folded, upper case, no spaces or dots. */
export function normalisePlate(input: string): string {
  return foldWidth(input)
    .toUpperCase()
    .replace(/[\s·・•‧.-]+/gu, '');
}

/** Validate and normalise a plate number. */
export function validatePlate(input: string): PlateResult {
  const plate = normalisePlate(input);
  const chars = Array.from(plate);
  if (chars.length === 0) return { ok: false, reason: 'empty' };
  const [province = '', authority = '', ...rest] = chars;
  if (!PLATE_PROVINCES.includes(province)) return { ok: false, reason: 'province' };
  if (!/^[A-HJ-Z]$/.test(authority)) return { ok: false, reason: 'authority' };
  const serial = rest.join('');
  if (rest.length !== 5 && rest.length !== 6) return { ok: false, reason: 'length' };
  if (!ALLOWED_SERIAL.test(serial)) return { ok: false, reason: 'characters' };
  let kind: PlateKind;
  if (rest.length === 5 && ORDINARY.test(serial)) kind = 'ordinary';
  else if (NEW_ENERGY_SMALL.test(serial)) kind = 'new_energy_small';
  else if (NEW_ENERGY_LARGE.test(serial)) kind = 'new_energy_large';
  else return { ok: false, reason: 'format' };
  const last = rest[rest.length - 1]!;
  const suffix = (PLATE_SUFFIXES as readonly string[]).includes(last)
    ? (last as PlateSuffix)
    : null;
  return { ok: true, value: { plate, province, authority, serial, kind, suffix } };
}

/** The plate as printed, with the middle dot after the office letter: 粤B·12345. */
export function formatPlate(info: Pick<PlateInfo, 'province' | 'authority' | 'serial'>): string {
  return `${info.province}${info.authority}·${info.serial}`;
}
