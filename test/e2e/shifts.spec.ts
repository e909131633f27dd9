/**
 * Guard shifts in Chromium against a real server: the office adds a guard on its guards page (a
 * guessable PIN and a mistyped confirmation refused next to the field) and sets a new PIN; at the
 * gate five wrong PINs (the replaced one among them) lock the shift sign-in, the lock survives a
 * reload and counts its time down, and once the test has moved the kiosk's clock past it the right
 * PIN starts the shift; a passage recorded afterwards reaches the office with that guard; the
 * handover sheet, with the visitor still inside, prints (print media and a PDF) with the shift's
 * figures; the shift ends with the PIN and the office's register has it.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { collectPageErrors, expect, test } from './support/fixtures';
import { GateOffice } from './support/gate';
import { ADMIN_ENV } from './support/office';
import { pdfPages } from './support/pdf';
import { startServer, type ServerHandle } from './support/server';

let server: ServerHandle;
let office: GateOffice;

test.beforeEach(async () => {
  server = await startServer({ env: ADMIN_ENV });
  office = new GateOffice(server);
  await office.signIn();
});
test.afterEach(async () => {
  await office.close();
  // The kiosk's long poll keeps a connection open: the server is not waited for.
  await server.stop('SIGKILL');
});

// A server start, the office in one browser context and a kiosk (enrollment, first sync, PBKDF2
// checks) in another, on a shared 2-core machine.
test.describe.configure({ timeout: 180_000 });

const FIRST_PIN = '483920';
const PIN = '615273';

async function signInOffice(page: Page) {
  await page.goto(`${server.url}/office`);
  await page.locator('input[name="username"]').fill('admin');
  await page.locator('input[type="password"]').fill('e2e-admin-password');
  await page.locator('form button[type="submit"]').click();
  await expect(page.getByTestId('signed-in-as')).toBeVisible();
}

async function typePin(kiosk: Page, pin: string) {
  const entry = kiosk.getByTestId('pin-entry');
  for (const d of pin) await entry.locator(`.pin-key[data-key="${d}"]`).click();
  await kiosk.getByTestId('pin-submit').click();
}

test('a shift: wrong PINs lock the sign-in, the right one starts it after the lock, passages carry the guard, the handover prints', async ({
  page,
  browser,
}) => {
  const errors = collectPageErrors(page);
  await signInOffice(page);
  await page.getByRole('link', { name: '门岗人员' }).click();
  await expect(page.getByTestId('guards')).toContainText('还没有门岗人员');
  const add = page.getByTestId('guard-add');
  await add.getByLabel('姓名').fill('张保安');
  await add.getByLabel('PIN（4–6 位数字）').fill('1234');
  await add.getByLabel('再输一次 PIN').fill('1234');
  await add.getByRole('button', { name: '保存' }).click();
  await expect(add.locator('#guard-pin + .field-error')).toHaveText(
    '太容易被猜到（重复或连续的数字），请换一个',
  );
  await add.getByLabel('PIN（4–6 位数字）').fill(FIRST_PIN);
  await add.getByLabel('再输一次 PIN').fill('483902');
  await add.getByRole('button', { name: '保存' }).click();
  await expect(add.locator('#guard-pin-again + .field-error')).toHaveText('两次输入的 PIN 不一样');
  await add.getByLabel('再输一次 PIN').fill(FIRST_PIN);
  await add.getByRole('button', { name: '保存' }).click();
  await expect(page.getByTestId('guard-saved')).toContainText('已添加 张保安');
  await expect(page.getByTestId('guard-row')).toHaveCount(1);
  await expect(page.getByTestId('guard-row')).toContainText('保安');
  mkdirSync('test-results/screens', { recursive: true });
  await page.screenshot({ path: 'test-results/screens/office-guards.png', fullPage: true });
  const guardId = (await page.getByTestId('guard-row').getAttribute('data-guard'))!;
  // The guard has told someone the PIN: the office sets a new one, which the gate will take.
  await page.getByTestId('guard-row').getByRole('button', { name: '重设 PIN' }).click();
  const pinForm = page.getByTestId('guard-pin-form');
  await pinForm.getByLabel('新 PIN（4–6 位数字）').fill(PIN);
  await pinForm.getByLabel('再输一次 PIN').fill(PIN);
  await pinForm.getByRole('button', { name: '设置新 PIN' }).click();
  await expect(page.getByTestId('guard-row')).toContainText('新 PIN 已设置');
  expect(errors).toEqual([]);

  const [householdId] = await office.households(1, ['3-2-1201']);
  const now = Math.floor(Date.now() / 1000);
  const card = await office.issueCard(1, {
    householdIds: [householdId!],
    validFrom: now - 86_400,
    validUntil: now + 30 * 86_400,
  });

  // The gate, in a browser context of its own whose clock the test controls.
  const context = await browser.newContext();
  const kiosk = await context.newPage();
  await kiosk.clock.install({ time: Date.now() });
  await kiosk.goto((await office.enrollment()).url);
  await expect(kiosk.getByTestId('sync-status')).toHaveAttribute('data-state', 'up-to-date', {
    timeout: 30_000,
  });
  await expect(kiosk.getByTestId('shift-bar')).toContainText('未开始值班');
  await kiosk.getByTestId('shift-bar').getByRole('button', { name: '开始值班' }).click();
  await kiosk.getByTestId('shift-guard').filter({ hasText: '张保安' }).click();

  // The old PIN is one of the wrong ones.
  await typePin(kiosk, FIRST_PIN);
  await expect(kiosk.getByTestId('pin-wrong')).toHaveText('✕ PIN 不正确，还可以再试 4 次');
  for (let i = 2; i <= 4; i++) {
    await typePin(kiosk, '000000');
    await expect(kiosk.getByTestId('pin-wrong')).toHaveText(`✕ PIN 不正确，还可以再试 ${5 - i} 次`);
  }
  await typePin(kiosk, '000000');
  const locked = kiosk.getByTestId('pin-locked');
  // Five minutes from the lock, counted on the tablet's clock (which runs on while the test works).
  await expect(locked).toHaveText(/^⚠ PIN 错误次数过多，已锁定，(5 分 00|4 分 5\d) 秒 后可以再试$/);
  await expect(kiosk.getByTestId('pin-submit')).toBeDisabled();
  await expect(kiosk.locator('.pin-key[data-key="4"]')).toBeDisabled();
  await kiosk.screenshot({ path: 'test-results/screens/shift-locked.png' });
  await kiosk.clock.runFor(61_000);
  await expect(locked).toHaveText(/^⚠ PIN 错误次数过多，已锁定，3 分 5\d 秒 后可以再试$/);

  // A reload does not lift the lock.
  await kiosk.reload();
  await kiosk.getByRole('button', { name: '交接班' }).first().click();
  await kiosk.getByTestId('shift-guard').filter({ hasText: '张保安' }).click();
  await expect(locked).toContainText('已锁定');
  await expect(kiosk.getByTestId('pin-input')).toBeDisabled();

  // Past the lock, by the kiosk's own clock.
  const until = Number(await locked.getAttribute('data-until')) * 1000;
  await kiosk.clock.fastForward(until - (await kiosk.evaluate(() => Date.now())) + 1000);
  await expect(locked).toHaveCount(0);
  await typePin(kiosk, PIN);
  await expect(kiosk.getByTestId('shift-bar')).toHaveAttribute('data-guard', guardId);
  await expect(kiosk.getByTestId('shift-bar')).toContainText('当班：张保安');
  await expect(kiosk.getByTestId('gate')).toBeVisible();

  // A passage: the card found by its serial, admitted.
  await kiosk.getByTestId('manual-open').click();
  await kiosk.locator('#manual-query').fill(String(card.serial));
  await kiosk.getByTestId('manual-lookup').getByRole('button', { name: '查询' }).click();
  await expect(kiosk.getByTestId('verdict')).toHaveAttribute('data-verdict', 'allow');
  await kiosk.getByTestId('verdict-done').click();
  await expect(kiosk.getByTestId('sync-status')).toHaveAttribute('data-pending', '0');
  const store = await office.store();
  await expect
    .poll(async () =>
      (
        await store.db
          .selectFrom('event')
          .select(['type', 'guard_id'])
          .where('community_id', '=', 1)
          .orderBy('feed_version')
          .execute()
      ).map((e) => [e.type, e.guard_id]),
    )
    .toEqual([
      ['shift.start', guardId],
      ['passage', guardId],
    ]);

  // A visitor registered at the desk, still inside at the handover.
  const form = kiosk.getByTestId('visitor-form');
  await form.getByLabel('姓名').fill('钱七');
  await form.getByLabel('证件类型').selectOption('passport');
  await form.getByLabel('证件号码').fill('E12345678');
  await form.getByLabel('手机号').fill('13900002222');
  await form.locator('#visitor-household').fill('3-2-1201');
  await form.getByRole('option', { name: /^3-2-1201/ }).click();
  await form.getByRole('radio', { name: '探亲访友' }).click();
  await form.getByTestId('register').click();
  await expect(kiosk.getByTestId('inside-list')).toHaveAttribute('data-count', '1');

  // The handover sheet, on screen and as printed.
  await kiosk.getByRole('button', { name: '交接班' }).first().click();
  const sheet = kiosk.getByTestId('handover-sheet');
  await expect(sheet).toContainText('门岗交接班记录');
  await expect(sheet).toContainText('张保安');
  await expect(sheet).toContainText('东门');
  await expect(kiosk.getByTestId('handover-passages')).toHaveAttribute('data-count', '1');
  await expect(kiosk.getByTestId('handover-passages')).toContainText('放行 1，未放行 0');
  await expect(kiosk.getByTestId('handover-incidents')).toHaveAttribute('data-count', '0');
  const inside = kiosk.getByTestId('handover-inside');
  await expect(inside).toHaveAttribute('data-count', '1');
  await expect(inside).toContainText('钱七');
  await expect(inside).toContainText('3-2-1201');
  await expect(kiosk.getByTestId('handover-visitors')).toHaveAttribute('data-count', '1');
  await kiosk.screenshot({ path: 'test-results/screens/handover-screen.png', fullPage: true });
  await kiosk.evaluate(() => {
    (window as unknown as { printed: number }).printed = 0;
    window.print = () => void (window as unknown as { printed: number }).printed++;
  });
  await kiosk.getByTestId('handover-print').click();
  expect(await kiosk.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
  await kiosk.emulateMedia({ media: 'print' });
  await expect(sheet).toBeVisible();
  for (const hidden of ['shift-bar', 'handover-print', 'sync-status'])
    await expect(kiosk.getByTestId(hidden)).toBeHidden();
  await expect(kiosk.getByRole('navigation')).toBeHidden();
  await kiosk.screenshot({ path: 'test-results/screens/handover.png', fullPage: true });
  const pdf = await kiosk.pdf({
    preferCSSPageSize: true,
    path: 'test-results/screens/handover.pdf',
  });
  // One A4 sheet, as the paper handover sheet.
  const pages = pdfPages(pdf);
  expect(pages).toHaveLength(1);
  expect(pages[0]![0]).toBeCloseTo(210, 0);
  expect(pages[0]![1]).toBeCloseTo(297, 0);
  await kiosk.emulateMedia({ media: 'screen' });

  // The shift ends with the guard's PIN; the office's register has it with its passage.
  await kiosk.getByTestId('shift-end').click();
  await typePin(kiosk, PIN);
  await expect(kiosk.getByTestId('shift-bar')).toContainText('未开始值班');
  await expect(kiosk.getByTestId('shift-change')).toHaveText('✓ 张保安 已结束值班');
  await expect(kiosk.getByTestId('sync-status')).toHaveAttribute('data-pending', '0');
  const recorded = await store.db
    .selectFrom('event')
    .select(['type', 'guard_id'])
    .where('community_id', '=', 1)
    .orderBy('feed_version')
    .execute();
  expect(recorded.map((e) => [e.type, e.guard_id])).toEqual([
    ['shift.start', guardId],
    ['passage', guardId],
    ['visitor.entry', guardId],
    ['shift.end', guardId],
  ]);
  await page.reload();
  await expect(page.getByTestId('guard-shift')).toHaveCount(1);
  await expect(page.getByTestId('guard-shift')).toContainText('东门');
  await expect(page.getByTestId('guard-shift').locator('td').last()).toHaveText('1');
  await context.close();
});
