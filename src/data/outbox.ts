/**
 * Recording at the gate: a register row and its outbox event in one strict IndexedDB transaction,
 * so the two exist together or not at all, and the promise resolves only after the transaction has
 * completed on disk. The UI says "saved" on that resolution and never before (research sync.md
 * pitfall 6).
 *
 * Every event gets a ULID and the next sequence number of this installation, in the transaction
 * that stores it: the server detects gaps (events that never arrived) from the sequence.
 */
import { ulid } from '../domain/ids';
import type { EventType } from '../domain/sync/protocol';
import type { KioskDb, MetaValues, NoteRow, OutboxEvent } from './db';

export class NotReadyError extends Error {
  override name = 'NotReadyError';
}

function randomBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}

/**
 * The installation of this database: created when missing (a new kiosk, or one whose storage was
 * wiped), to be announced to the server before its first push.
 */
export async function ensureInstallation(
  db: KioskDb,
  now: number,
): Promise<MetaValues['installation']> {
  return db.transaction('rw', db.meta, async () => {
    const existing = await db.getMeta('installation');
    if (existing) return existing;
    const created = {
      id: ulid(now, randomBytes(10)),
      nextSeq: 1,
      createdAt: now,
      announced: false,
    };
    await db.putMeta('installation', created);
    return created;
  });
}

/** Starts a new installation (after a re-enrollment as another device); unsent events stay. */
export async function renewInstallation(db: KioskDb, now: number): Promise<void> {
  await db.putMeta('installation', {
    id: ulid(now, randomBytes(10)),
    nextSeq: 1,
    createdAt: now,
    announced: false,
  });
}

export interface RecordInput<R> {
  type: EventType;
  payload: Record<string, unknown>;
  guardId?: string | null;
  /**
   * The register row written with the event, made from the event's id. `replace` updates an
   * existing row (a sign-out closes its entry) instead of adding a new one.
   */
  register?: { table: string; row: (eventId: string) => R; replace?: boolean };
  /**
   * A condition checked inside the recording's transaction, before anything is written (a slip
   * still has a trip left): when it throws, nothing is recorded. `tables` are the stores it reads.
   */
  check?: { tables: string[]; run: () => Promise<void> };
}

type Installation = MetaValues['installation'];

/**
 * What this connection last wrote of the installation and the trusted time. With it the writes of
 * the next recording are sent together with the reads that check it, in one round trip to the
 * storage backend instead of two; a check that fails (another tab recorded, the engine moved the
 * trusted time) aborts the transaction and the recording is made again the slow way.
 */
const lastWritten = new WeakMap<KioskDb, { inst: Installation; trusted: number }>();

class StaleCache extends Error {
  override name = 'StaleCache';
}

/**
 * Records one gate event (and its register row) durably. Resolves with the event's id and
 * sequence number after the transaction is complete; rejects if nothing was stored.
 */
export async function recordEvent<R>(
  db: KioskDb,
  input: RecordInput<R>,
  now: number,
  tzOffset: number,
): Promise<{ id: string; seq: number }> {
  const cached = lastWritten.get(db);
  if (cached) {
    try {
      return await recordOnce(db, input, now, tzOffset, cached);
    } catch (e) {
      if (!(e instanceof StaleCache)) throw e;
    }
  }
  return recordOnce(db, input, now, tzOffset, null);
}

async function recordOnce<R>(
  db: KioskDb,
  input: RecordInput<R>,
  now: number,
  tzOffset: number,
  cached: { inst: Installation; trusted: number } | null,
): Promise<{ id: string; seq: number }> {
  const names = new Set([
    'outbox',
    'meta',
    ...(input.register ? [input.register.table] : []),
    ...(input.check?.tables ?? []),
  ]);
  const tables = [...names].map((t) => db.table(t));
  lastWritten.delete(db);
  const written = await db.transaction('rw', tables, async () => {
    if (input.check) await input.check.run();
    const reads = Promise.all([db.getMeta('installation'), db.getMeta('trustedNow')]);
    let inst: Installation | undefined;
    let trusted: number;
    if (cached) {
      inst = cached.inst;
      trusted = cached.trusted;
    } else {
      const [i, t = 0] = await reads;
      inst = i;
      trusted = t;
    }
    if (!inst) throw new NotReadyError('this kiosk has no installation yet');
    const id = ulid(now, randomBytes(10));
    const event: OutboxEvent = {
      id,
      seq: inst.nextSeq,
      type: input.type,
      at: now,
      tzOffset,
      guardId: input.guardId ?? null,
      payload: input.payload,
      inst: inst.id,
      attempts: 0,
      lastError: '',
    };
    const nextInst = { ...inst, nextSeq: inst.nextSeq + 1 };
    const nextTrusted = Math.max(trusted, now);
    const writes = Promise.all([
      db.outbox.add(event),
      input.register
        ? input.register.replace
          ? db.table(input.register.table).put(input.register.row(id))
          : db.table(input.register.table).add(input.register.row(id))
        : null,
      db.putMeta('installation', nextInst),
      nextTrusted !== trusted ? db.putMeta('trustedNow', nextTrusted) : null,
    ]);
    if (cached) {
      // The reads were queued before the writes, so they see what was there before them.
      const [i, t = 0] = await reads;
      // The installation row is written whole, so any change to it (a sequence number used by
      // another tab, the engine marking it announced) must abort; the trusted time only must not
      // be lowered by this write.
      if (
        JSON.stringify(i) !== JSON.stringify(inst) ||
        (nextTrusted !== trusted && t > nextTrusted)
      ) {
        writes.catch(() => undefined);
        throw new StaleCache('the installation or the trusted time moved');
      }
      trusted = Math.max(trusted, t);
    }
    await writes;
    return { id, seq: event.seq, inst: nextInst, trusted: Math.max(trusted, nextTrusted) };
  });
  lastWritten.set(db, { inst: written.inst, trusted: written.trusted });
  return { id: written.id, seq: written.seq };
}

export const NOTE_MAX = 500;

/** A guard's note: the `notes` register and a `kiosk.note` event. */
export function recordNote(
  db: KioskDb,
  text: string,
  now: number,
  tzOffset: number,
  guardId: string | null = null,
) {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > NOTE_MAX) {
    return Promise.reject(new RangeError(`a note has 1 to ${NOTE_MAX} characters`));
  }
  return recordEvent<NoteRow>(
    db,
    {
      type: 'kiosk.note',
      payload: { text: trimmed },
      guardId,
      register: { table: 'notes', row: (id) => ({ id, text: trimmed, at: now, guardId }) },
    },
    now,
    tzOffset,
  );
}

/** Events not yet acknowledged, for the indicator. */
export function pendingCount(db: KioskDb): Promise<number> {
  return db.outbox.count();
}

/**
 * Everything the kiosk holds that the office may not have: unsent and dead-lettered events, for a
 * supervisor to export from a revoked or broken kiosk.
 */
export async function exportUnsent(db: KioskDb, now: number) {
  const [device, installation, outbox, deadLetter] = await Promise.all([
    db.getMeta('device'),
    db.getMeta('installation'),
    db.outbox.orderBy('[inst+seq]').toArray(),
    db.deadLetter.orderBy('[inst+seq]').toArray(),
  ]);
  return {
    format: 'gatepost-kiosk-export/1',
    exportedAt: now,
    device: device ? { id: device.deviceId, name: device.name } : null,
    installation: installation?.id ?? null,
    outbox,
    deadLetter,
  };
}
