import { describe, expect, it } from 'vitest';
import { KioskDb } from '../../../src/data/db';
import { ensureInstallation, recordEvent } from '../../../src/data/outbox';
import { purgeRegisters } from '../../../src/data/register-retention';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 28, 12);
/**
 * Every register of the kiosk: each store with an `at` index, but the visitors' (purged by their
 * own rule). A register added later without a retention rule fails here.
 */
const TABLES = new KioskDb('schema-only').tables
  .filter((t) => t.name !== 'visitors' && t.schema.indexes.some((i) => i.name === 'at'))
  .map((t) => t.name);

async function kiosk() {
  const db = new KioskDb(`retention-${Math.random().toString(36).slice(2)}`);
  await ensureInstallation(db, T0 - 100 * DAY);
  return db;
}

/** A register row and its event, `daysAgo` before T0; the row's fields beyond id and at are the shift's. */
async function record(db: KioskDb, table: string, daysAgo: number, extra: object = {}) {
  const at = T0 - daysAgo * DAY;
  const { id } = await recordEvent(
    db,
    {
      type: 'kiosk.note',
      payload: { text: table },
      register: { table, row: (id) => ({ id, at, ...extra }) },
    },
    at,
    -480,
  );
  return id;
}

/** The office answered these events: out of the outbox, into `sent` or the dead letter. */
async function answer(db: KioskDb, ids: string[], to: 'sent' | 'deadLetter' = 'sent') {
  await db.transaction('rw', db.outbox, db.sent, db.deadLetter, async () => {
    for (const id of ids) {
      const { attempts: _a, lastError: _l, ...event } = (await db.outbox.get(id))!;
      await db.outbox.delete(id);
      if (to === 'sent') await db.sent.add({ ...event, status: 'accepted', ackedAt: T0 });
      else await db.deadLetter.add({ ...event, reason: 'refused', rejectedAt: T0 });
    }
  });
}

const ids = (db: KioskDb, table: string) =>
  db.table(table).toCollection().primaryKeys() as Promise<string[]>;

describe('the kiosk registers after the retention period', () => {
  it('deletes old rows the office holds; keeps recent ones and those not delivered or refused', async () => {
    expect(TABLES).toHaveLength(7);
    const db = await kiosk();
    const old: Record<string, string> = {};
    const recent: Record<string, string> = {};
    for (const t of TABLES) {
      old[t] = await record(db, t, 40, t === 'shifts' ? { kind: 'end', shiftId: 'S0' } : {});
      recent[t] = await record(db, t, 5, t === 'shifts' ? { kind: 'end', shiftId: 'S1' } : {});
    }
    const unsent = await record(db, 'notes', 45);
    const refused = await record(db, 'passages', 50);
    await answer(db, [...Object.values(old), ...Object.values(recent)]);
    await answer(db, [refused], 'deadLetter');

    expect(await purgeRegisters(db, T0, 30)).toBe(TABLES.length);
    for (const t of TABLES) {
      const left = await ids(db, t);
      expect(left).toContain(recent[t]);
      expect(left).not.toContain(old[t]);
    }
    expect(await ids(db, 'notes')).toContain(unsent);
    expect(await ids(db, 'passages')).toContain(refused);
    // Nothing else is due: a second run deletes nothing.
    expect(await purgeRegisters(db, T0, 30)).toBe(0);
    db.close();
  });

  it('keeps everything since the shift on duty began, however long ago', async () => {
    const db = await kiosk();
    const start = await record(db, 'shifts', 35, {
      kind: 'start',
      shiftId: 'S9',
      guardId: 'G1',
      name: '张',
    });
    const inShift = await record(db, 'passages', 33);
    const before = await record(db, 'passages', 36);
    await answer(db, [start, inShift, before]);

    expect(await purgeRegisters(db, T0, 30)).toBe(1);
    expect(await ids(db, 'passages')).toEqual([inShift]);
    expect(await ids(db, 'shifts')).toEqual([start]);
    db.close();
  });
});
