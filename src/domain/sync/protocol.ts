/**
 * The sync wire contract between the kiosk and the server (DESIGN §3.4, research sync.md §1.2).
 * Both sides import these schemas, so the contract cannot drift.
 *
 * Office → gate: every synced row carries the community version of the transaction that last
 * wrote it and a deleted flag. The kiosk pulls rows after its cursor in keyset pages ordered by
 * (version, table, id) and stores each page with its new cursor in one transaction. The server
 * answers `reset` when the kiosk's epoch is not the server's (restored from a backup, re-seeded),
 * when the cursor is below a tombstone horizon that moved since the cursor was handed out
 * (deletions it would miss were purged), or when the cursor is ahead of the server's head.
 *
 * Gate → office: immutable events with kiosk-made ids and per-installation sequence numbers; the
 * server stores each once and answers per event.
 */
import { z } from 'zod';
import { ULID_PATTERN } from '../ids';
import { lineText } from '../text';
import { SYNCED_TABLE_NAMES, type SyncedTable } from './tables';

/** Sent with every request; the server refuses a kiosk whose contract it no longer speaks. */
export const SYNC_SCHEMA_VERSION = 1;

export const MAX_PULL_LIMIT = 5000;
export const DEFAULT_PULL_LIMIT = 2000;
export const MAX_PUSH_EVENTS = 500;

const tableName = z.enum(SYNCED_TABLE_NAMES as [SyncedTable, ...SyncedTable[]]);
const rowId = z.string().min(1).max(64);

/** A position in the feed: after this (version, table, id). A fresh kiosk starts at version 0. */
export const cursorSchema = z.object({
  version: z.number().int().min(0),
  table: z.string().max(32).default(''),
  id: z.string().max(64).default(''),
  /**
   * The tombstone horizon when the server handed out this cursor. A pull from version 0 reads rows
   * far below the horizon; its cursor stays good until a purge raises the horizon past it (it
   * would then miss deletions). Absent from older servers' cursors: any cursor below the horizon
   * is then reset.
   */
  horizon: z.number().int().min(0).optional(),
});
export type Cursor = z.infer<typeof cursorSchema>;
export const START_CURSOR: Cursor = { version: 0, table: '', id: '' };

export const pullQuerySchema = z.object({
  /** Empty on a kiosk's first pull. */
  epoch: z.string().max(64).default(''),
  version: z.coerce.number().int().min(0).default(0),
  table: z.string().max(32).default(''),
  id: z.string().max(64).default(''),
  /** The cursor's `horizon`; 0 for a cursor without one. */
  horizon: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(MAX_PULL_LIMIT).default(DEFAULT_PULL_LIMIT),
  /** Comma-separated table names to restrict the stream (the revocation stream); default all. */
  tables: z
    .string()
    .max(200)
    .optional()
    .transform((s, ctx) => {
      if (!s) return undefined;
      const names = s.split(',');
      for (const n of names) {
        if (!(SYNCED_TABLE_NAMES as string[]).includes(n)) {
          ctx.addIssue({ code: 'custom', message: `unknown table ${n}` });
          return z.NEVER;
        }
      }
      return names as SyncedTable[];
    }),
  schema: z.coerce.number().int().min(1).default(SYNC_SCHEMA_VERSION),
});
export type PullQuery = z.infer<typeof pullQuerySchema>;

export const changeSchema = z.object({
  table: tableName,
  id: rowId,
  version: z.number().int().min(1),
  deleted: z.boolean(),
  /** The row (see tables.ts); absent for a deletion. Validated per table by the kiosk. */
  data: z.unknown().optional(),
});
export type Change = z.infer<typeof changeSchema>;

export const pullResponseSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('changes'),
    epoch: z.string(),
    /** The community's version when the page was read. */
    head: z.number().int().min(0),
    changes: z.array(changeSchema),
    next: cursorSchema,
    hasMore: z.boolean(),
    /** Server time, seconds: the kiosk's "last trusted time". */
    serverTime: z.number().int(),
    /**
     * On the first page of a full pull (cursor at version 0) only: how many rows the whole pull
     * holds, for the kiosk's progress bar. Optional: older servers do not send it.
     */
    total: z.number().int().min(0).optional(),
  }),
  z.object({
    kind: z.literal('reset'),
    epoch: z.string(),
    reason: z.enum(['epoch', 'horizon', 'ahead']),
    serverTime: z.number().int(),
  }),
]);
export type PullResponse = z.infer<typeof pullResponseSchema>;

/** Long-poll: answers as soon as the head passes `head`, or after `wait` seconds with the same. */
export const waitQuerySchema = z.object({
  head: z.coerce.number().int().min(0),
  wait: z.coerce.number().int().min(0).max(55).default(25),
});
export const waitResponseSchema = z.object({
  head: z.number().int().min(0),
  epoch: z.string(),
  /** Highest version of a revocation: a kiosk behind it pulls revocations at once. */
  revocationHead: z.number().int().min(0),
});

export const EVENT_TYPES = [
  'passage',
  'visitor.entry',
  'visitor.exit',
  'slip.use',
  'goods.refused',
  'outing.out',
  'outing.back',
  'incident',
  'shift.start',
  'shift.end',
  'kiosk.note',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const gateEventSchema = z
  .object({
    id: z.string().regex(ULID_PATTERN, 'must be a ULID'),
    /** Per installation, from 1, without gaps: a gap tells the office something never arrived. */
    seq: z.number().int().min(1),
    /** Not an enum here: an event of a type this server does not know is rejected, not refused. */
    type: z.string().min(1).max(40),
    /** Device time when it happened, milliseconds, and the device's UTC offset in minutes. */
    at: z.number().int().min(0),
    tzOffset: z.number().int().min(-840).max(840),
    guardId: z
      .string()
      .regex(/^[0-9A-Za-z_-]{1,64}$/)
      .nullable()
      .default(null),
    payload: z.record(z.string(), z.unknown()),
  })
  .strict();
export type GateEvent = z.infer<typeof gateEventSchema>;

export const pushRequestSchema = z
  .object({
    installationId: z.string().regex(ULID_PATTERN, 'must be a ULID'),
    schema: z.number().int().min(1).default(SYNC_SCHEMA_VERSION),
    appVersion: lineText(40).default(''),
    /** Events still in the outbox after this batch, for the office's device list. */
    pending: z.number().int().min(0).default(0),
    events: z.array(gateEventSchema).min(1).max(MAX_PUSH_EVENTS),
  })
  .strict();
export type PushRequest = z.infer<typeof pushRequestSchema>;

export const eventResultSchema = z.object({
  id: z.string(),
  status: z.enum(['accepted', 'duplicate', 'rejected']),
  reason: z.string().optional(),
});
export type EventResult = z.infer<typeof eventResultSchema>;

export const pushResponseSchema = z.object({
  results: z.array(eventResultSchema),
  serverTime: z.number().int(),
});
export type PushResponse = z.infer<typeof pushResponseSchema>;

/** A kiosk announces its installation when it starts on a new (or wiped) database. */
export const installationRequestSchema = z
  .object({
    installationId: z.string().regex(ULID_PATTERN, 'must be a ULID'),
    appVersion: lineText(40).default(''),
    storage: z
      .object({ usage: z.number().min(0), quota: z.number().min(0), persisted: z.boolean() })
      .optional(),
  })
  .strict();
