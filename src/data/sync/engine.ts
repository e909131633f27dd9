/**
 * The kiosk's sync engine (DESIGN §3.4, research sync.md §1.2). One round:
 *   1. announce a new installation (a new kiosk, or one whose storage was wiped);
 *   2. push the outbox in batches; an event leaves the outbox only on the server's answer,
 *      accepted and duplicate ones are kept as sent, rejected ones go to the dead letter;
 *   3. pull the revocation stream (revocations and the key list) into the active set;
 *   4. pull the main stream to the head, each page validated and then applied with its cursor in
 *      one transaction; a `reset` rebuilds the inactive set and switches when it is complete;
 *   5. fetch a few wanted photos; report storage use when it matters.
 * `run()` repeats rounds, long-polls the server between them (its answer is the push hint that
 * starts the next pull at once), and backs off exponentially while requests fail. One engine runs
 * per kiosk: the caller holds a Web Lock around `run()`.
 *
 * Errors: network trouble (NetworkError) is retried with backoff; a revoked or forgotten device
 * and an incompatible server stop the engine and are recorded in meta for the indicator; anything
 * else is not caught here (a crash in tests, a bug in production is retried like the network).
 */
import { purgeRegisters } from '../register-retention';
import { purgeVisitors } from '../visitors';
import {
  DEFAULT_PULL_LIMIT,
  MAX_PUSH_EVENTS,
  pushResponseSchema,
  START_CURSOR,
  waitResponseSchema,
  type Cursor,
  type GateEvent,
  type PullResponse,
} from '../../domain/sync/protocol';
import { keptAfterDelivery } from '../../domain/events';
import { PRIORITY_TABLES } from '../../domain/sync/tables';
import type { DeviceCredential, KioskDb, OutboxEvent, RebuildState } from '../db';
import {
  applyFeedPage,
  applyPriorityPage,
  applyRebuildPage,
  beginRebuild,
  clearSet,
  finishRebuild,
  SortedRebuild,
  StreamMovedError,
  type PageToApply,
} from './apply';
import { gateSettings } from '../synced-rows';
import { fetchPhotos } from './photos';
import {
  NetworkError,
  RefusedError,
  RevokedError,
  Transport,
  UnauthorizedError,
  UpdateRequiredError,
  type FetchLike,
} from './transport';
import { checkKeyLists, parsePullAnswer, validateChanges, type ChangesPage } from './validate';

export type StepHook = (name: string, detail?: unknown) => void | Promise<void>;

export interface EngineDeps {
  db: KioskDb;
  fetch: FetchLike;
  /** Origin of the server, without a trailing slash ('' for the page's own origin). */
  baseUrl: string;
  now: () => number;
  appVersion: string;
  pageLimit?: number;
  pushBatch?: number;
  photosPerRound?: number;
  /** Long-poll length, seconds. */
  waitSeconds?: number;
  /** Test hook: called between steps (a test may throw from it to simulate a crash). */
  step?: StepHook;
  onStatus?: (status: EngineStatus) => void;
  storageEstimate?: () => Promise<{ usage: number; quota: number; persisted: boolean } | null>;
  random?: () => number;
}

export type StopReason = 'revoked' | 'unauthorized' | 'update_required' | 'not_enrolled';

export interface EngineStatus {
  phase: 'starting' | 'pushing' | 'pulling' | 'rebuilding' | 'photos' | 'waiting' | 'backoff';
  connection: 'unknown' | 'ok' | 'failing';
  failures: number;
  lastError: string;
  /** When the next attempt is due while backing off, ms. */
  retryAt: number | null;
  /** During a first sync or a rebuild: rows so far, rows expected, photos left, time left. */
  progress: {
    rows: number;
    total: number | null;
    photosLeft: number;
    etaMs: number | null;
  } | null;
  stopped: StopReason | null;
}

export class NotEnrolledError extends Error {
  override name = 'NotEnrolledError';
}

export const BACKOFF_MIN_MS = 1000;
export const BACKOFF_MAX_MS = 30_000;
/** During a long rebuild the revocation stream is still pulled this often. */
const PRIORITY_EVERY_MS = 5000;
const STORAGE_REPORT_EVERY_MS = 6 * 3600_000;
/** Storage use above this share of the quota is reported to the office at once. */
export const STORAGE_WARN_SHARE = 0.8;

function toWire(e: OutboxEvent): GateEvent {
  return {
    id: e.id,
    seq: e.seq,
    type: e.type,
    at: e.at,
    tzOffset: e.tzOffset,
    guardId: e.guardId,
    payload: e.payload,
  };
}

export class SyncEngine {
  readonly status: EngineStatus = {
    phase: 'starting',
    connection: 'unknown',
    failures: 0,
    lastError: '',
    retryAt: null,
    progress: null,
    stopped: null,
  };
  private wake: (() => void) | null = null;
  private backoffWake: (() => void) | null = null;
  private nudged = false;
  private lastPriorityAt = 0;
  private sorted: SortedRebuild | null = null;
  private readonly pageLimit: number;
  private readonly pushBatch: number;

  constructor(private readonly deps: EngineDeps) {
    this.pageLimit = deps.pageLimit ?? DEFAULT_PULL_LIMIT;
    this.pushBatch = deps.pushBatch ?? 200;
  }

  private get db() {
    return this.deps.db;
  }

  private emit(patch: Partial<EngineStatus>) {
    Object.assign(this.status, patch);
    this.deps.onStatus?.({ ...this.status });
  }

  private async step(name: string, detail?: unknown) {
    await this.deps.step?.(name, detail);
  }

  /** Something was recorded (or the network came back): sync now rather than at the next poll. */
  nudge(): void {
    this.nudged = true;
    this.wake?.();
  }

  private async transport(): Promise<{ transport: Transport; device: DeviceCredential }> {
    const device = await this.db.getMeta('device');
    const state = await this.db.getMeta('deviceState');
    if (!device || state === 'unauthorized') throw new NotEnrolledError('not enrolled');
    if (state === 'revoked') throw new RevokedError('revoked');
    const transport = new Transport(
      this.deps.baseUrl,
      this.deps.fetch,
      () => device.token,
      this.deps.appVersion,
    );
    return { transport, device };
  }

  /** One full round. Throws on failure (see the module comment for the kinds). */
  async round(): Promise<{ morePhotos: boolean; head: number; revocationCursor: number }> {
    this.nudged = false;
    try {
      const { transport, device } = await this.transport();
      await this.announce(transport);
      this.emit({ phase: 'pushing' });
      await this.pushAll(transport);
      this.emit({ phase: 'pulling' });
      await this.pullPriority(transport, device);
      await this.pullFeed(transport, device);
      // Events recorded during a long pull, or sent again after a restored server's reset.
      if ((await this.db.outbox.count()) > 0) await this.pushAll(transport);
      this.emit({ phase: 'photos' });
      const photosLeft = await fetchPhotos(
        this.db,
        transport,
        this.deps.now,
        this.deps.photosPerRound ?? 50,
      );
      await this.reportStorage(transport);
      await this.pruneSent();
      await this.db.putMeta('lastGoodRequestAt', this.deps.now());
      this.emit({
        connection: 'ok',
        failures: 0,
        lastError: '',
        retryAt: null,
        progress:
          photosLeft > 0 && this.status.progress ? { ...this.status.progress, photosLeft } : null,
      });
      const feed = await this.db.getMeta('feed');
      const priority = await this.db.getMeta('priority');
      return {
        morePhotos: photosLeft > 0,
        head: feed?.head ?? 0,
        revocationCursor: priority?.cursor.version ?? 0,
      };
    } catch (e) {
      await this.recordStop(e);
      throw e;
    }
  }

  private async recordStop(e: unknown) {
    if (e instanceof RevokedError) {
      await this.db.putMeta('deviceState', 'revoked');
      this.emit({ stopped: 'revoked' });
    } else if (e instanceof UnauthorizedError) {
      await this.db.putMeta('deviceState', 'unauthorized');
      this.emit({ stopped: 'unauthorized' });
    } else if (e instanceof UpdateRequiredError) {
      await this.db.putMeta('updateRequired', { detail: e.message, at: this.deps.now() });
      this.emit({ stopped: 'update_required' });
    } else if (e instanceof NotEnrolledError) {
      this.emit({ stopped: 'not_enrolled' });
    }
  }

  private async announce(transport: Transport) {
    const inst = await this.db.getMeta('installation');
    if (!inst || inst.announced) return;
    const storage = (await this.deps.storageEstimate?.()) ?? undefined;
    await transport.postJson('/api/sync/installations', {
      installationId: inst.id,
      appVersion: this.deps.appVersion,
      ...(storage ? { storage } : {}),
    });
    await this.step('installation.announced', inst.id);
    await this.db.transaction('rw', this.db.meta, async () => {
      const now = await this.db.getMeta('installation');
      if (now?.id === inst.id) await this.db.putMeta('installation', { ...now, announced: true });
    });
  }

  private async pushAll(transport: Transport) {
    let single = false;
    for (;;) {
      const head = await this.db.outbox
        .orderBy('[inst+seq]')
        .limit(single ? 1 : this.pushBatch)
        .toArray();
      if (head.length === 0) return;
      const inst = head[0]!.inst;
      const batch = head.filter((e) => e.inst === inst).slice(0, MAX_PUSH_EVENTS);
      const pending = (await this.db.outbox.count()) - batch.length;
      let body: unknown;
      try {
        body = await transport.postJson('/api/sync/push', {
          installationId: inst,
          appVersion: this.deps.appVersion,
          pending,
          events: batch.map(toWire),
        });
      } catch (e) {
        if (!(e instanceof RefusedError)) {
          await this.noteAttempt(batch, e);
          throw e;
        }
        // The server refused the whole batch (an event it cannot even read, a body too large):
        // send one at a time so that one bad event cannot hold the others back.
        if (batch.length > 1) {
          single = true;
          continue;
        }
        await this.settle(batch, [
          {
            id: batch[0]!.id,
            status: 'rejected',
            reason: `refused: ${e.code || e.status}: ${e.message}`,
          },
        ]);
        continue;
      }
      const parsed = pushResponseSchema.safeParse(body);
      if (!parsed.success) throw new UpdateRequiredError('push answer not understood');
      await this.step(
        'push.answered',
        batch.map((e) => e.id),
      );
      await this.settle(batch, parsed.data.results);
    }
  }

  /**
   * Counts a failed delivery on each event of the batch, in one bulk request: the recording
   * transaction also needs the outbox, and a kiosk offline for a day has a long batch (an update
   * per event held the store for hundreds of ms and made the guard's "saved" wait).
   */
  private async noteAttempt(batch: OutboxEvent[], e: unknown) {
    const message = (e as Error).message ?? String(e);
    await this.db.outbox.bulkUpdate(
      batch.map((ev) => ({
        key: ev.id,
        changes: { attempts: ev.attempts + 1, lastError: message },
      })),
    );
  }

  /** Moves answered events out of the outbox, in one transaction; unanswered ones stay. */
  private async settle(
    batch: OutboxEvent[],
    results: ReadonlyArray<{ id: string; status: string; reason?: string | undefined }>,
  ) {
    const byId = new Map(batch.map((e) => [e.id, e]));
    const now = this.deps.now();
    const moved: string[] = [];
    await this.db.transaction(
      'rw',
      [this.db.outbox, this.db.sent, this.db.deadLetter],
      async () => {
        for (const r of results) {
          const e = byId.get(r.id);
          if (!e) continue;
          const { attempts: _a, lastError: _l, ...event } = e;
          if (r.status === 'accepted' || r.status === 'duplicate') {
            await this.db.sent.put({
              ...event,
              payload: keptAfterDelivery(event.type, event.payload),
              status: r.status,
              ackedAt: now,
            });
          } else {
            await this.db.deadLetter.put({
              ...event,
              reason: r.reason ?? 'rejected',
              rejectedAt: now,
            });
          }
          await this.db.outbox.delete(e.id);
          moved.push(e.id);
        }
      },
    );
    await this.step('push.acked', moved);
  }

  private async fetchPage(
    transport: Transport,
    epoch: string,
    cursor: Cursor,
    tables?: readonly string[],
  ): Promise<PullResponse> {
    const body = await transport.getJson('/api/sync/pull', {
      epoch,
      version: cursor.version,
      table: cursor.table,
      id: cursor.id,
      horizon: cursor.horizon ?? 0,
      limit: this.pageLimit,
      ...(tables ? { tables: tables.join(',') } : {}),
    });
    return parsePullAnswer(body);
  }

  private async prepare(
    page: ChangesPage,
    device: DeviceCredential,
  ): Promise<{ toApply: PageToApply; trusted: Awaited<ReturnType<typeof checkKeyLists>> }> {
    const changes = validateChanges(page.changes);
    const trusted = await checkKeyLists(
      changes,
      { publicKey: device.rootPublicKey, communityId: device.communityId },
      await this.db.getMeta('trustedKeyList'),
    );
    return {
      toApply: {
        epoch: page.epoch,
        head: page.head,
        next: page.next,
        hasMore: page.hasMore,
        changes: trusted.changes,
        serverTime: page.serverTime,
        total: page.total,
      },
      trusted,
    };
  }

  private async pullPriority(transport: Transport, device: DeviceCredential) {
    this.lastPriorityAt = this.deps.now();
    let p = (await this.db.getMeta('priority')) ?? { epoch: '', cursor: START_CURSOR };
    for (let pages = 0; pages < 1000; pages++) {
      const ans = await this.fetchPage(transport, p.epoch, p.cursor, PRIORITY_TABLES);
      if (ans.kind === 'reset') {
        p = { epoch: ans.epoch, cursor: START_CURSOR };
        await this.db.putMeta('priority', p);
        await this.step('priority.reset', ans.reason);
        continue;
      }
      const { toApply, trusted } = await this.prepare(ans, device);
      await applyPriorityPage(this.db, p, toApply, {
        now: this.deps.now(),
        trustedKeyList: trusted.trusted,
        keyListRefused: trusted.refused,
      });
      p = { epoch: ans.epoch, cursor: ans.next };
      await this.step('priority.applied', p);
      if (!ans.hasMore) return;
    }
  }

  private async pullFeed(transport: Transport, device: DeviceCredential) {
    for (;;) {
      const feed = await this.db.getMeta('feed');
      let rebuild = await this.db.getMeta('rebuild');
      // The first epoch this kiosk learns may not be the one that answered its first pushes (a
      // server restored before the first pull completed): answered events are sent again then
      // too. A new kiosk has none, so this costs nothing.
      if (!feed && !rebuild) rebuild = await beginRebuild(this.db, '', this.deps.now(), true);
      if (rebuild?.complete) {
        await this.finishRebuild(rebuild);
        continue;
      }
      const from = rebuild
        ? { epoch: rebuild.epoch, cursor: rebuild.cursor }
        : { epoch: feed!.epoch, cursor: feed!.cursor };
      const reset = await this.pullFrom(transport, device, from, rebuild ? 'rebuild' : 'feed');
      if (!reset) return;
      // Data of another epoch (a restored or re-seeded server) or a cursor it cannot follow:
      // rebuild. After a restore the server may have lost events it had acknowledged; they go
      // back to the outbox (the server keeps each id once).
      this.sorted = null;
      await beginRebuild(this.db, reset.epoch, this.deps.now(), reset.reason !== 'horizon');
      await this.step('rebuild.begun', reset.reason);
    }
  }

  /**
   * Pulls pages of one stream to the head, fetching the next page while the current one is
   * written. Returns a reset answer, or null when the head was reached.
   */
  private async pullFrom(
    transport: Transport,
    device: DeviceCredential,
    from: { epoch: string; cursor: Cursor },
    mode: 'feed' | 'rebuild',
  ): Promise<Extract<PullResponse, { kind: 'reset' }> | null> {
    let next: Promise<PullResponse> | null = this.fetchPage(transport, from.epoch, from.cursor);
    try {
      while (next) {
        const ans: PullResponse = await next;
        next = null;
        if (ans.kind === 'reset') return ans;
        if (ans.hasMore) {
          next = this.fetchPage(transport, ans.epoch, ans.next);
          // Handled here at once: it may fail while this page is still being written (it is
          // awaited, and its failure seen, on the next turn of the loop).
          next.catch(() => undefined);
        }
        const { toApply, trusted } = await this.prepare(ans, device);
        let staged: RebuildState | null = null;
        const ctx = {
          now: this.deps.now(),
          trustedKeyList: trusted.trusted,
          keyListRefused: trusted.refused,
        };
        if (mode === 'feed') {
          const expected = await this.db.getMeta('feed');
          if (!expected) throw new StreamMovedError('no feed');
          await applyFeedPage(
            this.db,
            { ...expected, epoch: from.epoch, cursor: from.cursor },
            toApply,
            ctx,
          );
        } else {
          const expected = await this.db.getMeta('rebuild');
          if (!expected) throw new StreamMovedError('no rebuild');
          staged = await applyRebuildPage(
            this.db,
            { ...expected, epoch: from.epoch, cursor: from.cursor },
            toApply,
            ctx,
          );
          this.sorted = SortedRebuild.follow(this.sorted, staged, toApply.changes);
          this.rebuildProgress(staged.startedAt, staged.done, staged.total);
        }
        from = { epoch: ans.epoch, cursor: ans.next };
        await this.step(mode === 'feed' ? 'feed.applied' : 'rebuild.applied', {
          ...from,
          hasMore: ans.hasMore,
        });
        if (staged?.complete) await this.finishRebuild(staged);
        if (ans.hasMore && this.deps.now() - this.lastPriorityAt > PRIORITY_EVERY_MS) {
          await this.pullPriority(transport, device);
        }
      }
      return null;
    } finally {
      // A page fetched ahead and no longer wanted: its failure must not go unhandled.
      if (next) (next as Promise<PullResponse>).catch(() => undefined);
    }
  }

  /** The staged rebuild into its set, the switch, and the old set emptied. */
  private async finishRebuild(rebuild: RebuildState) {
    const { switched } = await finishRebuild(this.db, rebuild, this.deps.now(), this.sorted);
    this.sorted = null;
    await this.step('rebuild.switched', rebuild.set);
    if (switched) await clearSet(this.db, switched);
  }

  private rebuildProgress(startedAt: number, rows: number, total: number | null) {
    const elapsed = this.deps.now() - startedAt;
    const rate = elapsed > 0 ? rows / elapsed : 0;
    const etaMs = total !== null && rate > 0 ? Math.max(0, (total - rows) / rate) : null;
    this.emit({ phase: 'rebuilding', progress: { rows, total, photosLeft: 0, etaMs } });
  }

  private async reportStorage(transport: Transport) {
    if (!this.deps.storageEstimate) return;
    const now = this.deps.now();
    const last = await this.db.getMeta('storage');
    if (last && now - last.at < 10 * 60_000) return;
    const est = await this.deps.storageEstimate();
    if (!est) return;
    const high = est.quota > 0 && est.usage / est.quota >= STORAGE_WARN_SHARE;
    const wasHigh = last ? last.quota > 0 && last.usage / last.quota >= STORAGE_WARN_SHARE : false;
    let reportedAt = last?.reportedAt ?? 0;
    const inst = await this.db.getMeta('installation');
    if (inst && (now - reportedAt > STORAGE_REPORT_EVERY_MS || high !== wasHigh)) {
      await transport.postJson('/api/sync/installations', {
        installationId: inst.id,
        appVersion: this.deps.appVersion,
        storage: est,
      });
      reportedAt = now;
    }
    await this.db.putMeta('storage', { ...est, at: now, reportedAt });
  }

  /**
   * Acknowledged events, the visitor register's acknowledged entries and the other registers' rows
   * are kept for the guard to look up for the community's kiosk retention, then deleted.
   */
  private async pruneSent() {
    const days = (await gateSettings(this.db))?.kioskRetentionDays;
    if (!days) return;
    await this.db.sent
      .where('ackedAt')
      .below(this.deps.now() - days * 86_400_000)
      .delete();
    await purgeVisitors(this.db, this.deps.now(), days);
    await purgeRegisters(this.db, this.deps.now(), days);
  }

  /** Waits for the server's hint that something changed, or a nudge. */
  private async waitForChange(transport: Transport, head: number): Promise<void> {
    const ctrl = new AbortController();
    this.wake = () => ctrl.abort();
    if (this.nudged) return;
    this.emit({ phase: 'waiting' });
    const seconds = this.deps.waitSeconds ?? 25;
    try {
      const body = await transport.getJson(
        '/api/sync/wait',
        { head, wait: seconds },
        { signal: ctrl.signal, timeoutMs: (seconds + 15) * 1000 },
      );
      waitResponseSchema.parse(body);
    } catch (e) {
      if (!ctrl.signal.aborted) throw e;
    } finally {
      this.wake = null;
    }
  }

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done);
      this.backoffWake = done;
    });
  }

  /** Rounds until stopped: by the signal, or for good (revoked, forgotten, update required). */
  async run(signal: AbortSignal): Promise<StopReason | null> {
    const random = this.deps.random ?? Math.random;
    let failures = 0;
    while (!signal.aborted) {
      try {
        const r = await this.round();
        failures = 0;
        if (r.morePhotos || this.nudged) continue;
        const { transport } = await this.transport();
        await this.waitForChange(transport, r.head);
      } catch (e) {
        if (
          e instanceof RevokedError ||
          e instanceof UnauthorizedError ||
          e instanceof UpdateRequiredError ||
          e instanceof NotEnrolledError
        ) {
          return this.status.stopped;
        }
        if (e instanceof StreamMovedError) continue;
        failures++;
        const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** (failures - 1));
        const delay = Math.round(base * (0.5 + random() / 2));
        this.emit({
          phase: 'backoff',
          connection: 'failing',
          failures,
          lastError: (e as Error).message ?? String(e),
          retryAt: this.deps.now() + delay,
        });
        if (!(e instanceof NetworkError)) console.error('[sync]', e);
        await this.sleep(delay, signal);
      }
    }
    return null;
  }

  /** The network came back (an `online` event): end a backoff early. */
  retryNow(): void {
    this.backoffWake?.();
    this.wake?.();
  }
}
