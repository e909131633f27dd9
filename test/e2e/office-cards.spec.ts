/**
 * The office side of the temporary access card (procedure 4.4.2), from the household list to the
 * printed card, in Chromium against the production build and a real server: a clerk signs in,
 * imports households (a file with two bad rows is reported and nothing is applied; the fixed file
 * is imported), issues a card with a webcam photo and prints it in at most 12 inputs and clicks;
 * the QR in a screenshot of the print preview verifies with the key list a gate would hold; the
 * A4 sheet, the phone image and the paper roster are produced; the card is revoked and listed as
 * revoked, and the revocation reaches the gate's feed. Screenshots go to test-results/screens/.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { toBase64Url } from '../../src/domain/bytes';
import { verifyCode } from '../../src/domain/credential/verify';
import { ID_NUMBERS, portraitJpeg } from '../support/cards';
import { encodeGb18030 } from '../support/gb18030';
import { chromiumLaunchOptions } from './support/chromium';
import { collectPageErrors, expect, test } from './support/fixtures';
import { pdfPages } from './support/pdf';
import { writePortraitY4m } from './support/media';
import { adminApi, decodeQrCodes, json, kioskTrust, StepCounter } from './support/office';

const SCREENS = path.resolve('test-results/screens');
const camera = writePortraitY4m(path.resolve('test-results/e2e-media/portrait.y4m'));

test.use({
  viewport: { width: 1280, height: 800 },
  deviceScaleFactor: 3,
  launchOptions: chromiumLaunchOptions([
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-video-capture=${camera}`,
  ]),
});

const CLERK = { username: 'clerk', password: 'clerk-password-1' };

const BAD_CSV = [
  '楼栋,单元,房号,类型,已搬出,建筑面积',
  '3,2,1201,业主,否,120',
  '3,2,1202,借住,否,98',
  '5,1,301,出租,否,88',
  '5,1,,业主,否,90',
  '10,1,101,空置,否,80',
].join('\r\n');
const GOOD_CSV = BAD_CSV.replace('借住', '出租').replace('5,1,,业主', '5,1,302,业主');

async function screenshot(page: Page, selector: string, name: string): Promise<Buffer> {
  mkdirSync(SCREENS, { recursive: true });
  const target = page.locator(selector).first();
  // Every photo on it has loaded: a print must not go out without the face.
  await expect
    .poll(() =>
      target.evaluate((el) =>
        [...el.querySelectorAll('img')].every((img) => img.complete && img.naturalWidth > 0),
      ),
    )
    .toBe(true);
  const png = await target.screenshot({ path: path.join(SCREENS, name), animations: 'disabled' });
  return png;
}

test('a clerk imports households, issues a card with a photo, prints it, and revokes it', async ({
  page,
  baseURL,
}) => {
  // The whole clerk's workflow in one test (import, issue, two print layouts to PDF, revoke):
  // three times the default budget, which it needs on a loaded two-core machine.
  test.slow();
  const errors = collectPageErrors(page);
  const { api, communityId } = await adminApi(baseURL!);
  const base = `/api/communities/${communityId}`;
  await json(
    await api.post(`${base}/staff`, {
      data: { ...CLERK, displayName: '客服小李', role: 'clerk' },
    }),
  );
  const gate = await kioskTrust(api, baseURL!, communityId);

  // Sign in as the clerk; the menus are the clerk's.
  await page.goto('/office');
  await page.getByLabel('用户名').fill(CLERK.username);
  await page.getByLabel('密码').fill(CLERK.password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByTestId('signed-in-as')).toHaveText('客服小李');
  const nav = page.getByRole('navigation', { name: '功能' });
  await expect(nav.getByRole('link')).toHaveText([
    '出入卡',
    '办理新卡',
    '即将到期',
    '住户',
    '门岗设备',
    '纸质名单',
    '访客登记表',
    '访客邀请',
    '放行条',
    '开放行条',
    '放行条警报',
    '重点户',
    '出门备案',
  ]);

  // Households: a file with two bad rows is reported line by line, and nothing is applied.
  await nav.getByRole('link', { name: '住户' }).click();
  await expect(page.getByTestId('table-total')).toHaveAttribute('data-total', '0');
  await page.getByRole('link', { name: '导入 CSV' }).click();
  await page.getByTestId('import-file').setInputFiles({
    name: '房产信息.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(BAD_CSV, 'utf8'),
  });
  await expect(page.getByTestId('import-errors')).toHaveAttribute('data-count', '2');
  await expect(page.getByTestId('import-error')).toHaveText([/^3\s*occupancy/, /^5\s*room/]);
  await expect(page.getByRole('button', { name: /导入 \d+ 行/ })).toBeDisabled();
  await nav.getByRole('link', { name: '住户' }).click();
  await expect(page.getByTestId('table-total')).toHaveAttribute('data-total', '0');

  // The fixed file, as a Chinese spreadsheet saves it (GB18030), is imported whole.
  await page.getByRole('link', { name: '导入 CSV' }).click();
  await page.getByTestId('import-file').setInputFiles({
    name: '房产信息.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(encodeGb18030(GOOD_CSV)),
  });
  await expect(page.getByTestId('import-plan')).toContainText('将新增 5 户');
  await expect(page.getByTestId('import-preview')).toContainText('GB18030');
  await page.getByRole('button', { name: '导入 5 行' }).click();
  await expect(page.getByTestId('import-done')).toContainText('新增 5');
  await nav.getByRole('link', { name: '住户' }).click();
  await expect(page.getByTestId('table-total')).toHaveAttribute('data-total', '5');
  await page.getByRole('searchbox').fill('3-2');
  await expect(page.getByTestId('households-table').locator('tbody tr')).toHaveCount(2);

  // Issue and print a card, counting the clerk's inputs and clicks (the photo taken included).
  const clerk = new StepCounter();
  await clerk.click(nav.getByRole('link', { name: '办理新卡' }), 'new card');
  const form = page.getByTestId('issue-page');
  await expect(form.getByRole('button', { name: '拍照' })).toBeVisible();
  await clerk.fill(form.getByLabel('姓名'), '王秀英', 'name');
  await clerk.select(form.getByLabel('身份', { exact: true }), 'tutor', 'role');
  // Validation as you type: a wrong check digit is pointed out before anything is sent.
  await form.getByLabel('证件号码').fill(ID_NUMBERS.a.slice(0, 17) + '1');
  await expect(form.getByText('校验位不对，请核对号码')).toBeVisible();
  await clerk.fill(form.getByLabel('证件号码'), ID_NUMBERS.a, 'ID number');
  await expect(form.getByText('校验位不对，请核对号码')).toBeHidden();
  await clerk.fill(form.getByLabel('手机号'), '13812345678', 'phone');
  await clerk.fill(form.getByRole('combobox', { name: '雇主房号' }), '3-2-1201', 'employer');
  await clerk.click(form.getByRole('option', { name: /3-2-1201/ }), 'employer suggestion');
  await expect(form.getByTestId('employer-chip')).toHaveText(/3-2-1201/);
  await clerk.click(form.getByRole('button', { name: '拍照' }), 'take photo');
  await expect(form.getByTestId('photo-taken')).toBeVisible();
  mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENS, 'issue-form.png') });
  await clerk.click(form.getByRole('button', { name: '签发' }), 'issue');
  const preview = page.getByTestId('print-preview');
  await expect(preview.getByTestId('issued-notice')).toContainText('王秀英');
  await page.evaluate(() => {
    (window as unknown as { printed: number }).printed = 0;
    window.print = () => void ((window as unknown as { printed: number }).printed += 1);
  });
  await clerk.click(preview.getByRole('button', { name: '打印' }), 'print');
  expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
  console.log(`clerk steps to issue and print a card: ${clerk.count} (${clerk.steps.join(', ')})`);
  expect(clerk.count).toBeLessThanOrEqual(12);

  // The card as it prints: decode its QR from a screenshot and verify it as a gate would.
  const serial = Number(await preview.getByTestId('access-card').getAttribute('data-serial'));
  const card = await json<{ code: string; validFrom: number; validUntil: number }>(
    await api.get(`${base}/cards/${serial}`),
  );
  await page.emulateMedia({ media: 'print' });
  const cardPng = await screenshot(page, '.print-single .access-card', 'card.png');
  const box = (await page.locator('.print-single .access-card').boundingBox())!;
  // CR80 at 96 CSS pixels per inch: 85.6 × 54 mm is 323.5 × 204.1 px.
  expect(box.width).toBeCloseTo(323.5, 0);
  expect(box.height).toBeCloseTo(204.1, 0);
  const [decoded] = await decodeQrCodes(cardPng);
  expect(decoded).toEqual({ text: card.code, ecLevel: 'Q' });
  const verdict = await verifyCode(decoded!.text, {
    trust: gate.trust,
    now: Math.floor(Date.now() / 1000),
    clockToleranceS: 300,
  });
  expect(verdict).toMatchObject({
    ok: true,
    credential: { type: 'card', serial, notBefore: card.validFrom, expires: card.validUntil },
  });
  // Printed, it is one page of that size (to half a millimetre: the browser rounds to pixels).
  expect(
    pdfPages(await page.pdf({ preferCSSPageSize: true, path: path.join(SCREENS, 'card.pdf') })),
  ).toEqual([[expect.closeTo(85.6, 0), expect.closeTo(54, 0)]]);
  await page.emulateMedia({ media: 'screen' });

  // The code as an image for the worker's phone: the same code, at ECC level M.
  const download = page.waitForEvent('download');
  await preview.getByRole('button', { name: '下载手机图片' }).click();
  const phonePng = await (await download).path();
  const [onPhone] = await decodeQrCodes(new Uint8Array(readFileSync(phonePng!)));
  expect(onPhone).toEqual({ text: card.code, ecLevel: 'M' });

  // More cards (through the API), then a sheet of them on A4 with every code readable.
  for (const [i, [name, idNumber, unit]] of [
    ['李娟', ID_NUMBERS.b, '5-1-301'],
    ['张小红', ID_NUMBERS.c, '3-2-1202'],
  ].entries()) {
    const households = await json<{ items: { id: string }[] }>(
      await api.get(`${base}/households?q=${unit}`),
    );
    await json(
      await api.post(`${base}/cards`, {
        data: {
          holderName: name,
          role: i === 0 ? 'nanny' : 'hourly',
          idType: 'resident_card',
          idNumber,
          householdIds: [households.items[0]!.id],
          window: { weekdays: 0x1f, startQuarter: 32, endQuarter: 72 },
          validFrom: card.validFrom,
          validUntil: card.validUntil,
          photo: toBase64Url(portraitJpeg()),
        },
      }),
    );
  }
  await nav.getByRole('link', { name: '出入卡' }).click();
  const table = page.getByTestId('cards-table');
  await expect(table.locator('tbody tr')).toHaveCount(3);
  for (const box of await table.getByRole('checkbox').all()) await box.check();
  await page.getByRole('link', { name: '打印所选（A4，3 张）' }).click();
  await expect(page.getByTestId('a4-sheet').getByTestId('access-card')).toHaveCount(3);
  await page.emulateMedia({ media: 'print' });
  const sheetPng = await screenshot(page, '[data-testid="a4-sheet"]', 'sheet-a4.png');
  const onSheet = await decodeQrCodes(sheetPng);
  expect(onSheet.map((c) => c.ecLevel)).toEqual(['Q', 'Q', 'Q']);
  expect(onSheet.map((c) => c.text)).toContain(card.code);
  expect(
    pdfPages(await page.pdf({ preferCSSPageSize: true, path: path.join(SCREENS, 'sheet-a4.pdf') })),
  ).toEqual([[expect.closeTo(210, 0), expect.closeTo(297, 0)]]);
  await page.emulateMedia({ media: 'screen' });

  // The paper roster for the gate lists every valid card, ID numbers masked.
  await nav.getByRole('link', { name: '纸质名单' }).click();
  await expect(page.getByTestId('roster').locator('tbody tr')).toHaveCount(3);
  await expect(page.getByTestId('roster')).not.toContainText(ID_NUMBERS.a);
  await page.emulateMedia({ media: 'print' });
  await screenshot(page, '.print-roster', 'roster.png');
  await page.emulateMedia({ media: 'screen' });

  // Revoke the card: it is listed as revoked, and the gate's revocation stream has it.
  await nav.getByRole('link', { name: '出入卡' }).click();
  await table.getByRole('link', { name: '王秀英' }).click();
  const detail = page.getByTestId('card-detail');
  await expect(detail.getByTestId('id-number')).toHaveText(/^110\*+/);
  await detail.getByRole('button', { name: '注销' }).click();
  await detail.getByLabel('原因').selectOption('left_job');
  await detail.getByLabel('备注').fill('雇主告知已辞工');
  await detail.getByRole('button', { name: '确认注销' }).click();
  await expect(detail.getByTestId('card-state')).toHaveAttribute('data-state', 'revoked');
  await expect(detail.getByTestId('status-reason')).toContainText('已离职');
  await nav.getByRole('link', { name: '出入卡' }).click();
  await page.getByLabel('状态', { exact: true }).selectOption('revoked');
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await expect(table.locator('tbody tr')).toContainText('王秀英');
  await expect(table.getByTestId('card-state')).toHaveText('已注销');
  const revocations = await gate.pull('revocation');
  expect(revocations).toContainEqual(
    expect.objectContaining({
      id: `card:${serial}`,
      data: expect.objectContaining({ reason: 'left_job' }),
    }),
  );

  // A page of the console as the clerk sees it, for the docs.
  await page.screenshot({ path: path.join(SCREENS, 'cards-list.png') });
  writeFileSync(path.join(SCREENS, 'steps.txt'), clerk.steps.join('\n') + '\n');
  expect(errors).toEqual([]);
});

test('an administrator adds a role, renews an expiring card in one click, and a household moving out suspends its worker’s card; a supervisor reads cards and reveals an ID number but issues none', async ({
  page,
  browser,
  baseURL,
}) => {
  const errors = collectPageErrors(page);
  const { api, communityId } = await adminApi(baseURL!);
  const base = `/api/communities/${communityId}`;
  const csv = '楼栋,单元,房号,类型\n8,1,801,业主\n8,1,802,业主\n';
  await json(
    await api.post(`${base}/households/import`, { data: { file: toBase64Url(Buffer.from(csv)) } }),
  );
  const home = (
    await json<{ items: { id: string }[] }>(await api.get(`${base}/households?q=8-1-801`))
  ).items[0]!;
  // A card that ends the day after tomorrow: it is on the expiring list, and renewal is open.
  const today = new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' });
  const validFrom = Date.parse(`${today}T00:00:00+08:00`) / 1000;
  const idNumber = ID_NUMBERS.a.replace(/^110105/, '310104').slice(0, 17);
  const { residentId } = await import('../support/cards');
  const expiring = await json<{ serial: number }>(
    await api.post(`${base}/cards`, {
      data: {
        holderName: '赵桂兰',
        role: 'nanny',
        idType: 'resident_card',
        idNumber: residentId(idNumber),
        householdIds: [home.id],
        window: { weekdays: 0x7f, startQuarter: 0, endQuarter: 0 },
        validFrom,
        validUntil: validFrom + 3 * 86_400,
        photo: toBase64Url(portraitJpeg()),
      },
    }),
  );

  await page.goto('/office');
  await page.getByLabel('用户名').fill('admin');
  await page.getByLabel('密码').fill('e2e-admin-password');
  await page.getByRole('button', { name: '登录' }).click();
  const nav = page.getByRole('navigation', { name: '功能' });

  // The community's own role is offered on the issuing form.
  await nav.getByRole('link', { name: '设置' }).click();
  await page.getByLabel('本小区的其他身份').fill('护工\n厨师');
  // How old the gate's data may be: the second limit may not come before the first.
  await page.getByLabel('多久没有同步后，验卡结果变为黄色（小时）').fill('12');
  await page.getByLabel('多久没有同步后，不再自动放行（小时）').fill('6');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('status')).toContainText('不能早于变为黄色的时间');
  await page.getByLabel('多久没有同步后，不再自动放行（小时）').fill('48');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('status')).toHaveText('已保存');
  const saved = await json<{ settings: { staleAmberHours: number; staleDenyHours: number } }>(
    await api.get(base),
  );
  expect(saved.settings).toMatchObject({ staleAmberHours: 12, staleDenyHours: 48 });
  await nav.getByRole('link', { name: '办理新卡' }).click();
  await expect(page.getByLabel('身份', { exact: true }).locator('option')).toHaveText([
    '保姆',
    '钟点工',
    '家教',
    '护工',
    '厨师',
    '其他',
  ]);

  // One-click renewal from the expiring list.
  await nav.getByRole('link', { name: '即将到期' }).click();
  const table = page.getByTestId('cards-table');
  await expect(table.locator('tbody tr')).toContainText(['赵桂兰']);
  await table.getByRole('button', { name: '续期' }).click();
  await expect(page.getByRole('status')).toContainText('已续期，新卡');
  await expect(table.locator('tbody tr')).not.toContainText(['赵桂兰']);
  await nav.getByRole('link', { name: '出入卡' }).click();
  await page.getByLabel('状态', { exact: true }).selectOption('superseded');
  await expect(table.getByRole('link', { name: '赵桂兰' })).toHaveCount(1);
  await table.getByRole('link', { name: '赵桂兰' }).click();
  await expect(page.getByTestId('card-detail').getByRole('link', { name: /^No\./ })).toHaveCount(1);
  await page.getByTestId('card-detail').getByRole('link', { name: /^No\./ }).click();
  const renewed = page.getByTestId('card-detail');
  await expect(renewed.getByTestId('card-state')).toHaveAttribute('data-state', 'valid');

  // The employer moves out: the worker's card is suspended for review.
  await nav.getByRole('link', { name: '住户' }).click();
  await page.getByRole('searchbox').fill('8-1-801');
  await expect(page.getByTestId('households-table').locator('tbody tr')).toHaveCount(1);
  await page.getByRole('button', { name: '标记搬出' }).click();
  await page.getByRole('button', { name: '确认搬出（1 张卡将暂停）' }).click();
  await expect(page.getByRole('status')).toContainText('1 张出入卡已暂停待审');
  await page.goBack();
  await expect(renewed.getByTestId('card-state')).toHaveAttribute('data-state', 'suspended');
  await expect(renewed.getByTestId('status-reason')).toContainText('雇主已搬出');

  // A supervisor: no issuing menu, but may reveal an ID number (and the reveal is audited).
  await json(
    await api.post(`${base}/staff`, {
      data: {
        username: 'supervisor',
        password: 'supervisor-pass-1',
        displayName: '秩序主管',
        role: 'supervisor',
      },
    }),
  );
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const other = await context.newPage();
  await other.goto(`/office/cards/${expiring.serial}`);
  await other.getByLabel('用户名').fill('supervisor');
  await other.getByLabel('密码').fill('supervisor-pass-1');
  await other.getByRole('button', { name: '登录' }).click();
  await expect(other.getByRole('navigation', { name: '功能' }).getByRole('link')).toHaveText([
    '出入卡',
    '即将到期',
    '住户',
    '门岗设备',
    '纸质名单',
    '访客登记表',
    '访客邀请',
    '关注名单',
    '放行条',
    '放行条警报',
    '重点户',
    '出门备案',
    '突发事件',
    '门岗人员',
  ]);
  const detail = other.getByTestId('card-detail');
  await expect(detail.getByTestId('id-number')).toHaveText(/^310\*{11}/);
  await detail.getByRole('button', { name: '查看完整号码' }).click();
  await expect(detail.getByTestId('id-number')).toHaveText(residentId(idNumber));
  await expect(detail.getByRole('button', { name: '注销' })).toHaveCount(0);
  const log = await json<{ entries: { action: string; targetId: string }[] }>(
    await api.get(`${base}/audit?action=card.reveal_id`),
  );
  expect(log.entries).toContainEqual(
    expect.objectContaining({ targetId: String(expiring.serial) }),
  );
  await context.close();
  expect(errors).toEqual([]);
});
