/**
 * The visitor register in Chromium against a real server: a new visitor registered by the guard
 * (inputs counted), a returning one by phone (taps counted), bad input beside each field and a
 * half-filled form surviving a reload, a watch-list match for the guard only, self-service and its
 * reset, an invitation (typed into the desk's code field, and shown to the fake camera), sign-out
 * three ways, the end of day, and the register in the office after sync (the ID number and the
 * photo opened there).
 *
 * The counts are written to test-results/visitor-figures.json for `npm run bench -- visitor`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import { portraitJpeg } from '../support/cards';
import { ADMIN } from './support/fixtures';
import { GateOffice, openGate } from './support/gate';
import { ADMIN_ENV, Office, StepCounter } from './support/office';
import { startServer, type ServerHandle } from './support/server';

const ID = '11010519491231002X';
const FIGURES = 'test-results/visitor-figures.json';

let server: ServerHandle;
let office: Office;
let page: Page;
const figures: Record<string, number> = {};

test.describe.configure({ mode: 'serial', timeout: 120_000 });

/** Rows of a synced table the kiosk holds in its active set (raw IndexedDB). */
async function kioskRows(p: Page, table: string): Promise<unknown[]> {
  return p.evaluate(async (t) => {
    const db = await new Promise<IDBDatabase>((ok, fail) => {
      const r = indexedDB.open('gatepost-kiosk');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    const get = <T>(store: string, key?: string) =>
      new Promise<T>((ok, fail) => {
        const req = key
          ? db.transaction(store).objectStore(store).get(key)
          : db.transaction(store).objectStore(store).getAll();
        req.onsuccess = () => ok(req.result as T);
        req.onerror = () => fail(req.error);
      });
    const feed = await get<{ v: { activeSet: string } } | undefined>('meta', 'feed');
    const rows = feed ? await get<unknown[]>(`${t}_${feed.v.activeSet}`) : [];
    db.close();
    return rows;
  }, table);
}

const desk = () => page.getByTestId('visitor-desk');
const form = () => page.getByTestId('visitor-form');
const notice = () => page.getByTestId('visitor-notice');
const inside = () => page.getByTestId('inside-list');

async function pickHousehold(steps: StepCounter | null, text: string) {
  const input = form().locator('#visitor-household');
  if (steps) await steps.fill(input, text, 'unit');
  else await input.fill(text);
  const option = form().getByRole('option', { name: new RegExp(`^${text}`) });
  if (steps) await steps.click(option, 'unit suggestion');
  else await option.click();
}

test.beforeAll(async ({ browser }) => {
  server = await startServer({ env: ADMIN_ENV });
  office = new Office(server);
  await office.signIn();
  const key = await office.api('/communities/1/api-keys', {
    method: 'POST',
    json: { name: 'main', scopes: ['households:write'] },
  });
  const { key: secret } = (await key.json()) as { key: string };
  const put = await fetch(`${server.url}/api/integration/v1/households`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      households: [
        { externalId: 'H1', building: '3', unit: '2', room: '1201', occupancy: 'owner' },
        { externalId: 'H2', building: '5', unit: '1', room: '301', occupancy: 'tenant' },
      ],
    }),
  });
  expect(put.status).toBe(200);
  const context = await browser.newContext({ baseURL: server.url });
  page = await context.newPage();
  const { url } = await office.enrollment();
  await page.goto(url);
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'up-to-date', {
    timeout: 30_000,
  });
  await expect.poll(() => kioskRows(page, 'household').then((r) => r.length)).toBe(2);
});

test.afterAll(async () => {
  mkdirSync('test-results', { recursive: true });
  writeFileSync(FIGURES, JSON.stringify(figures, null, 2));
  await page.context().close();
  await office.close();
  await server.stop();
});

test('a new visitor registered by the guard in at most 8 inputs', async () => {
  const steps = new StepCounter();
  await steps.fill(form().getByLabel('姓名'), '王小明', 'name');
  await steps.fill(form().getByLabel('证件号码'), ID.toLowerCase(), 'ID number');
  await steps.fill(form().getByLabel('手机号'), '13812345678', 'phone');
  await pickHousehold(steps, '3-2-1201');
  await steps.click(form().getByRole('radio', { name: '探亲访友' }), 'reason');
  await steps.click(form().getByTestId('register'), 'register');
  await expect(notice()).toHaveText('已登记：王小明');
  figures['visitor.new_registration_inputs'] = steps.count;
  expect(steps.count).toBeLessThanOrEqual(8);
  const row = inside().locator('li', { hasText: '王小明' });
  await expect(row).toContainText('3-2-1201');
  // Nothing the kiosk keeps holds the number in clear.
  const stored = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((ok) => {
      const r = indexedDB.open('gatepost-kiosk');
      r.onsuccess = () => ok(r.result);
    });
    const all = await new Promise<unknown[]>((ok) => {
      const req = db.transaction('visitors').objectStore('visitors').getAll();
      req.onsuccess = () => ok(req.result as unknown[]);
    });
    db.close();
    return JSON.stringify(all) + JSON.stringify(localStorage);
  });
  expect(stored).toContain('110***********002X');
  expect(stored).not.toContain(ID);
  expect(stored).not.toContain(ID.toLowerCase());
});

test('every bad field gets its message beside it, and a half-filled form survives a reload', async () => {
  await form().getByLabel('姓名').fill('李四');
  await form().getByLabel('证件号码').fill('110105194912310021');
  await form().getByLabel('手机号').fill('12812345678');
  await form()
    .getByLabel(/车牌号/)
    .fill('粤BI2345');
  await form().getByLabel('人数').fill('0');
  await form().getByTestId('register').click();
  await expect(form().getByTestId('error-idNumber')).toHaveText('⚠ 校验位不对，请核对号码');
  await expect(form().getByTestId('error-phone')).toContainText('不是大陆手机号');
  await expect(form().getByTestId('error-householdId')).toHaveText('⚠ 必填');
  await expect(form().getByTestId('error-reason')).toHaveText('⚠ 必填');
  await expect(form().getByTestId('error-persons')).toContainText('1 到 50');
  await expect(form().getByTestId('error-plate')).toContainText('I、O');
  await expect(form().getByTestId('error-name')).toHaveText('');
  await expect(inside()).toHaveAttribute('data-count', '1');

  await page.reload();
  await expect(form().getByLabel('姓名')).toHaveValue('李四');
  await expect(form().getByLabel('手机号')).toHaveValue('12812345678');
  await expect(form().getByLabel(/车牌号/)).toHaveValue('粤BI2345');
  // The ID number is never written anywhere in clear: it is typed again.
  await expect(form().getByLabel('证件号码')).toHaveValue('');
  await page.getByRole('button', { name: '清空' }).click();
  await expect(form().getByLabel('姓名')).toHaveValue('');
});

test('a returning visitor is found by phone and registered in at most 3 taps', async () => {
  await inside().locator('li', { hasText: '王小明' }).getByRole('button', { name: '签退' }).click();
  await expect(notice()).toHaveText('已签退：王小明');
  await expect(inside()).toHaveAttribute('data-count', '0');

  await form().getByLabel('手机号').fill('138 1234 5678');
  const taps = new StepCounter();
  const card = desk().getByTestId('returning');
  await expect(card).toContainText('王小明 · 3-2-1201 · 证件 110***********002X');
  await taps.click(card.getByRole('button'), 'register as last time');
  await expect(notice()).toHaveText('已登记：王小明');
  figures['visitor.returning_registration_taps'] = taps.count;
  expect(taps.count).toBeLessThanOrEqual(3);
  await expect(inside()).toHaveAttribute('data-count', '1');

  // Signed out by phone.
  await inside().getByTestId('signout-phone').fill('13812345678');
  await inside().getByRole('button', { name: '签退' }).first().click();
  await expect(notice()).toHaveText('已签退：王小明');
  await expect(inside()).toHaveAttribute('data-count', '0');
});

test('a watch-list match is shown to the guard with the instruction, never to the visitor', async () => {
  const add = await office.api('/communities/1/watch-list', {
    method: 'POST',
    json: { level: 'deny', name: '赵六', phone: '13900001111', instruction: '禁止进入，通知主管' },
  });
  expect(add.status).toBe(201);
  await expect.poll(() => kioskRows(page, 'watch').then((r) => r.length)).toBe(1);

  await form().getByLabel('姓名').fill('赵六');
  await form().getByLabel('证件类型').selectOption('passport');
  await form().getByLabel('证件号码').fill('E12345678');
  await form().getByLabel('手机号').fill('13900001111');
  await pickHousehold(null, '5-1-301');
  await form().getByRole('radio', { name: '送货' }).click();
  await form().getByTestId('register').click();
  const match = desk().getByTestId('watch-match');
  await expect(match).toHaveAttribute('data-level', 'deny');
  await expect(match).toContainText('禁止名单：不得放行');
  await expect(match).toContainText('禁止进入，通知主管');
  await match.getByRole('button', { name: '拒绝进入' }).click();
  await expect(notice()).toHaveText('已记录拒绝进入：赵六');
  await expect(inside()).toHaveAttribute('data-count', '0');

  // The same person on the tablet in self-service: thanks, and nothing about the list.
  await desk().getByTestId('self-service-open').click();
  const self = page.getByTestId('self-service');
  await self.getByLabel('姓名').fill('赵六');
  await self.getByLabel('证件类型').selectOption('passport');
  await self.getByLabel('证件号码').fill('E12345678');
  await self.getByLabel('手机号').fill('13900001111');
  await self.locator('#visitor-household').fill('5-1');
  await self.getByRole('option', { name: /^5-1-301/ }).click();
  await self.getByRole('radio', { name: '探亲访友' }).click();
  await self.getByRole('button', { name: '提交' }).click();
  await expect(self.getByTestId('self-service-thanks')).toBeVisible();
  await expect(self).not.toContainText('禁止');
  page.once('dialog', (d) => void d.accept());
  await self.getByTestId('self-service-close').click();
  const alerts = desk().getByTestId('watch-alerts');
  await expect(alerts.locator('li')).toHaveCount(2);
  await expect(alerts.locator('li').first()).toContainText('赵六');
  await expect(alerts.locator('li').first()).toContainText('未放行');
});

test('an invitation fills the entry for one tap, signs its visitor out when shown again, and is refused once used', async () => {
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const res = await office.api('/communities/1/invitations', {
    method: 'POST',
    json: {
      name: '孙七',
      householdId: (
        (await kioskRows(page, 'household')) as Array<{ id: string; d: { room: string } }>
      ).find((h) => h.d.room === '1201')!.id,
      firstDay: today,
      lastDay: today,
      persons: 2,
      plate: '粤B·D12345',
    },
  });
  expect(res.status).toBe(201);
  const { code, serial } = (await res.json()) as { code: string; serial: number };
  await expect.poll(() => kioskRows(page, 'invitation').then((r) => r.length)).toBe(1);

  const entry = desk().getByTestId('invitation-entry');
  await entry.locator('input').fill(code);
  await entry.getByRole('button').click();
  await expect(form().getByTestId('invited')).toContainText(`邀请 No. ${serial}：孙七`);
  await expect(form().getByLabel('人数')).toHaveValue('2');
  await expect(form().getByTestId('chosen-household')).toHaveText('3-2-1201');
  const taps = new StepCounter();
  await taps.click(form().getByTestId('register'), 'confirm');
  await expect(notice()).toHaveText('已登记：孙七');
  expect(taps.count).toBe(1);
  await expect(inside().locator('li', { hasText: '孙七' })).toContainText('+1');

  await entry.locator('input').fill(code);
  await entry.getByRole('button').click();
  await expect(notice()).toHaveText('已签退：孙七');
  await expect(inside()).toHaveAttribute('data-count', '0');

  await entry.locator('input').fill(code);
  await entry.getByRole('button').click();
  await expect(notice()).toHaveText('邀请已经用过');
  await entry.locator('input').fill(code.slice(0, -2) + (code.endsWith('A') ? 'BB' : 'AA'));
  await entry.getByRole('button').click();
  await expect(notice()).toContainText(/邀请码无效|这不是访客邀请码/);
});

test('visitors still inside at closing time are signed out with the flag, and the office sees the register', async () => {
  await form().getByLabel('姓名').fill('周八');
  await form().getByLabel('证件号码').fill(ID);
  await form().getByLabel('手机号').fill('13712345678');
  await pickHousehold(null, '3-2-1201');
  await form().getByRole('radio', { name: '维修' }).click();
  // The optional photo, as the tablet's camera would hand it over.
  await form()
    .locator('.photo-field input[type=file]')
    .setInputFiles({
      name: 'visitor.jpg',
      mimeType: 'image/jpeg',
      buffer: Buffer.from(portraitJpeg()),
    });
  await expect(form().locator('.photo-field')).toContainText('✓ 已拍照');
  await form().getByTestId('register').click();
  await expect(notice()).toHaveText('已登记：周八');
  await expect(form().locator('.photo-field')).not.toContainText('已拍照');
  await expect(inside()).toHaveAttribute('data-count', '1');
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-pending', '0', {
    timeout: 20_000,
  });

  // The community closes at 22:00 (Asia/Shanghai): the kiosk's clock is moved past it.
  const now = new Date();
  const shanghai = new Date(now.getTime() + 8 * 3600_000);
  const closing = Date.UTC(
    shanghai.getUTCFullYear(),
    shanghai.getUTCMonth(),
    shanghai.getUTCDate(),
    22 - 8,
    1,
  );
  await page.clock.setFixedTime(closing > now.getTime() ? closing : closing + 86_400_000);
  await expect(inside()).toHaveAttribute('data-count', '0', { timeout: 45_000 });
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-pending', '0', {
    timeout: 30_000,
  });

  const officePage = await page.context().newPage();
  await officePage.goto('/office');
  await officePage.getByLabel('用户名').fill(ADMIN.username);
  await officePage.getByLabel('密码').fill(ADMIN.password);
  await officePage.getByRole('button', { name: '登录' }).click();
  await expect(officePage.getByTestId('signed-in-as')).toBeVisible();
  await officePage
    .getByRole('navigation', { name: '功能' })
    .getByRole('link', { name: '访客登记表' })
    .click();
  const table = officePage.getByTestId('visitors-table');
  const row = table.locator('tr', { hasText: '周八' });
  await expect(row).toContainText('110***********002X');
  await expect(row).toContainText('维修');
  await expect(row.getByTestId('end-of-day')).toHaveText('闭园自动签退');
  await row.getByRole('button', { name: '查看完整号码' }).click();
  await expect(row.getByTestId('visitor-id')).toHaveText(ID);
  await row.getByRole('button', { name: '查看照片' }).click();
  const photo = row.getByTestId('visitor-photo');
  await expect(photo).toHaveAttribute('alt', '周八 的照片');
  await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(295);
  await expect(
    table.locator('tr', { hasText: '孙七' }).getByRole('button', { name: '查看照片' }),
  ).toHaveCount(0);
  await expect(table.locator('tr', { hasText: '孙七' })).toContainText('邀请 No.');

  const [download] = await Promise.all([
    officePage.waitForEvent('download'),
    officePage.getByTestId('visitors-csv').click(),
  ]);
  const csv = await (await download.createReadStream()).toArray();
  const bytes = Buffer.concat(csv as Buffer[]);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(bytes.toString('utf8')).toContain('周八');
  await officePage.close();
});

test('self-service clears itself after 60 seconds without input', async () => {
  // A second tab of the kiosk, with its clock under the test's control from the start.
  const tab = await page.context().newPage();
  await tab.clock.install();
  await tab.goto('/');
  await tab.getByTestId('self-service-open').click();
  const self = tab.getByTestId('self-service');
  await self.getByLabel('姓名').fill('吴九');
  await tab.clock.fastForward(59_000);
  await expect(self.getByLabel('姓名')).toHaveValue('吴九');
  await expect(self).toHaveAttribute('data-resets', '0');
  await tab.clock.fastForward(2_000);
  await expect(self).toHaveAttribute('data-resets', '1');
  await expect(self.getByLabel('姓名')).toHaveValue('');
});

test('an invitation shown to the gate camera fills the entry, then signs its visitor out, then is refused as used', async () => {
  const gateOffice = new GateOffice(server);
  await gateOffice.signIn();
  const communityId = await gateOffice.createCommunity('邀请小区');
  const [household] = await gateOffice.households(communityId, ['8-1-801']);
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const res = await gateOffice.api(`/communities/${communityId}/invitations`, {
    method: 'POST',
    json: { name: '郑十', householdId: household, firstDay: today, lastDay: today, persons: 1 },
  });
  expect(res.status).toBe(201);
  const { code } = (await res.json()) as { code: string };
  const videos = mkdtempSync(path.join(tmpdir(), 'gatepost-visitor-video-'));
  // The code comes into view and leaves again, over and over, as a visitor's phone would.
  const gate = await openGate(
    gateOffice,
    server,
    communityId,
    [
      { text: code, frames: 30 },
      { text: null, frames: 90 },
    ],
    { video: path.join(videos, 'invitation.y4m') },
  );
  try {
    const p = gate.page;
    const deskForm = p.getByTestId('visitor-form');
    await expect(deskForm.getByTestId('invited')).toContainText('郑十', { timeout: 60_000 });
    await expect(deskForm.getByTestId('chosen-household')).toHaveText('8-1-801');
    await deskForm.getByTestId('register').click();
    const deskNotice = p.getByTestId('visitor-notice');
    await expect(deskNotice).toHaveText('已登记：郑十');
    await expect(deskNotice).toHaveText('已签退：郑十', { timeout: 60_000 });
    await expect(deskNotice).toHaveText('邀请已经用过', { timeout: 60_000 });
    expect(await gate.verdicts()).toEqual([]);
  } finally {
    await gate.close();
    await gateOffice.close();
    rmSync(videos, { recursive: true, force: true });
  }
});
