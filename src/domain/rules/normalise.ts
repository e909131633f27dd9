/**
 * Input clean-up shared by the number rules. Numbers are typed on a tablet with a Chinese input
 * method, which often produces full-width forms ('１１０１…Ｘ', '（', '－') and the ideographic
 * space U+3000; Unicode NFKC folds all of these to their ASCII equivalents.
 */

/** Full-width and other compatibility forms to their plain equivalents (Unicode NFKC). */
export function foldWidth(s: string): string {
  return s.normalize('NFKC');
}

/** Remove every white-space character (ASCII and Unicode, e.g. U+3000 and no-break spaces). */
export function stripWhitespace(s: string): string {
  return s.replace(/\s+/gu, '');
}

/** Characters as the user sees them: code points, so that a rare name character is one, not two. */
export function codePoints(s: string): string[] {
  return Array.from(s);
}
