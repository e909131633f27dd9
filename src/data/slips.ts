/**
 * Release slips on the kiosk: reading what the gate needs to judge one (the slip, its revocation,
 * its household and key-household marker, this kiosk's own records of it) in one transaction over
 * both table sets, and recording the guard's check. A pass or partial record uses a trip: the
 * trips left are counted again inside the recording's own transaction, so two taps (or two tabs)
 * can never use the same last trip twice on one kiosk.
 */
import type { GoodsRefusedPayload, SlipUsePayload } from '../domain/events';
import type { SyncedRow } from '../domain/sync/tables';
import { mergeUses, tripsLeft, type SlipLookup, type SlipUse } from '../domain/verdict/slip';
import type { GoodsRefusalRow, KioskDb, SlipCheckRow } from './db';
import { recordEvent } from './outbox';
import { storeName, type StoredRow, type TableSet } from './synced-stores';

const rowOf = <T>(r: StoredRow | undefined) => (r ? (r.d as T) : undefined);

export interface SlipRecordLookup extends SlipLookup {
  household: (SyncedRow<'household'> & { id: string }) | undefined;
}

const LOOKUP_TABLES = ['slip', 'revocation', 'household', 'keyHousehold'] as const;
const lookupStores = (db: KioskDb) => [
  db.meta,
  db.slipChecks,
  ...LOOKUP_TABLES.flatMap((t) => [db.synced(t, 'a'), db.synced(t, 'b')]),
];

/** This kiosk's pass and partial records of a slip, as uses. */
async function localUses(db: KioskDb, serial: number): Promise<SlipUse[]> {
  const rows = await db.slipChecks.where('serial').equals(serial).toArray();
  return rows.flatMap((r) =>
    r.outcome === 'refuse' ? [] : [{ id: r.id, at: r.at, device: r.device, outcome: r.outcome }],
  );
}

async function readInTransaction(db: KioskDb, serial: number): Promise<SlipRecordLookup> {
  const set: TableSet = (await db.getMeta('feed'))?.activeSet ?? 'a';
  const [slipStored, revocation, uses] = await Promise.all([
    db.synced('slip', set).get(String(serial)),
    db.synced('revocation', set).get(`slip:${serial}`),
    localUses(db, serial),
  ]);
  const slip = rowOf<SyncedRow<'slip'>>(slipStored);
  const [household, keyHousehold] = slip
    ? await Promise.all([
        db.synced('household', set).get(slip.householdId),
        db.synced('keyHousehold', set).get(slip.householdId),
      ])
    : [undefined, undefined];
  return {
    slip,
    revocation: rowOf<SyncedRow<'revocation'>>(revocation),
    keyHousehold: rowOf<SyncedRow<'keyHousehold'>>(keyHousehold),
    household: household
      ? { ...(household.d as SyncedRow<'household'>), id: household.id }
      : undefined,
    localUses: uses,
  };
}

/** What the kiosk holds about a slip serial. */
export function readSlipLookup(db: KioskDb, serial: number): Promise<SlipRecordLookup> {
  return db.transaction('r', lookupStores(db), () => readInTransaction(db, serial));
}

/** Every trip of the slip is used: the latest use says when and where. */
export class SlipUsedError extends Error {
  override name = 'SlipUsedError';
  constructor(readonly lastUse: SlipUse | undefined) {
    super('every trip of this slip is used');
  }
}

export interface SlipCheckInput {
  payload: SlipUsePayload & { lines: Array<{ index: number; passed: number }> };
  guardId: string | null;
}

/**
 * Records the guard's check of a slip: the register row and the `slip.use` event in one strict
 * transaction; for a pass or partial record, only if a trip is still left (else SlipUsedError and
 * nothing is written).
 */
export async function recordSlipCheck(
  db: KioskDb,
  input: SlipCheckInput,
  now: number,
  tzOffset: number,
): Promise<{ id: string; seq: number }> {
  const p = input.payload;
  const device = (await db.getMeta('device'))?.name ?? '';
  const usesTrip = p.outcome !== 'refuse';
  const checkTables = [
    'meta',
    'slipChecks',
    storeName('slip', 'a'),
    storeName('slip', 'b'),
    ...LOOKUP_TABLES.filter((t) => t !== 'slip').flatMap((t) => [
      storeName(t, 'a'),
      storeName(t, 'b'),
    ]),
  ];
  return recordEvent<SlipCheckRow>(
    db,
    {
      type: 'slip.use',
      payload: p as Record<string, unknown>,
      guardId: input.guardId,
      register: {
        table: 'slipChecks',
        row: (id) => ({
          id,
          serial: p.serial,
          at: now,
          outcome: p.outcome,
          lines: p.lines,
          reason: p.reason ?? null,
          note: p.note ?? '',
          carrierName: p.carrierName ?? '',
          hasPhoto: Boolean(p.photo),
          guardId: input.guardId,
          device,
        }),
      },
      check: usesTrip
        ? {
            tables: checkTables,
            run: async () => {
              const lookup = await readInTransaction(db, p.serial);
              const uses = mergeUses(lookup.localUses, lookup.slip?.uses ?? []);
              if (!lookup.slip || tripsLeft(lookup.slip.trips, uses) === 0)
                throw new SlipUsedError(uses.at(-1));
            },
          }
        : undefined,
    },
    now,
    tzOffset,
  );
}

/** Goods stopped without a slip: the register row and the `goods.refused` event. */
export function recordGoodsRefusal(
  db: KioskDb,
  payload: GoodsRefusedPayload,
  guardId: string | null,
  now: number,
  tzOffset: number,
) {
  return recordEvent<GoodsRefusalRow>(
    db,
    {
      type: 'goods.refused',
      payload: payload as Record<string, unknown>,
      guardId,
      register: {
        table: 'goodsRefusals',
        row: (id) => ({
          id,
          at: now,
          householdId: payload.householdId ?? null,
          unitText: payload.unitText ?? '',
          description: payload.description,
          hasPhoto: Boolean(payload.photo),
          guardId,
        }),
      },
    },
    now,
    tzOffset,
  );
}

/** Households whose address starts like what the guard typed (3-2-12 …), for the goods form. */
export async function householdsByAddress(
  db: KioskDb,
  typed: string,
  limit: number,
): Promise<Array<SyncedRow<'household'> & { id: string }>> {
  const text = typed.trim().replace(/\s+/g, '');
  if (text === '') return [];
  const set: TableSet = (await db.getMeta('feed'))?.activeSet ?? 'a';
  const found: Array<SyncedRow<'household'> & { id: string }> = [];
  await db
    .synced('household', set)
    .filter((r) => {
      const h = r.d as SyncedRow<'household'>;
      return `${h.building}-${h.unit}-${h.room}`.startsWith(text);
    })
    .until(() => found.length >= limit)
    .each((r) => {
      found.push({ ...(r.d as SyncedRow<'household'>), id: r.id });
    });
  return found;
}
