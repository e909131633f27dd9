/**
 * Masking of personal data for screens and for what the kiosk keeps (PIPL art. 6: no more than
 * the purpose needs; art. 51: de-identification (去标识化) as a security measure; GB/T 37964-2019,
 * the de-identification guide, lists masking among its techniques).
 * The gate needs to recognise a returning visitor and to read a number back over the phone, not
 * to know the number: so a masked ID keeps its first 3 and last 4 characters, a common convention in
 * China (110***********002X), and a name keeps its first character and, from
 * three characters on, its last (张*明).
 *
 * Invariants (tested): the mask has as many characters (code points) as the input, so the form
 * of the value still shows; the characters kept are the input's own, at their own positions;
 * every other character is the mask character; never more characters are shown than the rule
 * allows, and for a generic value never more than half of it (so a short number, e.g. an
 * 8-digit Taiwan permit, shows 1 + 3 rather than 7 of its 8 digits).
 */
import { codePoints, foldWidth, stripWhitespace } from './normalise';

export const MASK_CHARACTER = '*';

export interface MaskMiddleOptions {
  /** Characters to keep at the start, at most. */
  keepStart: number;
  /** Characters to keep at the end, at most. */
  keepEnd: number;
  /**
   * The largest fraction of the value that may stay visible, 0…1 (default 0.5). When the kept
   * characters would exceed it, both ends are shortened in proportion.
   */
  maxVisibleFraction?: number;
  maskCharacter?: string;
}

function checkCount(name: string, n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${name} must be a non-negative integer`);
}

/** How many characters stay visible at each end of a value of `length` characters. */
export function visibleCounts(
  length: number,
  options: MaskMiddleOptions,
): { start: number; end: number } {
  const { keepStart, keepEnd, maxVisibleFraction = 0.5 } = options;
  checkCount('keepStart', keepStart);
  checkCount('keepEnd', keepEnd);
  if (!(maxVisibleFraction >= 0 && maxVisibleFraction <= 1)) {
    throw new RangeError('maxVisibleFraction must be from 0 to 1');
  }
  const wanted = keepStart + keepEnd;
  const budget = Math.min(wanted, Math.floor(length * maxVisibleFraction), length);
  if (budget === wanted) return { start: keepStart, end: keepEnd };
  // Shorten both ends in proportion; start ≤ keepStart and end ≤ keepEnd follow from budget < wanted.
  const start = Math.floor((budget * keepStart) / wanted);
  return { start, end: budget - start };
}

/** Keep up to `keepStart` leading and `keepEnd` trailing characters, mask the rest. */
export function maskMiddle(value: string, options: MaskMiddleOptions): string {
  const mask = options.maskCharacter ?? MASK_CHARACTER;
  const chars = codePoints(value);
  const { start, end } = visibleCounts(chars.length, options);
  return chars.map((c, i) => (i < start || i >= chars.length - end ? c : mask)).join('');
}

/** Every character masked, length kept. */
export function maskAll(value: string, maskCharacter: string = MASK_CHARACTER): string {
  return maskCharacter.repeat(codePoints(value).length);
}

/**
 * An identity-document number for the screen and for storage on the kiosk: normalised (full-width
 * folded, spaces removed, upper case) then first 3 and last 4 kept, at most half shown:
 * 11010519491231002X → 110***********002X (11 asterisks), E12345678 → E*****678.
 */
export function maskIdNumber(number: string): string {
  const normalised = stripWhitespace(foldWidth(number)).toUpperCase();
  return maskMiddle(normalised, { keepStart: 3, keepEnd: 4 });
}

/**
 * A person's name: 张三 → 张*, 张小明 → 张*明, 欧阳娜娜 → 欧**娜, a single character → *. Surrounding
 * white space is trimmed; inner spaces and the middle dot of transcribed names (阿依古丽·买买提)
 * are masked like any other character, so the word structure does not show either.
 */
export function maskName(name: string): string {
  const chars = codePoints(name.trim());
  if (chars.length <= 1) return maskAll(chars.join(''));
  const keepEnd = chars.length >= 3 ? 1 : 0;
  return maskMiddle(chars.join(''), { keepStart: 1, keepEnd, maxVisibleFraction: 1 });
}
