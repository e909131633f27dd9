/**
 * The gate in end-to-end tests and benchmarks, for every feature that scans something (cards here;
 * visitor invitations and release slips reuse it):
 *
 * - `GateOffice`: the office (support/office.ts `Office`) with what a gate test sets up: a
 *   community of the test's own, households imported as the office imports them, cards issued
 *   through the office's own card API (the server signs them; `code` is the printed QR text),
 *   revocations, a code forged from a real one, guards with PINs, and the passages the server
 *   stored. Guards and key-household rows are written by the server's own store functions in
 *   one transaction (`Office.write`), so a test chooses the guards' ids.
 * - `openGate`: a Chromium whose fake camera plays a video written from codes (support/video.ts),
 *   a kiosk enrolled from the office's link with its first pull done, and a record of every
 *   verdict the page showed (DESIGN §3.5 hooks), so a test can read one that already cleared.
 *
 * The camera file is fixed per browser launch (a command-line flag), so each `openGate` launches
 * its own browser; close it with `gate.close()`.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, expect, type Browser, type Page } from '@playwright/test';
import { decodeBase45, encodeBase45 } from '../../../src/domain/base45';
import { concatBytes, toBase64Url } from '../../../src/domain/bytes';
import type { CardWindow } from '../../../src/domain/credential/body';
import { CODE_PREFIX, signedMessage } from '../../../src/domain/credential/code';
import {
  generateSigningKeyPair,
  sign,
  SIGNATURE_LENGTH,
} from '../../../src/domain/credential/es256';
import type { CommunitySettings } from '../../../src/domain/community';
import type { PassagePayload } from '../../../src/domain/events';
import type { CardRole, SyncedRow } from '../../../src/domain/sync/tables';
import { saveGuards, type GuardInput } from '../../../src/server/store/guards';
import { portraitJpeg, residentId } from '../../support/cards';
import { chromiumLaunchOptions } from './chromium';
import { Office } from './office';
import { startServer, type ServerHandle } from './server';
import { writeY4m, type Shot, type VideoOptions } from './video';

export const ALL_DAY: CardWindow = { weekdays: 0x7f, startQuarter: 0, endQuarter: 96 };
export const FAKE_CAMERA = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'];

export interface CardSpec {
  holderName?: string;
  role?: CardRole;
  /** Employer households (ids from `households`); at least one, as the office requires. */
  householdIds: string[];
  /** Seconds. The office allows a start up to 7 days back and an end in the future. */
  validFrom: number;
  validUntil: number;
  window?: CardWindow;
  /** The holder's mobile number; the gate receives only its keyed hash. */
  phone?: string;
}

export interface IssuedCard {
  serial: number;
  code: string;
  photoHash: string | null;
}

let idCounter = 0;
/** A different valid resident ID number per card (the office allows one live card per person). */
function nextIdNumber(): string {
  idCounter += 1;
  const birth = `19${String(50 + (idCounter % 40)).padStart(2, '0')}0101`;
  return residentId(`110105${birth}${String(idCounter % 1000).padStart(3, '0')}`);
}

export class GateOffice extends Office {
  private async ok<T>(res: Response, what: string): Promise<T> {
    if (!res.ok) throw new Error(`${what}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  async createCommunity(name: string, settings: Partial<CommunitySettings> = {}): Promise<number> {
    const res = await this.api('/communities', { method: 'POST', json: { name, settings } });
    return (await this.ok<{ id: number }>(res, 'create community')).id;
  }

  /** The enrollment URL a kiosk opens (what the office's QR holds). */
  async enrollmentUrl(communityId: number, name = '东门'): Promise<string> {
    return (await this.enrollment(name, communityId)).url;
  }

  /**
   * Imports households (`3-2-1201` style addresses) through the office's CSV import; returns
   * their ids in the same order.
   */
  async households(communityId: number, addresses: string[]): Promise<string[]> {
    const lines = addresses.map((a) => `${a.split('-').join(',')},业主`);
    const csv = ['楼栋,单元,房号,类型', ...lines].join('\n');
    await this.ok(
      await this.api(`/communities/${communityId}/households/import`, {
        method: 'POST',
        json: { file: toBase64Url(new TextEncoder().encode(csv)) },
      }),
      'household import',
    );
    const ids: string[] = [];
    for (const a of addresses) {
      const found = await this.ok<{ items: Array<{ id: string }> }>(
        await this.api(`/communities/${communityId}/households?q=${encodeURIComponent(a)}`),
        'household search',
      );
      ids.push(found.items[0]!.id);
    }
    return ids;
  }

  /** Issues a card through the office's card API, with a portrait: the server signs the code. */
  async issueCard(communityId: number, spec: CardSpec): Promise<IssuedCard> {
    const card = await this.ok<{ serial: number; code?: string; photoHash: string | null }>(
      await this.api(`/communities/${communityId}/cards`, {
        method: 'POST',
        json: {
          holderName: spec.holderName ?? '王秀英',
          role: spec.role ?? 'nanny',
          idType: 'resident_card',
          idNumber: nextIdNumber(),
          phone: spec.phone ?? '',
          householdIds: spec.householdIds,
          window: spec.window ?? ALL_DAY,
          validFrom: spec.validFrom,
          validUntil: spec.validUntil,
          photo: toBase64Url(portraitJpeg()),
        },
      }),
      'issue card',
    );
    return { serial: card.serial, code: card.code!, photoHash: card.photoHash };
  }

  async revokeCard(
    communityId: number,
    serial: number,
    reason: 'lost' | 'left_job' | 'misuse' | 'other',
    note = '',
  ): Promise<void> {
    await this.ok(
      await this.api(`/communities/${communityId}/cards/${serial}/revoke`, {
        method: 'POST',
        json: { reason, note },
      }),
      'revoke card',
    );
  }

  async keyHousehold(
    communityId: number,
    householdId: string,
    data: Partial<SyncedRow<'keyHousehold'>>,
  ): Promise<void> {
    await this.write(communityId, (w) =>
      w.put('keyHousehold', [
        { id: householdId, data: { householdId, instructions: [], note: '', ...data } },
      ]),
    );
  }

  async guards(communityId: number, guards: GuardInput[]): Promise<void> {
    await this.write(communityId, (w, trx) => saveGuards(trx, w, Date.now(), 'e2e', guards));
  }

  /** The passage events the server stored for the community, in the order received. */
  async passages(communityId: number): Promise<Array<PassagePayload & { id: string }>> {
    const s = await this.store();
    const rows = await s.db
      .selectFrom('event')
      .select(['id', 'payload'])
      .where('community_id', '=', communityId)
      .where('type', '=', 'passage')
      .orderBy('feed_version')
      .execute();
    return rows.map((r) => ({ id: r.id, ...(JSON.parse(r.payload) as PassagePayload) }));
  }
}

/**
 * A real code with its signature replaced by one from a key nobody trusts: what someone with a
 * copy of a genuine card and no signing key can make (the body, key id included, is the real one).
 */
export async function forgeFrom(code: string): Promise<string> {
  const bytes = decodeBase45(code.slice(CODE_PREFIX.length));
  const body = bytes.slice(0, bytes.length - SIGNATURE_LENGTH);
  const forger = await generateSigningKeyPair();
  const signature = await sign(forger.privateKey, signedMessage(body));
  return CODE_PREFIX + encodeBase45(concatBytes(body, signature));
}

/**
 * A second office on a backup of the first one's data (the same community and signing keys): a
 * card it issues is genuine, but the gates fed by the first office never hear of it.
 */
export async function startOfficeCopy(
  server: ServerHandle,
  env: Record<string, string>,
): Promise<{ office: GateOffice; server: ServerHandle }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gatepost-e2e-copy-'));
  const backup = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'src/server/cli.ts', 'backup', path.join(dataDir, 'gatepost.sqlite')],
    { env: { ...process.env, GATEPOST_DATA_DIR: server.dataDir }, encoding: 'utf8' },
  );
  if (backup.status !== 0) throw new Error(`backup: ${backup.stderr}`);
  copyFileSync(path.join(server.dataDir, 'master.key'), path.join(dataDir, 'master.key'));
  const copy = await startServer({ dataDir, env });
  const office = new GateOffice(copy);
  await office.signIn();
  return { office, server: copy };
}

/** A verdict as the page showed it (recorded in the page by `recordVerdicts`). */
export interface SeenVerdict {
  key: string;
  serial: string;
  verdict: string;
  reason: string;
  manual: string;
  /** performance.now() when it appeared. */
  at: number;
  /** Its text, as last shown. */
  text: string;
  /** Whether the holder's photo was shown at some point. */
  photo: boolean;
}

/** In the page: `Date` shifted by `offset` ms (the page's clock only; workers keep theirs). */
function shiftClock(offset: number) {
  const RealDate = Date;
  class ShiftedDate extends RealDate {
    constructor(...args: []) {
      if (args.length === 0) super(RealDate.now() + offset);
      else super(...args);
    }
    static override now() {
      return RealDate.now() + offset;
    }
  }
  globalThis.Date = ShiftedDate as DateConstructor;
}

/**
 * In the page: remembers every verdict as it appears and while it is up, and the kind of every
 * notice under the camera, so a test can read one that has already cleared itself (a green
 * verdict is up for 4 s, a notice for a few seconds).
 */
function recordVerdicts() {
  const seen: SeenVerdict[] = [];
  const notices: string[] = [];
  (globalThis as unknown as { __verdicts: SeenVerdict[] }).__verdicts = seen;
  (globalThis as unknown as { __notices: string[] }).__notices = notices;
  let notice: Element | null = null;
  new MutationObserver(() => {
    const shownNotice = document.querySelector<HTMLElement>('[data-testid=gate-notice]');
    if (shownNotice && shownNotice !== notice) notices.push(shownNotice.dataset.kind ?? '');
    notice = shownNotice;
    const el = document.querySelector<HTMLElement>('[data-testid=verdict]');
    if (!el) return;
    const d = el.dataset;
    let entry = seen.find((v) => v.key === d.key);
    if (!entry) {
      entry = {
        key: d.key ?? '',
        serial: d.serial ?? '',
        verdict: d.verdict ?? '',
        reason: d.reason ?? '',
        manual: d.manual ?? '',
        at: performance.now(),
        text: '',
        photo: false,
      };
      seen.push(entry);
    }
    entry.text = el.innerText;
    entry.photo ||= el.querySelector('[data-testid=verdict-photo]') !== null;
  }).observe(document, { childList: true, subtree: true, characterData: true });
}

export interface Gate {
  browser: Browser;
  page: Page;
  /** Console errors and uncaught exceptions on the page. */
  errors: string[];
  /** Every verdict shown so far, in order. */
  verdicts(): Promise<SeenVerdict[]>;
  /** The first verdict, once there is one. */
  first(): Promise<SeenVerdict>;
  /** The kinds of the notices shown under the camera so far (`data-kind`), in order. */
  notices(): Promise<string[]>;
  close(): Promise<void>;
}

export interface GateOptions {
  /** Where the video is written (a .y4m path). */
  video: string;
  videoOptions?: VideoOptions;
  /** The kiosk page's clock moved by this much, ms (a tablet whose clock is wrong). */
  clockShiftMs?: number;
  direction?: 'in' | 'out';
  /** Open the kiosk unenrolled (the video shows the enrollment QR) instead of the office's link. */
  enrollByCamera?: boolean;
  /** Extra Chromium flags. */
  args?: string[];
  /** How long the first complete pull may take, ms (60 s: a small community's copy). */
  firstSyncTimeoutMs?: number;
}

/**
 * A kiosk whose camera sees `shots` (looped), enrolled in the community through the office's
 * link, with its first pull done.
 */
export async function openGate(
  office: GateOffice,
  server: ServerHandle,
  communityId: number,
  shots: Shot[],
  opts: GateOptions,
): Promise<Gate> {
  writeY4m(opts.video, shots, opts.videoOptions);
  const browser = await chromium.launch({
    ...chromiumLaunchOptions([
      ...FAKE_CAMERA,
      `--use-file-for-fake-video-capture=${opts.video}`,
      ...(opts.args ?? []),
    ]),
    headless: true,
  });
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  if (opts.clockShiftMs) await context.addInitScript(shiftClock, opts.clockShiftMs);
  if (opts.direction) {
    await context.addInitScript(
      (d) => localStorage.setItem('gatepost.direction', d),
      opts.direction,
    );
  }
  await context.addInitScript(recordVerdicts);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(opts.enrollByCamera ? `${server.url}/` : await office.enrollmentUrl(communityId));
  await expect(page.getByTestId('sync-status')).not.toHaveAttribute('data-last-sync', '', {
    timeout: opts.firstSyncTimeoutMs ?? 60_000,
  });
  const verdicts = () =>
    page.evaluate(() => (globalThis as unknown as { __verdicts: SeenVerdict[] }).__verdicts);
  return {
    browser,
    page,
    errors,
    verdicts,
    first: async () => {
      await expect
        .poll(async () => (await verdicts()).length, { timeout: 60_000 })
        .toBeGreaterThan(0);
      return (await verdicts())[0]!;
    },
    notices: () =>
      page.evaluate(() => (globalThis as unknown as { __notices: string[] }).__notices),
    close: () => browser.close(),
  };
}
