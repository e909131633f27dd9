/**
 * The visitor register on the kiosk: what the gate holds for the form (settings, households,
 * watch list, invitations, from the active table set), recording entries and exits (register row
 * and outbox event in one strict transaction, outbox.ts), finding a returning visitor by phone,
 * who is inside, the end-of-day sign-out and the retention purge.
 *
 * Sealing and hashing are asynchronous WebCrypto work: they happen before the IndexedDB
 * transaction (which would commit on its own while waiting for anything else).
 */
import { fromBase64Url } from '../domain/bytes';
import type {
  CheckedVisitor,
  EntryMode,
  ExitMethod,
  VisitorEntryPayload,
} from '../domain/visitor/entry';
import {
  ID_SEAL_CONTEXT,
  PHOTO_SEAL_CONTEXT,
  idMatchValue,
  namePhoneMatchValue,
} from '../domain/visitor/entry';
import { dueForEndOfDay } from '../domain/visitor/day-end';
import { kioskEntriesToPurge } from '../domain/visitor/retention';
import { matchWatchList, type WatchMatch } from '../domain/visitor/watch';
import { maskIdNumber } from '../domain/rules/masking';
import { maskMobile } from '../domain/rules/phone';
import { matchHash, seal } from '../domain/seal';
import type { SyncedRow } from '../domain/sync/tables';
import type { KioskDb, VisitorRow } from './db';
import { recordEvent } from './outbox';

const randomBytes = (n: number) => crypto.getRandomValues(new Uint8Array(n));

/** The community's settings as the gate holds them; null before the first sync. */
export async function gateSettings(db: KioskDb): Promise<SyncedRow<'settings'> | null> {
  const feed = await db.getMeta('feed');
  if (!feed) return null;
  const row = await db.synced('settings', feed.activeSet).get('community');
  return (row?.d as SyncedRow<'settings'> | undefined) ?? null;
}

export interface HouseholdOption {
  id: string;
  building: string;
  unit: string;
  room: string;
  surnames: string[];
}

/** Households still lived in, for the form's unit autocomplete. */
export async function gateHouseholds(db: KioskDb): Promise<HouseholdOption[]> {
  const feed = await db.getMeta('feed');
  if (!feed) return [];
  const rows = await db.synced('household', feed.activeSet).toArray();
  return rows
    .map((r) => ({ id: r.id, ...(r.d as SyncedRow<'household'>) }))
    .filter((h) => !h.movedOut)
    .map(({ id, building, unit, room, surnames }) => ({ id, building, unit, room, surnames }));
}

export async function gateInvitation(
  db: KioskDb,
  serial: number,
): Promise<SyncedRow<'invitation'> | undefined> {
  const feed = await db.getMeta('feed');
  if (!feed) return undefined;
  return (await db.synced('invitation', feed.activeSet).get(String(serial)))?.d as
    SyncedRow<'invitation'> | undefined;
}

/** The ID details of an entry: from the form (sealed and hashed now) or from a previous entry. */
export type EntryIdentity =
  | { kind: 'typed'; visitor: CheckedVisitor }
  | {
      kind: 'previous';
      visitor: CheckedVisitor;
      previous: Pick<VisitorRow, 'idType' | 'idMasked' | 'idHash' | 'idSealed'>;
    };

export interface PreparedEntry {
  payload: VisitorEntryPayload;
  phoneHash: string | null;
  watch: WatchMatch | null;
}

/**
 * Seals and hashes what must not be kept in clear, and matches the watch list. Nothing of the
 * number survives here but its mask, its hash and the sealed value.
 */
export async function prepareEntry(
  db: KioskDb,
  identity: EntryIdentity,
  extra: {
    invitationSerial: number | null;
    mode: EntryMode;
    /** The photo taken at the gate (JPEG, base64url), sealed here; it is not kept in clear. */
    photo?: string | null;
  },
): Promise<PreparedEntry> {
  const settings = await gateSettings(db);
  if (!settings) throw new Error('the kiosk has not received its settings yet');
  const matchKey = fromBase64Url(settings.matchKey);
  const v = identity.visitor;
  let id: Pick<VisitorRow, 'idType' | 'idMasked' | 'idHash' | 'idSealed'>;
  if (identity.kind === 'previous') id = identity.previous;
  else if (v.id) {
    id = {
      idType: v.id.type,
      idMasked: maskIdNumber(v.id.number),
      idHash: await matchHash(matchKey, 'id', idMatchValue(v.id)),
      idSealed: await seal(
        v.id.number,
        fromBase64Url(settings.sealKey),
        ID_SEAL_CONTEXT,
        randomBytes,
      ),
    };
  } else id = { idType: null, idMasked: '', idHash: null, idSealed: null };
  const namePhoneHash = v.phone
    ? await matchHash(matchKey, 'name_phone', namePhoneMatchValue(v.name, v.phone))
    : null;
  const phoneHash = v.phone ? await matchHash(matchKey, 'phone', v.phone) : null;
  const photoSealed = extra.photo
    ? await seal(extra.photo, fromBase64Url(settings.sealKey), PHOTO_SEAL_CONTEXT, randomBytes)
    : null;
  const feed = await db.getMeta('feed');
  const watchRows = feed ? await db.synced('watch', feed.activeSet).toArray() : [];
  const watch = matchWatchList(
    watchRows.map((r) => ({ id: r.id, row: r.d as SyncedRow<'watch'> })),
    { idHash: id.idHash, namePhoneHash },
  );
  return {
    payload: {
      name: v.name,
      ...id,
      photoSealed,
      phone: v.phone,
      householdId: v.householdId,
      reason: v.reason,
      persons: v.persons,
      plate: v.plate,
      invitationSerial: extra.invitationSerial,
      watch: watch ? { level: watch.level, instruction: watch.instruction } : null,
      mode: extra.mode,
      admitted: true,
    },
    phoneHash,
    watch,
  };
}

const tzOffsetNow = () => -new Date().getTimezoneOffset();

/** Records the entry (admitted or turned away) durably; resolves with its id once on disk. */
export async function recordVisitorEntry(
  db: KioskDb,
  prepared: PreparedEntry,
  admitted: boolean,
  now: number,
  guardId: string | null,
): Promise<string> {
  const payload = { ...prepared.payload, admitted };
  const { id } = await recordEvent<VisitorRow>(
    db,
    {
      type: 'visitor.entry',
      payload,
      guardId,
      register: {
        table: 'visitors',
        row: (eventId) => ({
          id: eventId,
          at: now,
          guardId,
          name: payload.name,
          idType: payload.idType,
          idMasked: payload.idMasked,
          idHash: payload.idHash,
          idSealed: payload.idSealed,
          phoneHash: prepared.phoneHash,
          phoneMasked: payload.phone ? maskMobile(payload.phone) : '',
          householdId: payload.householdId,
          reason: payload.reason,
          persons: payload.persons,
          plate: payload.plate,
          invitationSerial: payload.invitationSerial,
          watch: payload.watch,
          mode: payload.mode,
          admitted,
          exitAt: null,
          exitMethod: null,
        }),
      },
    },
    now,
    tzOffsetNow(),
  );
  return id;
}

/** Signs a visitor out; a visitor already signed out is left as they are (returns false). */
export async function recordVisitorExit(
  db: KioskDb,
  entryId: string,
  method: ExitMethod,
  now: number,
  guardId: string | null,
): Promise<boolean> {
  const row = await db.visitors.get(entryId);
  if (!row || row.exitAt !== null || !row.admitted) return false;
  await recordEvent<VisitorRow>(
    db,
    {
      type: 'visitor.exit',
      payload: { entryId, method },
      guardId,
      register: {
        table: 'visitors',
        replace: true,
        row: () => ({ ...row, exitAt: now, exitMethod: method }),
      },
    },
    now,
    tzOffsetNow(),
  );
  return true;
}

/** Admitted visitors not yet signed out, earliest first. */
export async function visitorsInside(db: KioskDb): Promise<VisitorRow[]> {
  const rows = await db.visitors.orderBy('at').toArray();
  return rows.filter((r) => r.admitted && r.exitAt === null);
}

/** The phone's keyed hash, for finding a returning visitor or signing one out by phone. */
export async function phoneHashOf(db: KioskDb, phone: string): Promise<string | null> {
  const settings = await gateSettings(db);
  return settings ? matchHash(fromBase64Url(settings.matchKey), 'phone', phone) : null;
}

/** The latest entry of the visitor with this phone number still kept here (retention), if any. */
export async function returningVisitor(
  db: KioskDb,
  phone: string,
): Promise<VisitorRow | undefined> {
  const hash = await phoneHashOf(db, phone);
  if (!hash) return undefined;
  const rows = await db.visitors.where('phoneHash').equals(hash).toArray();
  return rows.sort((a, b) => b.at - a.at)[0];
}

/** Whether this gate already let someone in on an invitation, and whether they are inside. */
export async function invitationUseHere(
  db: KioskDb,
  serial: number,
): Promise<{ usedHere: boolean; insideEntryId: string | null }> {
  const rows = (await db.visitors.where('invitationSerial').equals(serial).toArray()).filter(
    (r) => r.admitted,
  );
  const inside = rows.find((r) => r.exitAt === null);
  return { usedHere: rows.length > 0, insideEntryId: inside?.id ?? null };
}

/** The end-of-day sign-out: visitors inside who came before the last closing time. */
export async function signOutAtClosing(db: KioskDb, now: number): Promise<number> {
  const settings = await gateSettings(db);
  if (!settings) return 0;
  const due = dueForEndOfDay(
    await visitorsInside(db),
    now,
    settings.closingMinutes,
    settings.timeZone,
  );
  let n = 0;
  for (const row of due) if (await recordVisitorExit(db, row.id, 'end_of_day', now, null)) n++;
  return n;
}

/**
 * Retention: entries older than `days` whose events the server has acknowledged are deleted.
 * An entry with an event still in the outbox or refused (dead letter) is kept.
 */
export async function purgeVisitors(db: KioskDb, now: number, days: number): Promise<number> {
  return db.transaction('rw', [db.visitors, db.outbox, db.deadLetter], async () => {
    const waiting = new Set<string>();
    for (const table of [db.outbox, db.deadLetter]) {
      await table.each((e) => {
        if (e.type === 'visitor.entry') waiting.add(e.id);
        if (e.type === 'visitor.exit') waiting.add(String(e.payload.entryId));
      });
    }
    const old = await db.visitors
      .where('at')
      .below(now - days * 86_400_000)
      .toArray();
    const ids = kioskEntriesToPurge(old, now, days, waiting);
    await db.visitors.bulkDelete(ids);
    return ids.length;
  });
}
