/**
 * The visitor register (《来访人员情况登记表》, procedure 4.4.4): the fields a guard or a visitor
 * fills in at the gate, checked field by field with one stable reason per field (the kiosk words
 * it beside the field), and the events the kiosk records: `visitor.entry` and `visitor.exit`.
 *
 * Privacy (PIPL minimisation): an entry never carries the ID number in clear. The kiosk keeps and
 * sends its masked form (first 3 and last 4), a keyed hash for matching the watch list, and the
 * number sealed to the office's public key (seal.ts), which only the server can open.
 */
import { z } from 'zod';
import { MAX_GATE_PHOTO_CHARS } from '../photo';
import { sealedSchema, sealedSchemaOf } from '../seal';
import {
  ID_DOCUMENT_TYPES,
  isIdDocumentType,
  validateIdDocument,
  type IdDocumentInfo,
  type IdDocumentReason,
  type IdDocumentType,
} from '../rules/identity-documents';
import type { CivilDate } from '../rules/civil-date';
import { codePoints, foldWidth, stripWhitespace } from '../rules/normalise';
import { validateMobile, type MobileReason } from '../rules/phone';
import { validatePlate, type PlateReason } from '../rules/plate';
import { ULID_PATTERN } from '../ids';
import { lineText } from '../text';

/** Why someone comes (the paper form's 事由 column); `domestic_work` is 4.4.4's worker without a card. */
export const VISIT_REASONS = ['visiting', 'delivery', 'repair', 'domestic_work', 'other'] as const;
export type VisitReason = (typeof VISIT_REASONS)[number];

/** Who filled in the form: the guard, or the visitor on the tablet. */
export const ENTRY_MODES = ['guard', 'self'] as const;
export type EntryMode = (typeof ENTRY_MODES)[number];

/** How a visitor was signed out; `end_of_day` is the automatic sign-out at closing, flagged. */
export const EXIT_METHODS = ['tap', 'invitation', 'phone', 'end_of_day'] as const;
export type ExitMethod = (typeof EXIT_METHODS)[number];

export const WATCH_LEVELS = ['watch', 'deny'] as const;
export type WatchLevel = (typeof WATCH_LEVELS)[number];

export const NAME_MAX = 40;

/** The field name bound into a sealed ID number (seal.ts `context`). */
export const ID_SEAL_CONTEXT = 'visitor.idNumber';
/** The field name bound into a sealed visitor photo (the JPEG's base64url text). */
export const PHOTO_SEAL_CONTEXT = 'visitor.photo';
/** The sealed photo's ciphertext: the text plus the 16-byte tag, in base64url (4 chars per 3 bytes). */
const sealedPhotoSchema = sealedSchemaOf(Math.ceil(((MAX_GATE_PHOTO_CHARS + 16) * 4) / 3));
export const PERSONS_MAX = 50;

/** The form as typed: every field a string, so a half-filled form can be kept and restored. */
export interface VisitorDraft {
  name: string;
  idType: IdDocumentType;
  idNumber: string;
  phone: string;
  householdId: string;
  reason: VisitReason | '';
  persons: string;
  plate: string;
}

export const EMPTY_DRAFT: VisitorDraft = {
  name: '',
  idType: 'resident_card',
  idNumber: '',
  phone: '',
  householdId: '',
  reason: '',
  persons: '1',
  plate: '',
};

export type DraftField = keyof VisitorDraft;

export type FieldReason =
  | 'required'
  | 'too_long'
  | 'characters'
  | 'unknown_household'
  | 'range'
  | `id.${IdDocumentReason}`
  | `phone.${MobileReason}`
  | `plate.${PlateReason}`;

export interface CheckedVisitor {
  name: string;
  /** Null only for an invited visitor who was not asked for a document. */
  id: IdDocumentInfo | null;
  phone: string;
  householdId: string;
  reason: VisitReason;
  persons: number;
  /** Normalised, without the middle dot; '' when the visitor came on foot. */
  plate: string;
}

export type CheckResult =
  | { ok: true; value: CheckedVisitor }
  | { ok: false; errors: Partial<Record<DraftField, FieldReason>> };

// Control characters and line breaks have no place in a name (they break printouts and CSV).
// eslint-disable-next-line no-control-regex
const BAD_NAME_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export function normaliseName(name: string): string {
  return foldWidth(name).trim().replace(/\s+/gu, ' ');
}

/**
 * Checks a draft. `knownHousehold` says whether a household id is one the gate holds (and still
 * lived in). `idRequired` is false for an invited visitor: the office already knows who comes, so
 * the ID and phone may stay empty; whatever is typed is still checked.
 */
export function checkVisitorDraft(
  draft: VisitorDraft,
  opts: { today: CivilDate; knownHousehold: (id: string) => boolean; idRequired: boolean },
): CheckResult {
  const errors: Partial<Record<DraftField, FieldReason>> = {};
  const name = normaliseName(draft.name);
  if (name === '') errors.name = 'required';
  else if (codePoints(name).length > NAME_MAX) errors.name = 'too_long';
  else if (BAD_NAME_CHARACTER.test(name)) errors.name = 'characters';

  let id: IdDocumentInfo | null = null;
  if (!isIdDocumentType(draft.idType)) errors.idType = 'required';
  else if (draft.idNumber.trim() !== '' || opts.idRequired) {
    const r = validateIdDocument(draft.idType, draft.idNumber, opts.today);
    if (r.ok) id = r.value;
    else errors.idNumber = r.reason === 'empty' ? 'required' : `id.${r.reason}`;
  }

  let phone = '';
  if (draft.phone.trim() !== '' || opts.idRequired) {
    const r = validateMobile(draft.phone);
    if (r.ok) phone = r.value;
    else errors.phone = r.reason === 'empty' ? 'required' : `phone.${r.reason}`;
  }

  if (draft.householdId === '') errors.householdId = 'required';
  else if (!opts.knownHousehold(draft.householdId)) errors.householdId = 'unknown_household';

  if (!(VISIT_REASONS as readonly string[]).includes(draft.reason)) errors.reason = 'required';

  const persons = Number(stripWhitespace(foldWidth(draft.persons)));
  if (!Number.isInteger(persons) || persons < 1 || persons > PERSONS_MAX) errors.persons = 'range';

  let plate = '';
  if (draft.plate.trim() !== '') {
    const r = validatePlate(draft.plate);
    if (r.ok) plate = r.value.plate;
    else errors.plate = `plate.${r.reason}`;
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      name,
      id,
      phone,
      householdId: draft.householdId,
      reason: draft.reason as VisitReason,
      persons,
      plate,
    },
  };
}

/**
 * What is hashed to match an ID number: the document family and the part of the number that
 * stays the same across re-issues. Resident cards and residence permits share one number space.
 */
export function idMatchValue(id: Pick<IdDocumentInfo, 'type' | 'holderKey'>): string {
  const family =
    id.type === 'resident_card' || id.type === 'residence_permit' ? 'cn_citizen' : id.type;
  return `${family}:${id.holderKey}`;
}

/** What is hashed to match a name with a phone number: the name without spaces, then the 11 digits. */
export function namePhoneMatchValue(name: string, phone: string): string {
  return `${stripWhitespace(normaliseName(name))}\u0000${phone}`;
}

/** A household's id as the gate knows it (the sync row id). */
export const householdIdSchema = z
  .string()
  .min(1, 'required')
  .regex(/^[0-9A-Za-z_-]{1,64}$/, 'not a household id');

const hash = z.string().regex(/^[0-9a-f]{64}$/);
const u32 = z.number().int().min(0).max(0xffffffff);

/** `visitor.entry`: one visitor (with the people who came along) let in, or turned away. */
export const visitorEntryPayloadSchema = z
  .object({
    name: lineText(NAME_MAX).pipe(z.string().min(1)),
    idType: z.enum(ID_DOCUMENT_TYPES).nullable(),
    /** First 3 and last 4 characters kept (rules/masking.ts); '' without a document. */
    idMasked: z.string().max(40),
    idHash: hash.nullable(),
    /** The number sealed to the office's public key; only the server can open it. */
    idSealed: sealedSchema.nullable(),
    /** The optional photo taken at the gate, sealed like the ID number; only the office opens it. */
    photoSealed: sealedPhotoSchema.nullable().default(null),
    /** 11 digits, or '' for an invited visitor who gave none. */
    phone: z.string().regex(/^(?:1[3-9]\d{9})?$/),
    householdId: householdIdSchema,
    reason: z.enum(VISIT_REASONS),
    persons: z.number().int().min(1).max(PERSONS_MAX),
    plate: z.string().max(12),
    invitationSerial: u32.nullable(),
    /** The office's watch list matched: its level and instruction, for the register. */
    watch: z
      .object({ level: z.enum(WATCH_LEVELS), instruction: z.string().max(200) })
      .strict()
      .nullable(),
    mode: z.enum(ENTRY_MODES),
    /** False when the guard turned the visitor away (a deny match, or their own judgement). */
    admitted: z.boolean(),
  })
  .strict()
  .refine((p) => (p.idType === null) === (p.idHash === null && p.idSealed === null), {
    message: 'a document type comes with its hash and sealed number',
    path: ['idType'],
  });
export type VisitorEntryPayload = z.infer<typeof visitorEntryPayloadSchema>;

/** `visitor.exit`: a visitor signed out; `entryId` is the id of their `visitor.entry` event. */
export const visitorExitPayloadSchema = z
  .object({
    entryId: z.string().regex(ULID_PATTERN, 'must be a ULID'),
    method: z.enum(EXIT_METHODS),
  })
  .strict();
export type VisitorExitPayload = z.infer<typeof visitorExitPayloadSchema>;
