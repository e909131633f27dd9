/**
 * The server's tables, as Kysely sees them. One definition for SQLite and PostgreSQL: times are
 * integer milliseconds (BIGINT on PostgreSQL, read back as numbers: every value here stays below
 * 2^53), flags are 0/1 integers, JSON is TEXT, ids are text. Every table that belongs to a
 * community has `community_id` leading its keys, so PostgreSQL can partition by it later.
 */
import type { Insertable, Selectable } from 'kysely';

export interface CommunityTable {
  id: number;
  name: string;
  time_zone: string;
  /** Bumped in every write transaction of synced data; the kiosks' cursor. */
  version: number;
  /** Bumped once per ingested batch; the integration event feed's cursor. */
  event_version: number;
  /** Changes when the data is restored or re-seeded: kiosks holding another epoch resync. */
  epoch: string;
  /** Deleted rows at or below this version were purged; a cursor below it must resync. */
  gc_horizon: number;
  settings: string;
  created_at: number;
}

export interface StaffTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  disabled: number;
  created_at: number;
  password_changed_at: number;
}

export interface StaffRoleTable {
  staff_id: string;
  community_id: number;
  role: string;
}

export interface SessionTable {
  token_hash: string;
  staff_id: string;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
  ip: string;
}

export interface ThrottleTable {
  key: string;
  window_start: number;
  failures: number;
  blocked_until: number;
}

export interface SetupTokenTable {
  token_hash: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface AuditTable {
  id: string;
  community_id: number | null;
  actor_type: string;
  actor_id: string;
  action: string;
  target_type: string;
  target_id: string;
  detail: string;
  at: number;
  ip: string;
}

export interface SigningKeyTable {
  id: string;
  community_id: number;
  kind: string;
  kid: string;
  public_key: string;
  private_key: string;
  not_before: number;
  not_after: number;
  uses: string;
  created_at: number;
  retired_at: number | null;
}

export interface KeyListTable {
  community_id: number;
  seq: number;
  payload: string;
  signature: string;
  created_at: number;
}

export interface DeviceTable {
  id: string;
  community_id: number;
  name: string;
  token_hash: string;
  created_at: number;
  created_by: string;
  revoked_at: number | null;
  revoked_by: string | null;
  last_seen_at: number | null;
  last_pull_at: number | null;
  last_push_at: number | null;
  app_version: string;
  pending_events: number;
  installation_id: string | null;
  storage: string;
}

export interface EnrollmentCodeTable {
  code_hash: string;
  community_id: number;
  device_name: string;
  created_by: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  device_id: string | null;
}

export interface InstallationTable {
  id: string;
  community_id: number;
  device_id: string;
  first_seen_at: number;
  replaced_at: number | null;
  max_seq: number;
  event_count: number;
}

export interface ApiKeyTable {
  id: string;
  community_id: number;
  name: string;
  secret_hash: string;
  scopes: string;
  created_at: number;
  created_by: string;
  revoked_at: number | null;
  last_used_at: number | null;
}

export interface SyncRowTable {
  community_id: number;
  tbl: string;
  id: string;
  version: number;
  deleted: number;
  data: string | null;
  updated_at: number;
}

export interface HouseholdTable {
  community_id: number;
  id: string;
  external_id: string | null;
  building: string;
  unit: string;
  room: string;
  occupancy: string;
  moved_out: number;
  arrears: number;
  created_at: number;
  updated_at: number;
}

export interface ResidentTable {
  community_id: number;
  id: string;
  external_id: string | null;
  household_id: string;
  name: string;
  relation: string;
  phone: string;
  moved_out: number;
  updated_at: number;
}

export interface KeyHouseholdTable {
  community_id: number;
  household_id: string;
  categories: string;
  instruction: string;
  note: string;
  source: string;
  updated_at: number;
  updated_by: string;
}

export interface KeyHouseholdChangeTable {
  id: string;
  community_id: number;
  household_id: string;
  action: string;
  categories: string;
  instruction: string;
  at: number;
  by: string;
}

export interface EventTable {
  id: string;
  community_id: number;
  device_id: string;
  installation_id: string;
  seq: number;
  type: string;
  at: number;
  tz_offset: number;
  guard_id: string | null;
  payload: string;
  received_at: number;
  feed_version: number;
}

export interface DeadLetterTable {
  id: string;
  community_id: number;
  device_id: string;
  installation_id: string;
  seq: number;
  type: string;
  body: string;
  reason: string;
  received_at: number;
}

export interface PhotoTable {
  community_id: number;
  hash: string;
  content_type: string;
  bytes: Uint8Array;
  created_at: number;
}

export interface CommunitySecretTable {
  community_id: number;
  /** The office's sealing public key (raw P-256, base64url): kiosks seal ID numbers to it. */
  seal_public: string;
  /** Its private key and the match key, sealed under the master key. */
  seal_private: string;
  match_key: string;
  created_at: number;
}

export interface CredentialSerialTable {
  community_id: number;
  /** 'card', 'slip' or 'invitation'. */
  type: string;
  /** The last serial handed out (u32). */
  last: number;
}

/** A temporary access card. Validity is in seconds (`_s`), as in the GP1 body it signs. */
export interface CardTable {
  community_id: number;
  serial: number;
  holder_name: string;
  role: string;
  role_label: string;
  id_type: string;
  /** The ID number sealed under the master key; never leaves the server but through reveal. */
  id_sealed: string;
  id_masked: string;
  /** Keyed hash of the number's holder part, to find the holder's other cards. */
  id_hash: string;
  phone: string;
  photo_hash: string | null;
  weekdays: number;
  start_quarter: number;
  end_quarter: number;
  valid_from_s: number;
  valid_until_s: number;
  deposit_note: string;
  /** active | suspended | revoked | superseded (sync/tables.ts CARD_STATUSES). */
  status: string;
  status_reason: string;
  status_note: string;
  status_at: number | null;
  /** The GP1 text: a reprint prints the same code. */
  code: string;
  /** The card this one renews or replaces, and the one that renewed or replaced it. */
  follows_serial: number | null;
  followed_by_serial: number | null;
  created_at: number;
  created_by: string;
  updated_at: number;
}

export interface CardHouseholdTable {
  community_id: number;
  serial: number;
  household_id: string;
}

export interface InvitationTable {
  community_id: number;
  serial: number;
  name: string;
  household_id: string;
  persons: number;
  /** Normalised plate, '' when none. */
  plate: string;
  /** 11 digits, '' when none. */
  phone: string;
  note: string;
  valid_from_s: number;
  valid_until_s: number;
  /** active | cancelled | used */
  status: string;
  status_at: number | null;
  code: string;
  /** 1 while the gates hold its row; 0 once withdrawn after it ended. */
  on_gates: number;
  created_at: number;
  /** `staff:<id>` or `api_key:<id>`. */
  created_by: string;
}

export interface WatchEntryTable {
  community_id: number;
  id: string;
  /** watch | deny */
  level: string;
  name: string;
  phone_masked: string;
  id_type: string | null;
  id_masked: string;
  /** Keyed hashes (domain/seal.ts matchHash), hex; what the gates match. */
  id_hash: string | null;
  name_phone_hash: string | null;
  instruction: string;
  created_at: number;
  created_by: string;
}

/** The visitor register: one row per `visitor.entry` event (id = event id), closed by `visitor.exit`. */
export interface VisitorEntryTable {
  community_id: number;
  id: string;
  device_id: string;
  guard_id: string | null;
  /** Time in, device milliseconds. */
  at: number;
  name: string;
  id_type: string | null;
  id_masked: string;
  id_hash: string | null;
  /** JSON of the value the kiosk sealed to the office key; opened only by `sealed.reveal`. */
  id_sealed: string | null;
  phone: string;
  household_id: string;
  reason: string;
  persons: number;
  plate: string;
  invitation_serial: number | null;
  watch_level: string | null;
  watch_instruction: string;
  mode: string;
  admitted: number;
  exit_at: number | null;
  exit_method: string | null;
  received_at: number;
}

/**
 * A visitor's photo taken at the gate, kept apart from the register rows (it is large and read
 * one at a time): JSON of the sealed JPEG text, opened only by `sealed.reveal`; purged with its entry.
 */
export interface VisitorPhotoTable {
  community_id: number;
  entry_id: string;
  /** The entry's time in, device milliseconds (the retention clock). */
  at: number;
  sealed: string;
}

/** A release slip. Validity in seconds (`_s`), as in the GP1 body it signs. */
export interface SlipTable {
  community_id: number;
  serial: number;
  household_id: string;
  applicant_name: string;
  /** owner | tenant | shop */
  applicant_role: string;
  applicant_phone: string;
  id_type: string;
  /** The applicant's ID number sealed to the office key (seal.ts, JSON); opened only by reveal. */
  id_sealed: string;
  id_masked: string;
  /** JSON array of { name, quantity, unit, note }. */
  items: string;
  plate: string;
  carrier_name: string;
  valid_from_s: number;
  valid_until_s: number;
  trips: number;
  /** JSON of the owner's consent (way, owner, clerk, note), '' when none was needed. */
  consent: string;
  /** JSON { reason, by } of a supervisor's arrears override, '' when none. */
  arrears_override: string;
  /** JSON { note, by } of a supervisor's sign-off for a household under watch, '' when none. */
  watch_signoff: string;
  /** awaiting_approval | issued | revoked (domain/slip.ts SLIP_STATUSES). */
  status: string;
  status_reason: string;
  status_note: string;
  status_at: number | null;
  /** The GP1 text; '' while the slip awaits a supervisor. */
  code: string;
  created_at: number;
  created_by: string;
  approved_by: string | null;
  updated_at: number;
}

export interface SlipUseTable {
  event_id: string;
  community_id: number;
  serial: number;
  device_id: string;
  /** Device time of the record, ms. */
  at: number;
  received_at: number;
  /** pass | partial | refuse */
  outcome: string;
  /** JSON array of { index, passed }. */
  lines: string;
  reason: string | null;
  note: string;
  carrier_name: string;
  photo_hash: string | null;
  guard_id: string | null;
}

/** More uses of a slip reached the office than it has trips (gates that were offline). */
export interface SlipAlertTable {
  id: string;
  community_id: number;
  serial: number;
  /** JSON array of the `slip.use` event ids involved. */
  event_ids: string;
  created_at: number;
  updated_at: number;
  resolved_at: number | null;
  resolved_by: string | null;
  resolution_note: string;
}

export interface SlipConsentTable {
  community_id: number;
  household_id: string;
  /** The main system's own reference of the consent. */
  reference: string;
  owner_name: string;
  tenant_name: string;
  confirmed_at: number;
  valid_until: number;
  received_at: number;
}

export interface GoodsRefusalTable {
  event_id: string;
  community_id: number;
  device_id: string;
  at: number;
  received_at: number;
  household_id: string | null;
  unit_text: string;
  description: string;
  photo_hash: string | null;
  guard_id: string | null;
}

/** Which households a gate event concerns (from its payload), for the per-household view. */
export interface EventHouseholdTable {
  event_id: string;
  community_id: number;
  household_id: string;
  at: number;
}

/** A resident under the outing record (出门备案), kept only with consent on file. */
export interface CareResidentTable {
  id: string;
  community_id: number;
  household_id: string;
  label: string;
  consent_by: string;
  consent_note: string;
  not_seen_days: number;
  due_date: string | null;
  last_seen_at: number | null;
  last_outing_id: string | null;
  created_at: number;
  created_by: string;
  updated_at: number;
  updated_by: string;
}

/** The outing register, projected from `outing.out` and `outing.back` events. */
export interface OutingTable {
  id: string;
  community_id: number;
  resident_id: string;
  household_id: string;
  out_at: number;
  expected_back: number;
  taken_by: string;
  note: string;
  out_device_id: string;
  out_guard_id: string | null;
  back_at: number | null;
  back_device_id: string | null;
  back_guard_id: string | null;
}

/** Incident records (《突发事件处理记录表》), projected from `incident` events; images by hash. */
export interface IncidentTable {
  id: string;
  community_id: number;
  device_id: string;
  guard_id: string | null;
  recorded_at: number;
  occurred_at: number;
  type: string;
  household_id: string | null;
  place: string;
  people: string;
  happened: string;
  /** JSON array of action codes. */
  actions: string;
  actions_note: string;
  /** JSON: { guard|supervisor|resident: { name, image } } with image a photo hash. */
  signatures: string;
  /** JSON array of photo hashes. */
  photos: string;
  received_at: number;
}

/**
 * Signatures and photos of incident records: kept apart from `photo` (which kiosks and card
 * readers can fetch by hash) so that only readers of incidents can reach them.
 */
export interface IncidentImageTable {
  community_id: number;
  hash: string;
  incident_id: string;
  content_type: string;
  bytes: Uint8Array;
}

/**
 * A gate guard (秩序维护员) or supervisor, managed in the office. Only the PIN's salted PBKDF2 hash
 * is kept (domain/pin.ts), in the form the gates check it; the gates receive it as the `guard` row.
 */
export interface GuardTable {
  id: string;
  community_id: number;
  name: string;
  role: string;
  active: number;
  /** base64url of the 32-byte PBKDF2-SHA-256 output, and of its per-guard salt. */
  pin_hash: string;
  pin_salt: string;
  pin_iterations: number;
  pin_set_at: number;
  created_at: number;
  created_by: string;
  updated_at: number;
  updated_by: string;
}

/**
 * The shift register, projected from `shift.start` and `shift.end` events. Either may arrive
 * first (they are projected by type within a batch), so both ends are nullable.
 */
export interface GuardShiftTable {
  id: string;
  community_id: number;
  guard_id: string;
  device_id: string;
  started_at: number | null;
  ended_at: number | null;
  end_reason: string | null;
  passages: number | null;
}

export interface Database {
  community: CommunityTable;
  staff: StaffTable;
  staff_role: StaffRoleTable;
  session: SessionTable;
  throttle: ThrottleTable;
  setup_token: SetupTokenTable;
  audit: AuditTable;
  signing_key: SigningKeyTable;
  key_list: KeyListTable;
  device: DeviceTable;
  enrollment_code: EnrollmentCodeTable;
  installation: InstallationTable;
  api_key: ApiKeyTable;
  sync_row: SyncRowTable;
  household: HouseholdTable;
  resident: ResidentTable;
  key_household: KeyHouseholdTable;
  key_household_change: KeyHouseholdChangeTable;
  event: EventTable;
  dead_letter: DeadLetterTable;
  photo: PhotoTable;
  community_secret: CommunitySecretTable;
  credential_serial: CredentialSerialTable;
  card: CardTable;
  card_household: CardHouseholdTable;
  invitation: InvitationTable;
  watch_entry: WatchEntryTable;
  visitor_entry: VisitorEntryTable;
  visitor_photo: VisitorPhotoTable;
  slip: SlipTable;
  slip_use: SlipUseTable;
  slip_alert: SlipAlertTable;
  slip_consent: SlipConsentTable;
  goods_refusal: GoodsRefusalTable;
  event_household: EventHouseholdTable;
  care_resident: CareResidentTable;
  outing: OutingTable;
  incident: IncidentTable;
  incident_image: IncidentImageTable;
  guard: GuardTable;
  guard_shift: GuardShiftTable;
}

export type Row<T extends keyof Database> = Selectable<Database[T]>;
export type NewRow<T extends keyof Database> = Insertable<Database[T]>;
