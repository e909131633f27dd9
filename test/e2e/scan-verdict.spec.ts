/**
 * Scan and verdict at the gate, end to end: a real server process, the production build, and
 * Chromium's fake camera playing a video written in the test from codes the server's own key
 * signed (research qr.md §5). Each test has its own community (its settings and data), its own
 * browser (the camera file is fixed per launch) and a kiosk enrolled from the office's link.
 *
 * The kiosk's clock is moved, where a test needs it, by shifting `Date` in the page only (an init
 * script): the sync worker keeps the real time, as a tablet whose clock was set wrong would see
 * the server's. Playwright's `page.clock` would also fake the timers and animation frames the
 * camera loop runs on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { CardWindow } from '../../src/domain/credential/body';
import { isWithinWindow } from '../../src/domain/rules/time-window';
import {
  forgeFrom,
  GateOffice,
  openGate,
  startOfficeCopy,
  type Gate,
  type GateOptions,
} from './support/gate';
import { ADMIN_ENV } from './support/office';
import { startServer, type ServerHandle } from './support/server';
import type { Shot } from './support/video';

const DAY = 86_400;
const TZ = 'Asia/Shanghai';

// Each test starts a browser and enrolls a kiosk; on a busy two-core machine that takes a while.
test.describe.configure({ timeout: 120_000 });

let server: ServerHandle;
let office: GateOffice;
let videos: string;

test.beforeAll(async () => {
  server = await startServer({ env: ADMIN_ENV });
  office = new GateOffice(server);
  await office.signIn();
  videos = mkdtempSync(path.join(tmpdir(), 'gatepost-videos-'));
});
test.afterAll(async () => {
  await office.close();
  await server.stop();
  rmSync(videos, { recursive: true, force: true });
});

const nowS = () => Math.floor(Date.now() / 1000);

let open: Gate | null = null;
test.afterEach(async () => {
  await open?.close();
  open = null;
});

async function gate(
  communityId: number,
  shots: Shot[],
  opts: Omit<GateOptions, 'video'> = {},
): Promise<Gate> {
  open = await openGate(office, server, communityId, shots, {
    ...opts,
    video: path.join(videos, `c${communityId}.y4m`),
  });
  return open;
}

/** A community of the test's own with one employer household; returns both ids. */
async function community(name: string, settings = {}) {
  const c = await office.createCommunity(name, settings);
  const [home] = await office.households(c, ['5-1-802']);
  return { c, home: home! };
}

const verdictOf = (page: Page) => page.getByTestId('verdict');

/**
 * A code held up for a second, taken away for two, and held up again (the video loops): each
 * showing is a new verdict. Tests that act on a verdict use it, so a verdict that cleared itself
 * before a busy machine got to it is followed by another.
 */
const heldUpAgainAndAgain = (code: string): Shot[] => [
  { text: code, frames: 30 },
  { text: null, frames: 60 },
];

/** Once the guard's decision is stored: that passage, and every other one refused untouched. */
async function decided(communityId: number, decision: 'admitted' | 'refused') {
  await expect
    .poll(async () => (await office.passages(communityId)).some((p) => p.override !== null), {
      timeout: 30_000,
    })
    .toBe(true);
  const all = await office.passages(communityId);
  const [mine, ...more] = all.filter((p) => p.override !== null);
  expect(more).toEqual([]);
  expect(mine!.decision).toBe(decision);
  for (const p of all.filter((p) => p !== mine)) {
    expect(p).toMatchObject({ decision: 'refused', override: null });
  }
  return mine!;
}

/** The community's passages as the server stored them, once `n` have arrived. */
async function passages(communityId: number, n: number) {
  // A verdict nobody acts on is recorded when it clears itself (up to 10 s), then pushed.
  await expect
    .poll(async () => (await office.passages(communityId)).length, { timeout: 30_000 })
    .toBe(n);
  return office.passages(communityId);
}

/** In the page: how many photos the kiosk holds. */
function countPhotos(): Promise<number> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('gatepost-kiosk');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const count = open.result.transaction('photos').objectStore('photos').count();
      count.onsuccess = () => {
        resolve(count.result);
        open.result.close();
      };
      count.onerror = () => reject(count.error);
    };
  });
}

test('a valid card: green, the holder’s photo, employer and days left, the guard’s marker, and a passage recorded as admitted', async () => {
  const { c, home } = await community('通过');
  await office.keyHousehold(c, home, {
    instructions: ['note_visitors_and_times'],
    note: '夜间留意',
  });
  const card = await office.issueCard(c, {
    holderName: '王秀英',
    householdIds: [home],
    validFrom: nowS() - DAY,
    validUntil: nowS() + 3 * DAY - 60,
  });
  const g = await gate(c, [{ text: card.code, frames: 1 }]);
  const v = await g.first();
  expect(v).toMatchObject({
    verdict: 'allow',
    reason: 'ok',
    serial: String(card.serial),
    manual: 'false',
  });
  expect(v.text).toContain('通过');
  expect(v.text).toContain('王秀英');
  expect(v.text).toContain('保姆');
  expect(v.text).toContain('5栋1单元802');
  expect(v.text).toContain('还有 3 天到期');
  expect(v.text).toContain('此卡 3 天内到期');
  // The key-household marker: what to do, never why.
  expect(v.text).toContain('记录来访人员和进出时间；夜间留意');
  expect(v.text).not.toContain('重点户');
  // It clears itself, and its passage reaches the office.
  await expect(verdictOf(g.page)).toHaveCount(0, { timeout: 15_000 });
  const [p] = await passages(c, 1);
  expect(p).toMatchObject({
    serial: card.serial,
    credentialType: 'card',
    manual: false,
    direction: 'in',
    verdict: 'allow',
    reason: 'ok',
    decision: 'admitted',
    override: null,
    householdIds: [home],
  });
  // The photo is fetched after the rows; once the kiosk has it, the verdict shows it large.
  await expect.poll(() => g.page.evaluate(countPhotos), { timeout: 30_000 }).toBe(1);
  await g.page.getByTestId('manual-open').click();
  await g.page.locator('#manual-query').fill(String(card.serial));
  await g.page.locator('#manual-query').press('Enter');
  await expect.poll(async () => (await g.verdicts())[1]?.photo).toBe(true);
  expect(g.errors).toEqual([]);
});

test('an expired card: red, how long ago, recorded as refused (direction out)', async () => {
  const { c, home } = await community('过期');
  const card = await office.issueCard(c, {
    householdIds: [home],
    validFrom: nowS() - DAY,
    validUntil: nowS() + 3600,
  });
  // The kiosk's clock a day on: the card ended 23 hours before the kiosk's "now".
  const g = await gate(c, [{ text: card.code, frames: 1 }], {
    direction: 'out',
    clockShiftMs: DAY * 1000,
  });
  const v = await g.first();
  expect(v).toMatchObject({ verdict: 'deny', reason: 'expired' });
  expect(v.text).toMatch(/已过期 23 小时/);
  // Nobody acts: it clears itself, recorded as refused.
  const [p] = await passages(c, 1);
  expect(p).toMatchObject({ reason: 'expired', decision: 'refused', direction: 'out' });
  expect(await g.verdicts()).toHaveLength(1);
});

test('a revoked card: red with when and the office’s reason; a supervisor’s PIN admits, with the reason recorded', async () => {
  const { c, home } = await community('作废');
  await office.guards(c, [{ id: 'S1', name: '李主管', role: 'supervisor', pin: '2468' }]);
  const card = await office.issueCard(c, {
    householdIds: [home],
    validFrom: nowS() - DAY,
    validUntil: nowS() + 30 * DAY,
  });
  await office.revokeCard(c, card.serial, 'lost', '本人电话挂失');
  const g = await gate(c, heldUpAgainAndAgain(card.code));
  expect(await g.first()).toMatchObject({ verdict: 'deny', reason: 'revoked' });
  expect((await g.first()).text).toContain('作废：挂失 · 本人电话挂失');
  const v = verdictOf(g.page);

  await v.getByTestId('verdict-supervisor').click();
  const dialog = g.page.getByTestId('override-dialog');
  await dialog.locator('[data-preset=officeConfirmed]').click();
  await g.page.locator('#override-pin').fill('1111');
  await dialog.getByTestId('override-confirm').click();
  await expect(dialog.getByTestId('override-error')).toHaveText('PIN 不正确');
  await g.page.locator('#override-pin').fill('2468');
  await dialog.getByTestId('override-confirm').click();
  await expect(dialog).toHaveCount(0);
  expect(await decided(c, 'admitted')).toMatchObject({
    reason: 'revoked',
    verdict: 'deny',
    override: { reason: '已电话确认物业', by: 'supervisor', supervisorId: 'S1' },
  });
});

test('a forged code (a real card’s body, another key’s signature): red, forged', async () => {
  const { c, home } = await community('伪造');
  const card = await office.issueCard(c, {
    householdIds: [home],
    validFrom: nowS() - DAY,
    validUntil: nowS() + 30 * DAY,
  });
  const g = await gate(c, [{ text: await forgeFrom(card.code), frames: 1 }]);
  const v = await g.first();
  expect(v).toMatchObject({ verdict: 'deny', reason: 'forged' });
  expect(v.text).toContain('伪造');
  const [p] = await passages(c, 1);
  expect(p).toMatchObject({ reason: 'forged', decision: 'refused', serial: null });
});

test('a genuine card this kiosk has no record of: amber, check the ID card; the guard confirms with one tap', async () => {
  const { c, home } = await community('未知');
  // Issued by an office running on a backup of this one: the same keys, a card this gate's
  // office never heard of.
  const copy = await startOfficeCopy(server, ADMIN_ENV);
  let code: string;
  try {
    code = (
      await copy.office.issueCard(c, {
        householdIds: [home],
        validFrom: nowS() - DAY,
        validUntil: nowS() + 30 * DAY,
      })
    ).code;
  } finally {
    await copy.office.close();
    await copy.server.stop();
  }
  const g = await gate(c, heldUpAgainAndAgain(code));
  const v = await g.first();
  expect(v).toMatchObject({ verdict: 'check', reason: 'unknown_card' });
  expect(v.text).toContain('请核对身份证');
  await verdictOf(g.page).getByTestId('verdict-admit').click();
  expect(await decided(c, 'admitted')).toMatchObject({
    reason: 'unknown_card',
    verdict: 'check',
    override: { reason: '已核对身份证件', by: 'guard' },
  });
});

test('outside the card’s allowed hours: red, with the hours it allows', async () => {
  const { c, home } = await community('时段');
  const hour = Number(
    new Intl.DateTimeFormat('en-US', { timeZone: TZ, hour: 'numeric', hourCycle: 'h23' }).format(
      new Date(),
    ),
  );
  // Two hours starting six hours from now: far from now whatever the time of day.
  const window: CardWindow = {
    weekdays: 0x7f,
    startQuarter: ((hour + 6) % 24) * 4,
    endQuarter: ((hour + 8) % 24) * 4,
  };
  expect(isWithinWindow(window, nowS(), TZ)).toBe(false);
  const card = await office.issueCard(c, {
    householdIds: [home],
    validFrom: nowS() - DAY,
    validUntil: nowS() + 30 * DAY,
    window,
  });
  const g = await gate(c, [{ text: card.code, frames: 1 }]);
  const v = await g.first();
  expect(v).toMatchObject({ verdict: 'deny', reason: 'outside_hours' });
  expect(v.text).toContain(`每天 ${String((hour + 6) % 24).padStart(2, '0')}:00`);
});

test('data too old (past the office’s limit without a pull): amber, no automatic admission', async () => {
  const { c, home } = await community('数据过旧', { staleAmberHours: 1, staleDenyHours: 2 });
  const card = await office.issueCard(c, {
    householdIds: [home],
    validFrom: nowS() - DAY,
    validUntil: nowS() + 30 * DAY,
  });
  // The kiosk's clock three hours on: its last pull is three hours old.
  const g = await gate(c, heldUpAgainAndAgain(card.code), { clockShiftMs: 3 * 3600_000 });
  const v = await g.first();
  expect(v).toMatchObject({ verdict: 'check', reason: 'data_too_old' });
  expect(v.text).toContain('不能自动放行');
  // Admitting needs a reason.
  await verdictOf(g.page).getByTestId('verdict-admit').click();
  const dialog = g.page.getByTestId('override-dialog');
  await expect(dialog).toHaveAttribute('data-mode', 'admit');
  await dialog.getByTestId('override-confirm').click();
  await expect(dialog.getByTestId('override-error')).toHaveText('请选择或写明原因');
  await dialog.locator('[data-preset=checkedId]').click();
  await dialog.getByTestId('override-confirm').click();
  expect(await decided(c, 'admitted')).toMatchObject({
    reason: 'data_too_old',
    override: { reason: '已核对身份证件', by: 'guard' },
  });
});

test('the kiosk’s clock set back behind the last trusted time: amber, clock wrong, no automatic admission', async () => {
  const { c, home } = await community('时钟');
  const card = await office.issueCard(c, {
    householdIds: [home],
    validFrom: nowS() - Math.round(1.5 * DAY),
    validUntil: nowS() + 30 * DAY,
  });
  const g = await gate(c, [{ text: card.code, frames: 1 }], { clockShiftMs: -DAY * 1000 });
  const v = await g.first();
  expect(v).toMatchObject({ verdict: 'check', reason: 'clock_behind' });
  expect(v.text).toContain('本机时钟慢了');
});

test('a code held steadily in front of the camera gives one verdict and one passage', async () => {
  const { c, home } = await community('持续');
  const card = await office.issueCard(c, {
    householdIds: [home],
    validFrom: nowS() - DAY,
    validUntil: nowS() + 30 * DAY,
  });
  const g = await gate(c, [{ text: card.code, frames: 1 }]);
  const v = await g.first();
  expect(v.verdict).toBe('allow');
  // Still read 6 s after its verdict: past the repeat hold (4 s) and the verdict's own 4 s.
  const lastRead = async () =>
    Number(await g.page.getByTestId('camera').getAttribute('data-last-read'));
  await expect.poll(lastRead, { timeout: 60_000 }).toBeGreaterThan(v.at + 6000);
  expect(await g.verdicts()).toHaveLength(1);
  await passages(c, 1);
});

test('two different codes in a row give two verdicts and two passages', async () => {
  const { c, home } = await community('两张');
  const valid = { householdIds: [home], validFrom: nowS() - DAY, validUntil: nowS() + 30 * DAY };
  const a = await office.issueCard(c, { ...valid, holderName: '甲' });
  const b = await office.issueCard(c, { ...valid, holderName: '乙' });
  const g = await gate(c, [
    { text: a.code, frames: 20 },
    { text: b.code, frames: 20 },
  ]);
  await expect
    .poll(async () => (await g.verdicts()).length, { timeout: 60_000 })
    .toBeGreaterThan(1);
  const [first, second] = await g.verdicts();
  expect(new Set([first!.serial, second!.serial])).toEqual(
    new Set([String(a.serial), String(b.serial)]),
  );
  expect([first!.verdict, second!.verdict]).toEqual(['allow', 'allow']);
  await expect
    .poll(async () => new Set((await office.passages(c)).map((p) => p.serial)))
    .toEqual(new Set([a.serial, b.serial]));
});

test('the manual fallback: a serial typed in, a name, a mobile number; the same verdict, marked manual', async () => {
  const { c, home } = await community('手动');
  const card = await office.issueCard(c, {
    holderName: '赵丽华',
    phone: '13812345678',
    householdIds: [home],
    validFrom: nowS() - DAY,
    validUntil: nowS() + 30 * DAY,
  });
  const g = await gate(c, [{ text: null, frames: 1 }]);
  const v = verdictOf(g.page);
  const lookUp = async (query: string) => {
    await g.page.getByTestId('manual-open').click();
    await g.page.locator('#manual-query').fill(query);
    await g.page.locator('#manual-query').press('Enter');
  };

  const nth = async (n: number) => {
    await expect.poll(async () => (await g.verdicts()).length).toBe(n);
    // Each green verdict clears itself before the next lookup.
    await expect(v).toHaveCount(0, { timeout: 15_000 });
    return (await g.verdicts())[n - 1]!;
  };
  const serial = String(card.serial);

  await lookUp(serial);
  const bySerial = await nth(1);
  expect(bySerial).toMatchObject({ manual: 'true', verdict: 'allow', serial });
  expect(bySerial.text).toContain('手动查询');

  await lookUp('赵丽');
  await g.page.locator(`.manual-result[data-serial="${serial}"]`).click();
  expect(await nth(2)).toMatchObject({ manual: 'true', verdict: 'allow', serial });

  await lookUp('138 1234 5678');
  await g.page.locator(`.manual-result[data-serial="${serial}"]`).click();
  expect(await nth(3)).toMatchObject({ manual: 'true', verdict: 'allow', serial });

  // A serial the kiosk holds no card for: amber; nobody admits it, so it clears as refused.
  await lookUp('999');
  expect(await nth(4)).toMatchObject({ manual: 'true', verdict: 'check', reason: 'unknown_card' });

  const stored = await passages(c, 4);
  expect(stored.map((p) => [p.serial, p.manual, p.decision])).toEqual([
    [card.serial, true, 'admitted'],
    [card.serial, true, 'admitted'],
    [card.serial, true, 'admitted'],
    [999, true, 'refused'],
  ]);
  expect(g.errors).toEqual([]);
});

test('an unenrolled kiosk enrolls from the office’s QR code held up to its own camera', async () => {
  const c = await office.createCommunity('扫码登记');
  const url = await office.enrollmentUrl(c);
  const g = await gate(c, [{ text: url, frames: 1 }], { enrollByCamera: true });
  await expect(g.page.getByTestId('sync-status')).toHaveAttribute('data-state', 'up-to-date');
  // Still in view at the gate: named for what it is, not judged as a card.
  await expect.poll(() => g.notices(), { timeout: 30_000 }).toContain('enrollment');
  expect(await g.verdicts()).toEqual([]);
});
