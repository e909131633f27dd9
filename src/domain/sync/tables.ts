/**
 * The tables the office sends to the gate, and the exact shape of each row on the wire and in the
 * kiosk's copy. The server projects its own records into these shapes when it writes them, so a
 * field that is not here never leaves the office (the kiosk never receives a key household's
 * category wording, nor an ID number in clear).
 *
 * A schema is strict about what the gate relies on; unknown extra fields are dropped, so an older
 * kiosk keeps working when a newer server adds a field (research: sync.md, pitfall 11).
 */
import { z } from 'zod';
import { signedKeyListSchema } from '../credential/key-list';
import { GATE_INSTRUCTIONS } from '../key-household';

const seconds = z.number().int().min(0).max(0xffffffff);
const text = (max: number) => z.string().max(max);

export const revocationRowSchema = z.object({
  type: z.enum(['card', 'slip', 'invitation']),
  serial: seconds,
  /** When the office revoked it, seconds. */
  revokedAt: seconds,
  reason: z.enum(['lost', 'left_job', 'misuse', 'renewed', 'moved_out', 'other', 'cancelled']),
  note: text(200).default(''),
});

export const keyListRowSchema = z.object({
  seq: z.number().int().min(1),
  signed: signedKeyListSchema,
});

export const settingsRowSchema = z.object({
  communityId: seconds,
  name: text(100),
  timeZone: text(64),
  /** Data older than this turns verdicts amber; older than deny, no automatic allow (hours). */
  staleAmberHours: z
    .number()
    .min(1)
    .max(24 * 30),
  staleDenyHours: z
    .number()
    .min(1)
    .max(24 * 60),
  /** The sync indicator calls the kiosk offline after this many minutes without a good request. */
  offlineAfterMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  /** Community closing time, minutes after local midnight, for the end-of-day sign-out. */
  closingMinutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60),
  kioskRetentionDays: z.number().int().min(1).max(366),
  /** The office's public sealing key (raw P-256, base64url): ID numbers are sealed to it. */
  sealKey: z.string().regex(/^[A-Za-z0-9_-]{87}$/),
  /** HMAC key for watch-list matching (base64url of 32 bytes). */
  matchKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});

export const householdRowSchema = z.object({
  building: text(20),
  unit: text(20),
  room: text(20),
  occupancy: z.enum(['owner', 'tenant', 'vacant', 'shop']),
  movedOut: z.boolean(),
  /** Surnames only, for the visitor form's autocomplete ("visiting the Wang family"). */
  surnames: z.array(text(8)).max(20).default([]),
});

/** What the gate may know of a key household: that it is one, and what the office asks. */
export const keyHouseholdRowSchema = z.object({
  householdId: text(64),
  instructions: z.array(z.enum(GATE_INSTRUCTIONS)).max(GATE_INSTRUCTIONS.length),
  /** The office's own words for the guard. */
  note: text(200),
});

/** Standard card roles (procedure 4.4.2); a community may add its own, sent as a label. */
export const CARD_ROLES = ['nanny', 'hourly', 'tutor', 'other'] as const;
export type CardRole = (typeof CARD_ROLES)[number];

export const CARD_STATUSES = ['active', 'suspended', 'revoked', 'superseded'] as const;
export type CardStatus = (typeof CARD_STATUSES)[number];

/** A temporary access card as the gate judges it; the row id is the serial in decimal. */
export const cardRowSchema = z.object({
  serial: seconds,
  holderName: text(40),
  role: z.enum(CARD_ROLES),
  /** The office's own word for the role when it is not one of the standard ones. */
  roleLabel: text(20).default(''),
  householdIds: z.array(text(64)).max(10),
  /** SHA-256 (hex) of the 1-inch photo, fetched separately by hash; null when none is on file. */
  photoHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
  validFrom: seconds,
  validUntil: seconds,
  window: z.object({
    weekdays: z.number().int().min(1).max(0x7f),
    startQuarter: z.number().int().min(0).max(96),
    endQuarter: z.number().int().min(0).max(96),
  }),
  status: z.enum(CARD_STATUSES),
  statusReason: text(200).default(''),
  statusAt: seconds.nullable().default(null),
  /** The holder's ID number masked (first 3 and last 4 characters); never the number itself. */
  idMasked: text(40).default(''),
  /**
   * The holder's mobile number as a keyed hash (seal.ts `matchHash(matchKey, 'phone', 11 digits)`,
   * hex), so the gate can find a card by the number the holder says without holding it. Optional:
   * a card without a number on file, or from a server that does not send it, is not found by phone.
   */
  phoneMatch: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});

export const GUARD_ROLES = ['guard', 'supervisor'] as const;
export type GuardRole = (typeof GUARD_ROLES)[number];

/**
 * A gate guard or supervisor as the kiosk knows them: a name for the screen and the PIN's PBKDF2
 * hash (domain/pin.ts), checked offline. The row id is the guard's id. Who may override a red
 * verdict: an active supervisor. (The office's screens for guards and shifts come with guard shifts.)
 */
export const guardRowSchema = z.object({
  name: text(40),
  role: z.enum(GUARD_ROLES),
  /** base64url of the 32-byte PBKDF2-SHA-256 output and of its salt. */
  pinHash: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  pinSalt: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
  pinIterations: z.number().int().min(10_000).max(10_000_000),
  active: z.boolean(),
});

export const INVITATION_STATUSES = ['active', 'cancelled', 'used'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

/** A visitor invitation as the gate needs it to fill the entry; the row id is the serial. */
export const invitationRowSchema = z.object({
  serial: seconds,
  name: text(40),
  householdId: text(64),
  persons: z.number().int().min(1).max(255),
  /** Normalised plate, '' when none. */
  plate: text(12),
  /** 11 digits, '' when the office gave none. */
  phone: text(11),
  validFrom: seconds,
  validUntil: seconds,
  status: z.enum(INVITATION_STATUSES),
});

/**
 * A watch- or deny-list entry: only keyed hashes (seal.ts `matchHash`, hex) and the office's
 * instruction for the guard. Never a name, number or phone in clear.
 */
export const watchRowSchema = z.object({
  level: z.enum(['watch', 'deny']),
  idHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
  namePhoneHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
  instruction: text(200),
});

export const SLIP_ROW_STATUSES = ['issued', 'revoked'] as const;

/**
 * A release slip as the gate checks it; the row id is the serial in decimal. The applicant's ID
 * number only masked, the phone not at all. `uses` are the pass and partial records the office has
 * received from every gate, so a gate that was offline learns of another's use when it syncs.
 */
export const slipRowSchema = z.object({
  serial: seconds,
  householdId: text(64),
  applicantName: text(40),
  applicantRole: z.enum(['owner', 'tenant', 'shop']),
  idMasked: text(40).default(''),
  items: z
    .array(
      z.object({
        name: text(40),
        quantity: z.number().int().min(1).max(9999),
        unit: text(8),
        note: text(60).default(''),
      }),
    )
    .min(1)
    .max(40),
  plate: text(16).default(''),
  carrierName: text(40).default(''),
  validFrom: seconds,
  validUntil: seconds,
  trips: z.number().int().min(1).max(255),
  status: z.enum(SLIP_ROW_STATUSES),
  watchSignedOff: z.boolean().default(false),
  uses: z
    .array(
      z.object({
        id: text(26),
        at: z.number().int().min(0),
        device: text(40),
        outcome: z.enum(['pass', 'partial']),
      }),
    )
    .max(255)
    .default([]),
});

/**
 * A resident under the outing record (4.3.3.3), as the gate needs them: how to call them, the
 * latest outing the office knows of (from any gate), when they were last seen, and the days of
 * the delivery reminder. The row id is the resident's id. Never the reason they are on the list.
 */
export const careResidentRowSchema = z.object({
  householdId: text(64),
  label: text(20),
  notSeenDays: z.number().int().min(1).max(30),
  /** When the consent was recorded, milliseconds: the not-seen count starts there. */
  since: z.number().int().min(0),
  lastSeenAt: z.number().int().min(0).nullable(),
  lastOuting: z
    .object({
      outingId: text(26),
      outAt: z.number().int().min(0),
      expectedBack: z.number().int().min(0),
      takenBy: text(40),
      note: text(200),
      backAt: z.number().int().min(0).nullable(),
    })
    .nullable(),
  /** Days (YYYY-MM-DD) to be ready to help them to hospital, or null. */
  reminder: z.object({ from: text(10), until: text(10) }).nullable(),
});

export const SYNCED_TABLES = {
  revocation: revocationRowSchema,
  keyList: keyListRowSchema,
  settings: settingsRowSchema,
  household: householdRowSchema,
  keyHousehold: keyHouseholdRowSchema,
  card: cardRowSchema,
  invitation: invitationRowSchema,
  watch: watchRowSchema,
  guard: guardRowSchema,
  slip: slipRowSchema,
  careResident: careResidentRowSchema,
} as const;

export type SyncedTable = keyof typeof SYNCED_TABLES;
export type SyncedRow<T extends SyncedTable> = z.infer<(typeof SYNCED_TABLES)[T]>;
export const SYNCED_TABLE_NAMES = Object.keys(SYNCED_TABLES) as SyncedTable[];

/** Revocations travel first: the kiosk pulls this stream before everything else. */
export const PRIORITY_TABLES: readonly SyncedTable[] = ['revocation', 'keyList'];
