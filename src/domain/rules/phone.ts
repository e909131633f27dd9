/**
 * Mainland China mobile numbers (手机号码): 11 digits, '1' then a digit 3–9 (the mobile number
 * segments 13x–19x of the MIIT's telecommunications numbering plan, 电信网编号计划). The plan
 * grows by segments over the years, so only the first two digits are checked; anything finer
 * (which carrier, which segment is live) would go stale and refuse real numbers.
 *
 * Accepted decorations, removed by normalisation: the country code written +86, 0086 or (the
 * way it is often copied) a bare 86 in front of 11 digits; white space (including full-width);
 * hyphens; full-width digits. The result is the 11 digits.
 *
 * Not accepted: landlines (they start with 0 and have area codes), 13-digit IoT numbers (1440…,
 * not for people), numbers of Hong Kong, Macao, Taiwan or abroad.
 *
 * Masking for display keeps the first 3 and the last 4 digits, the convention of Chinese apps:
 * 13812345678 → 138****5678.
 */
import { maskMiddle } from './masking';
import { foldWidth } from './normalise';

export type MobileReason =
  /** Nothing was entered. */
  | 'empty'
  /** Something other than digits, spaces, hyphens and a leading +. */
  | 'characters'
  /** Not 11 digits once the country code is removed. */
  | 'length'
  /** 11 digits, but not starting 13–19 (or a country code other than 86). */
  | 'prefix';

export type MobileResult = { ok: true; value: string } | { ok: false; reason: MobileReason };

/** Validate and normalise to 11 digits. */
export function validateMobile(input: string): MobileResult {
  const compact = foldWidth(input).replace(/[\s-]+/gu, '');
  if (compact.length === 0) return { ok: false, reason: 'empty' };
  if (!/^\+?\d+$/.test(compact)) return { ok: false, reason: 'characters' };
  let digits: string;
  if (compact.startsWith('+')) {
    if (!compact.startsWith('+86')) return { ok: false, reason: 'prefix' };
    digits = compact.slice(3);
  } else if (compact.startsWith('0086')) {
    digits = compact.slice(4);
  } else if (compact.length === 13 && compact.startsWith('861')) {
    digits = compact.slice(2);
  } else {
    digits = compact;
  }
  if (digits.length !== 11) return { ok: false, reason: 'length' };
  if (!/^1[3-9]/.test(digits)) return { ok: false, reason: 'prefix' };
  return { ok: true, value: digits };
}

/**
 * The display form: 138****5678. A valid number (in any accepted spelling) is normalised first.
 * Anything else is masked by the generic rule (at most 3 leading and 4 trailing characters,
 * never more than half of it), so a mistyped number still never shows in full.
 */
export function maskMobile(input: string): string {
  const r = validateMobile(input);
  if (r.ok) return maskMiddle(r.value, { keepStart: 3, keepEnd: 4, maxVisibleFraction: 1 });
  return maskMiddle(foldWidth(input).replace(/[\s-]+/gu, ''), { keepStart: 3, keepEnd: 4 });
}
