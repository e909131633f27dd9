/**
 * The citizen identity number (公民身份号码) of the PRC resident identity card (居民身份证), as
 * GB 11643-1999 defines it:
 *
 *   positions  1–6   address code (地址码): the county-level region of first registration, GB/T 2260
 *              7–14  birth date (出生日期码) YYYYMMDD, GB/T 7408
 *              15–17 sequence code (顺序码); odd for men, even for women
 *              18    check character (校验码), ISO 7064:1983 MOD 11-2, 'X' standing for 10
 *
 * The same number, with the same rules, is printed on the residence permits for Hong Kong,
 * Macao and Taiwan residents (港澳台居民居住证, from 1 September 2018), whose address codes are
 * 810000, 820000 and 830000 (《港澳台居民居住证申领发放办法》, 国办发〔2018〕81号, and the Ministry
 * of Public Security's announcement of the numbering at its release).
 *
 * Decisions:
 * - Input is cleaned first: full-width characters folded (NFKC), white space removed, lower-case
 *   'x' upper-cased. The normalised number is what the result carries.
 * - Region: only the province level (the first two digits) is checked. County codes change with
 *   every redistricting, yet numbers keep the code of first registration forever, so a full
 *   GB/T 2260 table would wrongly refuse real numbers (e.g. Chongqing-born people registered
 *   before 1997 carry 51xxxx, Hainan-born people before 1988 44xxxx; both are still accepted as
 *   the province codes 51 and 44 exist). Accepted: the province-level codes of GB/T 2260
 *   (11–15, 21–23, 31–37, 41–46, 50–54, 61–65, plus 71 Taiwan, 81 Hong Kong, 82 Macao, which the
 *   standard lists), and 83 only as the exact residence-permit code 830000 (83 is not a GB/T 2260
 *   province code; it was assigned for Taiwan residents' residence permits).
 * - Birth date: a real calendar date (29 February only in leap years), not after `today` (the
 *   caller's local date, passed in) and not before 1900-01-01 (nobody born earlier is alive; note
 *   that this refuses the standard's own second example, 440524188001010014, born 1880).
 * - 15-digit numbers of the first-generation card are refused with their own reason: the NPC
 *   Standing Committee's 2011 amendment of the Resident Identity Card Law ended the use of
 *   first-generation cards on 1 January 2013. (They have no check character either.)
 * - One reason per failure, checked in this order so that the message points at a place when it
 *   can: `length` (or `legacy_15`), `characters`, `region`, `birth_date`, `checksum`. A typo that
 *   makes the date impossible shows as `birth_date` rather than the less specific `checksum`.
 * - The sex digit is not returned: nothing in the procedure needs it (PIPL data minimisation).
 */
import { compareCivilDates, isValidCivilDate, type CivilDate } from './civil-date';
import { foldWidth, stripWhitespace } from './normalise';

export type ResidentIdReason =
  /** Not 18 characters (and not a 15-digit legacy number). */
  | 'length'
  /** 15 digits: a first-generation card number, withdrawn on 2013-01-01. */
  | 'legacy_15'
  /** Not 17 digits followed by a digit or X. */
  | 'characters'
  /** The first two digits are not a province-level code (or 83 without 0000). */
  | 'region'
  /** Positions 7–14 are not a plausible birth date. */
  | 'birth_date'
  /** The check character does not match. */
  | 'checksum';

export type ResidencePermitRegion = 'hong_kong' | 'macao' | 'taiwan';

export interface ResidentIdInfo {
  /** The normalised 18-character number, upper-case X. */
  number: string;
  /** The six-digit address code, as printed (not checked beyond its first two digits). */
  regionCode: string;
  /** The two-digit province-level code. */
  provinceCode: string;
  birthDate: CivilDate;
  /** Set when the address code is a residence permit's 810000, 820000 or 830000. */
  residencePermitOf: ResidencePermitRegion | null;
}

export type ResidentIdResult =
  { ok: true; value: ResidentIdInfo } | { ok: false; reason: ResidentIdReason };

/** Province-level codes of GB/T 2260 (行政区划代码), first two digits of an address code. */
export const PROVINCE_CODES: ReadonlySet<string> = new Set([
  ...['11', '12', '13', '14', '15'], // 北京 天津 河北 山西 内蒙古
  ...['21', '22', '23'], // 辽宁 吉林 黑龙江
  ...['31', '32', '33', '34', '35', '36', '37'], // 上海 江苏 浙江 安徽 福建 江西 山东
  ...['41', '42', '43', '44', '45', '46'], // 河南 湖北 湖南 广东 广西 海南
  ...['50', '51', '52', '53', '54'], // 重庆 四川 贵州 云南 西藏
  ...['61', '62', '63', '64', '65'], // 陕西 甘肃 青海 宁夏 新疆
  ...['71', '81', '82'], // 台湾 香港 澳门
]);

/** Address codes of the residence permits for Hong Kong, Macao and Taiwan residents. */
export const RESIDENCE_PERMIT_REGION_CODES: ReadonlyMap<string, ResidencePermitRegion> = new Map([
  ['810000', 'hong_kong'],
  ['820000', 'macao'],
  ['830000', 'taiwan'],
]);

/** The earliest accepted birth date. */
export const EARLIEST_BIRTH_DATE: CivilDate = { year: 1900, month: 1, day: 1 };

/**
 * ISO 7064 MOD 11-2 weights for positions 1…17: W_i = 2^(18−i) mod 11 (GB 11643-1999, 7.2).
 * Every weight is non-zero modulo the prime 11, so changing any single digit changes the sum
 * modulo 11 and is always detected; and W_i = 2·W_{i+1} (mod 11), so swapping two different
 * adjacent digits changes the sum by (a−b)·W_{i+1} ≢ 0 and is detected too.
 */
export const CHECK_WEIGHTS: readonly number[] = [
  7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2,
];

const CHECK_CHARACTERS = '10X98765432'; // indexed by (Σ a_i·W_i) mod 11

/** Clean an input the way the validator does: fold full-width forms, drop spaces, upper-case. */
export function normaliseResidentId(input: string): string {
  return stripWhitespace(foldWidth(input)).toUpperCase();
}

/** The check character for the first 17 digits. Throws RangeError unless given exactly 17 digits. */
export function residentIdCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('expected 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * CHECK_WEIGHTS[i]!;
  return CHECK_CHARACTERS[sum % 11]!;
}

/** Whether an 18-character number (already normalised) carries the right check character. */
export function hasValidResidentIdChecksum(number: string): boolean {
  if (!/^\d{17}[\dX]$/.test(number)) return false;
  return residentIdCheckCharacter(number.slice(0, 17)) === number[17];
}

function checkToday(today: CivilDate): void {
  if (!isValidCivilDate(today)) throw new RangeError('today must be a calendar date');
}

/** Parse and check a birth date code YYYYMMDD against [1900-01-01, today]. */
export function parseBirthDate(code: string, today: CivilDate): CivilDate | null {
  if (!/^\d{8}$/.test(code)) return null;
  const date: CivilDate = {
    year: Number(code.slice(0, 4)),
    month: Number(code.slice(4, 6)),
    day: Number(code.slice(6, 8)),
  };
  if (!isValidCivilDate(date)) return null;
  if (compareCivilDates(date, EARLIEST_BIRTH_DATE) < 0) return null;
  if (compareCivilDates(date, today) > 0) return null;
  return date;
}

/**
 * Validate a citizen identity number (resident identity card or Hong Kong / Macao / Taiwan
 * residence permit). `today` is the local date in the community's time zone.
 */
export function validateResidentId(input: string, today: CivilDate): ResidentIdResult {
  checkToday(today);
  const number = normaliseResidentId(input);
  if (number.length !== 18) {
    return { ok: false, reason: /^\d{15}$/.test(number) ? 'legacy_15' : 'length' };
  }
  if (!/^\d{17}[\dX]$/.test(number)) return { ok: false, reason: 'characters' };
  const regionCode = number.slice(0, 6);
  const provinceCode = number.slice(0, 2);
  const residencePermitOf = RESIDENCE_PERMIT_REGION_CODES.get(regionCode) ?? null;
  if (!PROVINCE_CODES.has(provinceCode) && residencePermitOf === null) {
    return { ok: false, reason: 'region' };
  }
  const birthDate = parseBirthDate(number.slice(6, 14), today);
  if (!birthDate) return { ok: false, reason: 'birth_date' };
  if (!hasValidResidentIdChecksum(number)) return { ok: false, reason: 'checksum' };
  return { ok: true, value: { number, regionCode, provinceCode, birthDate, residencePermitOf } };
}
