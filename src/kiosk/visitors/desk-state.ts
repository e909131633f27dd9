/**
 * The visitor desk's state: the form being filled (kept across a reload, except the ID number,
 * which is never written anywhere in clear), its errors per field, the entry waiting for the
 * guard's decision on a watch-list match, an invitation being confirmed, who is inside, and the
 * self-service mode. The screens read these signals and call the actions.
 */
import { computed, signal } from '@preact/signals';
import { liveQuery } from 'dexie';
import type { VisitorRow } from '../../data/db';
import {
  gateHouseholds,
  gateInvitation,
  invitationUseHere,
  prepareEntry,
  recordVisitorEntry,
  recordVisitorExit,
  returningVisitor,
  signOutAtClosing,
  type HouseholdOption,
  type PreparedEntry,
} from '../../data/visitors';
import { fromBase64Url } from '../../domain/bytes';
import { createTrustStore, verifyKeyList, type TrustStore } from '../../domain/credential/key-list';
import { verifyCode } from '../../domain/credential/verify';
import { localDate } from '../../domain/rules/time-window';
import { validateMobile } from '../../domain/rules/phone';
import {
  checkVisitorDraft,
  EMPTY_DRAFT,
  type DraftField,
  type EntryMode,
  type FieldReason,
  type VisitorDraft,
} from '../../domain/visitor/entry';
import { judgeInvitation, type InvitationJudgement } from '../../domain/visitor/invitation';
import { guardIdOnDuty } from '../duty';
import { db, meta, nudgeSync, thresholds } from '../store';

const DRAFT_KEY = 'gatepost.visitorDraft';
/** Clock difference accepted at the edges of an invitation's days, seconds. */
const CLOCK_TOLERANCE_S = 300;

function savedDraft(): VisitorDraft {
  try {
    const saved = JSON.parse(localStorage.getItem(DRAFT_KEY) ?? 'null') as Partial<VisitorDraft>;
    return { ...EMPTY_DRAFT, ...saved, idNumber: '' };
  } catch {
    return EMPTY_DRAFT;
  }
}

export type Notice =
  | { kind: 'saved'; name: string; admitted: boolean }
  | { kind: 'signed_out'; name: string }
  | { kind: 'not_inside' }
  | { kind: 'failed' }
  | {
      kind: 'invitation_refused';
      reason: Extract<InvitationJudgement, { kind: 'refused' }>['reason'];
    }
  | { kind: 'not_ready' };

export const draft = signal<VisitorDraft>(savedDraft());
export const errors = signal<Partial<Record<DraftField, FieldReason>>>({});
/** The visitor's photo (JPEG, base64url): never put in the saved draft; sealed when recorded. */
export const photo = signal<string | null>(null);
/** Fields the guard has left at least once: their errors show as they are typed. */
const touched = signal<Set<DraftField>>(new Set());
export const saving = signal(false);
export const notice = signal<Notice | null>(null);
/** An entry whose watch-list match waits for the guard's decision. */
export const pendingMatch = signal<PreparedEntry | null>(null);
/** The invitation that filled the form: the guard confirms with one tap. */
export const invitation = signal<{ serial: number } | null>(null);
/** A previous entry found by the phone number typed. */
export const returning = signal<VisitorRow | null>(null);
export const households = signal<HouseholdOption[]>([]);
export const inside = signal<VisitorRow[]>([]);
/** Today's entries that matched the watch list, for the guard. */
export const alerts = signal<VisitorRow[]>([]);
export const selfService = signal(false);

export const householdById = computed(() => new Map(households.value.map((h) => [h.id, h])));

function persistDraft(d: VisitorDraft) {
  try {
    const { idNumber: _never, ...rest } = d;
    localStorage.setItem(DRAFT_KEY, JSON.stringify(rest));
  } catch {
    // The draft then lives only in this page.
  }
}

function today() {
  return localDate(Math.floor(Date.now() / 1000), thresholds.value?.timeZone ?? 'Asia/Shanghai');
}

function check(d: VisitorDraft) {
  return checkVisitorDraft(d, {
    today: today(),
    knownHousehold: (id) => householdById.value.has(id),
    idRequired: invitation.value === null,
  });
}

export function setField<K extends DraftField>(field: K, value: VisitorDraft[K]): void {
  const next = { ...draft.value, [field]: value };
  draft.value = next;
  persistDraft(next);
  notice.value = null;
  if (touched.value.has(field)) showErrors(field);
  if (field === 'phone') void lookUpReturning(String(value));
}

/** The field was left: its error (if any) shows from now on. */
export function touch(field: DraftField): void {
  if (!touched.value.has(field)) touched.value = new Set([...touched.value, field]);
  showErrors(field);
}

function showErrors(field: DraftField) {
  const r = check(draft.value);
  const next = { ...errors.value };
  const reason = r.ok ? undefined : r.errors[field];
  if (reason) next[field] = reason;
  else delete next[field];
  errors.value = next;
}

export function resetForm(): void {
  draft.value = EMPTY_DRAFT;
  persistDraft(EMPTY_DRAFT);
  errors.value = {};
  photo.value = null;
  touched.value = new Set();
  invitation.value = null;
  returning.value = null;
  pendingMatch.value = null;
}

let lookup = 0;
async function lookUpReturning(phone: string) {
  const n = ++lookup;
  const valid = validateMobile(phone);
  const found = valid.ok ? await returningVisitor(db, valid.value) : undefined;
  if (n === lookup) returning.value = found ?? null;
}

async function record(prepared: PreparedEntry, admitted: boolean, mode: EntryMode) {
  saving.value = true;
  try {
    await recordVisitorEntry(db, prepared, admitted, Date.now(), guardIdOnDuty());
    notice.value = { kind: 'saved', name: prepared.payload.name, admitted };
    resetForm();
    nudgeSync();
  } catch (e) {
    console.error('[visitor]', e);
    notice.value = { kind: 'failed' };
  } finally {
    saving.value = false;
  }
  if (mode === 'self') notice.value = null;
}

/**
 * Submits the form. In guard mode a watch-list match stops for the guard's decision; in
 * self-service the entry is recorded with the match for the guard (a deny entry as not
 * admitted), and the visitor's screen says nothing about it.
 */
export async function submit(mode: EntryMode): Promise<boolean> {
  if (saving.value) return false;
  const r = check(draft.value);
  if (!r.ok) {
    errors.value = r.errors;
    touched.value = new Set(Object.keys(EMPTY_DRAFT) as DraftField[]);
    return false;
  }
  saving.value = true;
  let prepared: PreparedEntry;
  try {
    const previous = returning.value;
    prepared = await prepareEntry(
      db,
      previous && r.value.id === null
        ? { kind: 'previous', visitor: r.value, previous }
        : { kind: 'typed', visitor: r.value },
      { invitationSerial: invitation.value?.serial ?? null, mode, photo: photo.value },
    );
  } catch (e) {
    console.error('[visitor]', e);
    notice.value = { kind: 'not_ready' };
    saving.value = false;
    return false;
  }
  saving.value = false;
  if (prepared.watch && mode === 'guard') {
    pendingMatch.value = prepared;
    return false;
  }
  await record(prepared, !(prepared.watch?.level === 'deny'), mode);
  return true;
}

/** The guard's decision on a watch-list match. */
export async function decideMatch(admit: boolean): Promise<void> {
  const p = pendingMatch.value;
  if (!p) return;
  pendingMatch.value = null;
  await record(p, admit, 'guard');
}

/** A returning visitor: the previous entry fills the form; the guard confirms with one tap. */
export async function registerReturning(): Promise<void> {
  const previous = returning.value;
  if (!previous) return;
  const next: VisitorDraft = {
    ...draft.value,
    name: previous.name,
    idType: previous.idType ?? draft.value.idType,
    idNumber: '',
    householdId: previous.householdId,
    reason: previous.reason,
    persons: String(previous.persons),
    plate: previous.plate,
  };
  draft.value = next;
  persistDraft(next);
  // The ID is the previous entry's (sealed, hashed): it is not typed again.
  const r = checkVisitorDraft(next, {
    today: today(),
    knownHousehold: (id) => householdById.value.has(id),
    idRequired: false,
  });
  if (!r.ok) {
    errors.value = r.errors;
    return;
  }
  const prepared = await prepareEntry(
    db,
    { kind: 'previous', visitor: r.value, previous },
    { invitationSerial: null, mode: 'guard', photo: photo.value },
  );
  if (prepared.watch) {
    pendingMatch.value = prepared;
    return;
  }
  await record(prepared, true, 'guard');
}

export async function signOut(entryId: string, method: 'tap' | 'phone' | 'invitation') {
  const row = inside.value.find((r) => r.id === entryId);
  try {
    const done = await recordVisitorExit(db, entryId, method, Date.now(), guardIdOnDuty());
    notice.value = done && row ? { kind: 'signed_out', name: row.name } : { kind: 'not_inside' };
    nudgeSync();
  } catch (e) {
    console.error('[visitor]', e);
    notice.value = { kind: 'failed' };
  }
}

/** Signs out the visitor(s) inside with this phone number; false when none is inside. */
export async function signOutByPhone(phone: string): Promise<boolean> {
  const valid = validateMobile(phone);
  if (!valid.ok) return false;
  const previous = await returningVisitor(db, valid.value);
  const hash = previous?.phoneHash;
  const matching = inside.value.filter((r) => hash && r.phoneHash === hash);
  if (matching.length === 0) {
    notice.value = { kind: 'not_inside' };
    return false;
  }
  for (const r of matching) await signOut(r.id, 'phone');
  return true;
}

let trustCache: { payload: string; store: Promise<TrustStore | null> } | null = null;

/** The trusted key list, checked again against the pinned root key (once per list). */
function trust(): Promise<TrustStore | null> {
  const m = meta.value;
  const list = m?.trustedKeyList;
  const device = m?.device;
  if (!list || !device) return Promise.resolve(null);
  if (trustCache?.payload !== list.payload) {
    trustCache = {
      payload: list.payload,
      store: verifyKeyList(
        { payload: list.payload, signature: list.signature },
        fromBase64Url(device.rootPublicKey),
        { communityId: device.communityId },
      ).then((r) => (r.ok ? createTrustStore(r.list) : null)),
    };
  }
  return trustCache.store;
}

/**
 * A decoded code at the visitor desk (an invitation read by the gate's camera, verdict/session.ts;
 * a hand scanner typing into the field; or the code typed): an invitation fills the form for one tap, the same invitation again signs its
 * visitor out, anything else is refused with the reason.
 */
export async function onInvitationText(text: string): Promise<void> {
  const store = await trust();
  if (!store) {
    notice.value = { kind: 'not_ready' };
    return;
  }
  const verified = await verifyCode(text.trim(), {
    trust: store,
    now: Math.floor(Date.now() / 1000),
    clockToleranceS: CLOCK_TOLERANCE_S,
  });
  const serial = verified.credential?.type === 'invitation' ? verified.credential.serial : null;
  const [row, local] = await Promise.all([
    serial !== null ? gateInvitation(db, serial) : undefined,
    serial !== null ? invitationUseHere(db, serial) : { usedHere: false, insideEntryId: null },
  ]);
  const judged = judgeInvitation(verified, row, local);
  if (judged.kind === 'refused') {
    notice.value = { kind: 'invitation_refused', reason: judged.reason };
    return;
  }
  if (judged.kind === 'sign_out') {
    await signOut(judged.entryId, 'invitation');
    return;
  }
  resetForm();
  invitation.value = { serial: judged.serial };
  const inv = judged.invitation;
  draft.value = {
    ...EMPTY_DRAFT,
    name: inv.name,
    householdId: inv.householdId,
    persons: String(judged.persons),
    plate: inv.plate,
    phone: inv.phone,
    reason: 'visiting',
  };
  persistDraft(draft.value);
  notice.value = null;
}

function watch<T>(query: () => Promise<T>, set: (v: T) => void) {
  liveQuery(query).subscribe({ next: set, error: (e: unknown) => console.error(e) });
}

let started = false;
/** Starts the live lists and the end-of-day sign-out (checked every 30 s). */
export function startVisitorDesk(): void {
  if (started) return;
  started = true;
  watch(
    () => gateHouseholds(db),
    (v) => (households.value = v),
  );
  watch(
    () => db.visitors.orderBy('at').toArray(),
    (rows) => {
      inside.value = rows.filter((r) => r.admitted && r.exitAt === null);
      const since = Date.now() - 86_400_000;
      alerts.value = rows.filter((r) => r.watch !== null && r.at > since).reverse();
    },
  );
  const sweep = () =>
    void signOutAtClosing(db, Date.now()).then(
      (n) => n > 0 && nudgeSync(),
      (e: unknown) => console.error('[visitor]', e),
    );
  sweep();
  setInterval(sweep, 30_000);
}

/** Household label for lists: 3-2-1201. */
export function householdText(id: string): string {
  const h = householdById.value.get(id);
  return h ? `${h.building}-${h.unit}-${h.room}` : '?';
}
