/**
 * The identity documents a visitor or worker may show at the gate (procedure 4.4.2: "身份证或暂住证";
 * 4.4.4: "有效证件"), and the shape of their numbers. The rule everywhere: refuse what is certainly
 * wrong, accept what may be real. Only the two 18-digit numbers carry a check character; for the
 * others a format check catches a wrong document type or a slip of the finger, nothing more.
 *
 * - resident_card (居民身份证): GB 11643-1999, see resident-id.ts. A residence-permit number typed
 *   here is accepted too (same standard), with `residencePermitOf` set so a form can suggest the
 *   other type.
 * - residence_permit (港澳台居民居住证, from 2018-09-01): the same 18-character number and checksum,
 *   with address code 810000 (Hong Kong), 820000 (Macao) or 830000 (Taiwan) (《港澳台居民居住证申领
 *   发放办法》, 国办发〔2018〕81号). Any other address code is refused as `region`.
 * - hk_macao_permit (港澳居民来往内地通行证, "回乡证"): 'H' (Hong Kong) or 'M' (Macao) then 8 digits,
 *   the holder's lifetime number, then 2 digits counting re-issues (00 first), per the Ministry of
 *   Public Security's exit-entry bureau's published numbering rule (10 March 2010). The card
 *   issued since 2013 prints the 9-character lifetime part as the number and the count apart, so
 *   both 9 and 11 characters are accepted. `holderKey` is the first 9 characters, the same across
 *   re-issues. Uncertain: the permit issued since 2024 to non-Chinese permanent residents of Hong
 *   Kong and Macao; we assume the same shape (if it differs, `other` still records it).
 * - taiwan_permit (台湾居民来往大陆通行证, "台胞证"): 8 digits, the holder's lifetime number ("一人一号、
 *   终身不变" since 2008-09-25, and the card of 2015). Before that the number was the 8 digits plus
 *   a 2-digit issue count and, from some issuers, an issuing-office character in brackets, e.g.
 *   "1234567801(B)". Those booklets have expired, but the 10-digit form (optionally with the
 *   bracket) is still accepted for records copied from them. `holderKey` is the first 8 digits.
 *   One-time permits (一次有效) have other numbers: record them under `other`.
 * - passport (护照): any country, so only ICAO-like plausibility: 5 to 20 letters and digits after
 *   removing spaces. (ICAO Doc 9303 gives the document number 9 characters in the machine-readable
 *   zone, longer ones continuing in the optional data; 5–20 is deliberately lenient.) A PRC
 *   ordinary passport looks like E + 8 digits, E + letter + 7 digits, or (before 2012, now all
 *   expired) G + 8 digits; `isPrcOrdinaryPassportNumber` says so, but a passport is never
 *   refused for not looking Chinese.
 * - other (其他, e.g. a local 暂住证, an officer's card): free text, 1–40 characters after trimming
 *   and collapsing white space, no control characters.
 */
import type { CivilDate } from './civil-date';
import {
  validateResidentId,
  type ResidencePermitRegion,
  type ResidentIdReason,
} from './resident-id';
import { codePoints, foldWidth, stripWhitespace } from './normalise';

export const ID_DOCUMENT_TYPES = [
  'resident_card',
  'residence_permit',
  'hk_macao_permit',
  'taiwan_permit',
  'passport',
  'other',
] as const;
export type IdDocumentType = (typeof ID_DOCUMENT_TYPES)[number];

export type IdDocumentReason =
  /** Nothing was entered. */
  | 'empty'
  /** Wrong number of characters for the type. */
  | 'length'
  /** A character the type never uses. */
  | 'characters'
  /** The right characters in the wrong places (e.g. a permit not starting with H or M). */
  | 'format'
  | ResidentIdReason;

export interface IdDocumentInfo {
  type: IdDocumentType;
  /** The normalised number: what to store and to mask. */
  number: string;
  /** The birth date coded in an 18-digit number; null for other types. */
  birthDate: CivilDate | null;
  /** For an 18-digit number with a residence-permit address code. */
  residencePermitOf: ResidencePermitRegion | null;
  /**
   * The part of the number that stays the same across re-issues to the same holder, where the
   * format has one (the permits' lifetime numbers); otherwise the whole number.
   */
  holderKey: string;
}

export type IdDocumentResult =
  | { ok: true; value: IdDocumentInfo }
  | { ok: false; type: IdDocumentType; reason: IdDocumentReason };

export const PASSPORT_MIN_LENGTH = 5;
export const PASSPORT_MAX_LENGTH = 20;
export const OTHER_MAX_LENGTH = 40;

export function isIdDocumentType(value: unknown): value is IdDocumentType {
  return typeof value === 'string' && (ID_DOCUMENT_TYPES as readonly string[]).includes(value);
}

/** PRC ordinary passport shapes: E12345678, EA1234567 (letters other than I and O), G12345678. */
export function isPrcOrdinaryPassportNumber(number: string): boolean {
  return /^(?:E\d{8}|E[A-HJ-NP-Z]\d{7}|G\d{8})$/.test(number);
}

/** The normalised form of a number for a document type (what `validateIdDocument` returns). */
export function normaliseIdDocumentNumber(type: IdDocumentType, input: string): string {
  const folded = foldWidth(input);
  if (type === 'other') return folded.trim().replace(/\s+/gu, ' ');
  return stripWhitespace(folded).toUpperCase();
}

function fail(type: IdDocumentType, reason: IdDocumentReason): IdDocumentResult {
  return { ok: false, type, reason };
}

function ok(type: IdDocumentType, number: string, holderKey = number): IdDocumentResult {
  return { ok: true, value: { type, number, birthDate: null, residencePermitOf: null, holderKey } };
}

/**
 * Validate a document number for its type. `today` is the local date in the community's time
 * zone (for the birth date coded in 18-digit numbers).
 */
export function validateIdDocument(
  type: IdDocumentType,
  input: string,
  today: CivilDate,
): IdDocumentResult {
  if (!isIdDocumentType(type)) throw new RangeError(`unknown document type ${String(type)}`);
  const number = normaliseIdDocumentNumber(type, input);
  if (number.length === 0) return fail(type, 'empty');
  switch (type) {
    case 'resident_card':
    case 'residence_permit': {
      const r = validateResidentId(number, today);
      if (!r.ok) return fail(type, r.reason);
      if (type === 'residence_permit' && r.value.residencePermitOf === null) {
        return fail(type, 'region');
      }
      const { birthDate, residencePermitOf } = r.value;
      return {
        ok: true,
        value: {
          type,
          number: r.value.number,
          birthDate,
          residencePermitOf,
          holderKey: r.value.number,
        },
      };
    }
    case 'hk_macao_permit':
      if (number.length !== 9 && number.length !== 11) return fail(type, 'length');
      if (!/^[A-Z0-9]+$/.test(number)) return fail(type, 'characters');
      if (!/^[HM]\d{8}(?:\d{2})?$/.test(number)) return fail(type, 'format');
      return ok(type, number, number.slice(0, 9));
    case 'taiwan_permit': {
      const digits = number.replace(/\([A-Z0-9]\)$/, '');
      if (digits.length !== 8 && digits.length !== 10) return fail(type, 'length');
      if (!/^\d+$/.test(digits)) return fail(type, 'characters');
      // The issuing office in brackets only ever followed the old 10-digit numbers.
      if (digits.length === 8 && digits !== number) return fail(type, 'format');
      return ok(type, number, number.slice(0, 8));
    }
    case 'passport':
      if (number.length < PASSPORT_MIN_LENGTH || number.length > PASSPORT_MAX_LENGTH) {
        return fail(type, 'length');
      }
      if (!/^[A-Z0-9]+$/.test(number)) return fail(type, 'characters');
      return ok(type, number);
    case 'other':
      if (codePoints(number).length > OTHER_MAX_LENGTH) return fail(type, 'length');
      // Control, format (invisible) and lone surrogate code points: never part of a real number.
      if (/[\p{Cc}\p{Cf}\p{Cs}]/u.test(number)) return fail(type, 'characters');
      return ok(type, number);
  }
}
