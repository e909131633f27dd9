/**
 * Key households, the outing record and incident records in Chromium against a real server: the
 * change table's import in the office (a file with bad rows is refused and nothing is applied,
 * the fixed file is), with the category words nowhere in what the kiosk holds or shows; an outing
 * going overdue at the gate as the test moves the kiosk's clock, and in the office; the marker on
 * a card scan and on a visitor's entry for a key household, with the category nowhere on the
 * guard's page, and no marker on the visitor's self-service screen; an incident
 * with three signatures drawn on the screen and a photo, reaching the office's printable form.
 */
import type { Page } from '@playwright/test';
import { toBase64Url } from '../../src/domain/bytes';
import { CATEGORY_WORDS } from '../../src/domain/key-household-csv';
import { testJpeg } from '../support/images';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { collectPageErrors, expect, test } from './support/fixtures';
import { GateOffice, openGate } from './support/gate';
import { ADMIN_ENV, Office } from './support/office';
import { startServer, type ServerHandle } from './support/server';

let server: ServerHandle;
let office: Office;

test.beforeEach(async () => {
  server = await startServer({ env: ADMIN_ENV });
  office = new Office(server);
  await office.signIn();
  const households = ['楼栋,单元,房号,类型', '3,2,1202,出租', '5,1,601,业主', '2,1,101,业主'];
  const res = await office.api('/communities/1/households/import', {
    method: 'POST',
    json: { file: toBase64Url(new TextEncoder().encode(households.join('\n'))) },
  });
  expect(res.status).toBe(200);
});
test.afterEach(async () => {
  await office.close();
  // The kiosk's long poll keeps a connection open: the server is not waited for.
  await server.stop('SIGKILL');
});

// A server start, a kiosk enrollment and its first sync, and the office in a second page, on a
// shared 2-core machine.
test.describe.configure({ timeout: 180_000 });

const BAD = [
  '楼栋,单元,房号,重点户类别,门岗说明',
  '3,2,1202,租赁户,物资搬出须凭放行条',
  '5,1,601,爱吵架,记录来访',
  '9,9,909,独居老人,',
].join('\n');
const GOOD = BAD.replace('爱吵架', '犯罪记录').replace('9,9,909', '2,1,101');

async function signInOffice(page: Page) {
  await page.goto(`${server.url}/office`);
  await page.locator('input[name="username"], #username').first().fill('admin');
  await page.locator('input[type="password"]').fill('e2e-admin-password');
  await page.locator('form button[type="submit"]').click();
  await expect(page.getByTestId('signed-in-as')).toBeVisible();
}

async function enrollKiosk(page: Page) {
  const { url } = await office.enrollment();
  await page.goto(url);
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'up-to-date', {
    timeout: 20_000,
  });
}

async function careResident(householdLabel: string) {
  const list = (await (
    await office.api(`/communities/1/households?q=${householdLabel}`)
  ).json()) as { items: Array<{ id: string }> };
  const res = await office.api('/communities/1/care-residents', {
    method: 'POST',
    json: {
      householdId: list.items[0]!.id,
      label: '王奶奶',
      consentBy: 'family',
      consentNote: '女儿签字，表格存客服中心',
      notSeenDays: 2,
    },
  });
  expect(res.status).toBe(201);
}

test('the change table with bad rows is refused whole; the fixed one reaches the gate without any category', async ({
  page,
  browser,
}) => {
  const errors = collectPageErrors(page);
  await signInOffice(page);
  await page.goto(`${server.url}/office/key-households/import`);
  await page.getByTestId('import-file').setInputFiles({
    name: '重点户异动表.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(BAD),
  });
  await expect(page.getByTestId('import-errors')).toHaveAttribute('data-count', '1');
  await expect(page.getByTestId('import-error')).toContainText('categories');
  await expect(page.getByTestId('import-preview').getByRole('button')).toBeDisabled();
  // The category words are right but the unit does not exist: reported by line, nothing applied.
  await page.getByTestId('import-file').setInputFiles({
    name: '重点户异动表.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(BAD.replace('爱吵架', '犯罪记录')),
  });
  await expect(page.getByTestId('import-error')).toContainText('909');
  const none = (await (await office.api('/communities/1/key-households')).json()) as {
    items: unknown[];
  };
  expect(none.items).toEqual([]);

  await page.getByTestId('import-file').setInputFiles({
    name: '重点户异动表.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(GOOD),
  });
  await expect(page.getByTestId('import-plan')).toBeVisible();
  await page.getByRole('button', { name: /导入 3 行/ }).click();
  await expect(page.getByTestId('import-done')).toBeVisible();
  await page.getByTestId('import-done').getByRole('link').click();
  await expect(page.getByTestId('kh-row')).toHaveCount(3);
  await expect(page.getByTestId('kh-list')).toContainText('租赁户');
  expect(errors).toEqual([]);

  // The gate: enrolled after the change, it holds the instructions and no category word.
  const kiosk = await browser.newPage();
  await enrollKiosk(kiosk);
  const held = await kiosk.evaluate(async () => {
    const open = indexedDB.open('gatepost-kiosk');
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    // The synced rows as stored: buckets of rows by id (src/data/synced-rows.ts).
    const read = (store: string) =>
      new Promise<unknown[]>((resolve) => {
        const r = db.transaction(store).objectStore(store).getAll();
        r.onsuccess = () =>
          resolve(
            (r.result as Array<{ rows: Map<string, unknown> }>).flatMap((b) => [
              ...b.rows.values(),
            ]),
          );
      });
    return JSON.stringify([await read('keyHousehold_a'), await read('keyHousehold_b')]);
  });
  expect(held).toContain('goods_need_slip_with_consent');
  for (const w of Object.values(CATEGORY_WORDS).flat()) expect(held).not.toContain(w);
  for (const v of ['outings', 'incident', 'shift', 'duty'] as const) {
    await kiosk
      .getByRole('button', {
        name: { outings: '出门备案', incident: '突发事件', shift: '交接班', duty: '值班' }[v],
        exact: true,
      })
      .click();
    const text = await kiosk.locator('body').innerText();
    for (const w of Object.values(CATEGORY_WORDS).flat()) expect(text).not.toContain(w);
  }
});

test('an outing past its expected return raises the alert at the gate and in the office', async ({
  page,
}) => {
  await careResident('2-1-101');
  // The kiosk's clock starts two hours ago, so the outing's expected return (in one hour) is
  // already past for the office while the test moves the gate's clock past it.
  await page.clock.install({ time: Date.now() - 2 * 3600_000 });
  await enrollKiosk(page);
  await page.getByRole('button', { name: '出门备案' }).click();
  const row = page.getByTestId('care-resident');
  await expect(row).toHaveAttribute('data-status', 'home');
  await row.getByRole('button', { name: '登记外出' }).click();
  await page.getByRole('button', { name: '1 小时', exact: true }).click();
  await page.getByTestId('outing-form').getByLabel('陪同或接走的人').fill('女儿');
  await page.getByRole('button', { name: '保存外出登记' }).click();
  await expect(row).toHaveAttribute('data-status', 'out');
  await expect(page.getByTestId('overdue-alert')).toHaveCount(0);

  await page.clock.fastForward('01:01:00');
  await expect(row).toHaveAttribute('data-status', 'overdue');
  await expect(page.getByTestId('overdue-alert')).toContainText('1 位出门备案住户超时未归');
  // The alert stays on every screen.
  await page.getByRole('button', { name: '值班', exact: true }).click();
  await expect(page.getByTestId('overdue-alert')).toBeVisible();

  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-pending', '0');
  await expect
    .poll(async () => {
      const r = (await (await office.api('/communities/1/care-residents')).json()) as {
        items: Array<{ overdue: boolean }>;
      };
      return r.items[0]?.overdue;
    })
    .toBe(true);

  // Back in with one tap.
  await page.getByTestId('care-alerts').click();
  await row.getByRole('button', { name: '已返回' }).click();
  await expect(row).toHaveAttribute('data-status', 'home');
  await expect(page.getByTestId('care-alerts')).toHaveCount(0);
});

test('an incident with three signatures and a photo reaches the office and prints as the form', async ({
  page,
  browser,
}) => {
  await enrollKiosk(page);
  await page.getByRole('button', { name: '突发事件' }).click();
  const form = page.getByTestId('incident-screen');
  await form.getByRole('button', { name: '入户查看' }).click();
  await form.locator('input[name="unit"]').fill('2-1-101');
  await form.locator('input[name="people"]').fill('李强、张伟、邻居陈女士');
  await form
    .locator('textarea[name="happened"]')
    .fill('两日未见出入，敲门无人应，经主管同意入户查看');
  await form.getByLabel('已呼叫急救（120）').check();
  // Saved without signatures: each missing one is marked, nothing is stored.
  await form.getByRole('button', { name: '保存记录' }).click();
  await expect(page.getByTestId('incident-save-state')).toHaveAttribute('data-state', 'failed');
  await expect(form.getByText('请签字')).toHaveCount(3);

  const names = { guard: '李强', supervisor: '张伟', resident: '王芳' };
  for (const [signer, name] of Object.entries(names)) {
    await form.locator(`input[name="signer-${signer}"]`).fill(name);
    const pad = page.getByTestId(`signature-${signer}`);
    await pad.scrollIntoViewIfNeeded();
    const box = (await pad.boundingBox())!;
    await page.mouse.move(box.x + 20, box.y + box.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++)
      await page.mouse.move(box.x + 20 + i * 25, box.y + box.height / 2 + (i % 2 ? -15 : 15));
    await page.mouse.up();
  }
  await page.getByTestId('incident-photo').setInputFiles({
    name: 'photo.jpg',
    mimeType: 'image/jpeg',
    buffer: Buffer.from(testJpeg(640, 480)),
  });
  await expect(form.locator('.photo-row img')).toHaveCount(1);
  await form.getByRole('button', { name: '保存记录' }).click();
  await expect(page.getByTestId('incident-save-state')).toHaveAttribute('data-state', 'saved');
  await expect(page.getByTestId('recent-incident')).toContainText('2-1-101');
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-pending', '0');

  const desk = await browser.newPage();
  await signInOffice(desk);
  await desk.goto(`${server.url}/office/incidents`);
  await expect(desk.getByTestId('incident-row')).toContainText('李强、张伟、王芳');
  await desk.getByTestId('incident-row').getByRole('link').click();
  await expect(desk.getByTestId('incident-happened')).toContainText('敲门无人应');
  for (const signer of Object.keys(names)) {
    const img = desk.getByTestId(`incident-signature-${signer}`);
    await expect
      .poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth))
      .toBe(600);
  }
  await expect
    .poll(() =>
      desk.getByTestId('incident-photo').evaluate((i: HTMLImageElement) => i.naturalWidth),
    )
    .toBe(640);
  await desk.emulateMedia({ media: 'print' });
  await expect(desk.locator('.office-nav')).toBeHidden();
});

test('a card of a key household shows the marker and the instruction, never the category', async () => {
  const gateOffice = new GateOffice(server);
  await gateOffice.signIn();
  const c = await gateOffice.createCommunity('重点户小区');
  const [home] = await gateOffice.households(c, ['3-2-1202']);
  const set = await office.api(`/communities/${c}/key-households/${home}`, {
    method: 'PUT',
    json: { categories: ['rental', 'under_watch'], note: '夜间留意' },
  });
  expect(set.status).toBe(200);
  const card = await gateOffice.issueCard(c, {
    holderName: '王秀英',
    householdIds: [home!],
    validFrom: Math.floor(Date.now() / 1000) - 86_400,
    validUntil: Math.floor(Date.now() / 1000) + 30 * 86_400,
  });
  const gate = await openGate(gateOffice, server, c, [{ text: card.code, frames: 1 }], {
    video: path.join(mkdtempSync(path.join(tmpdir(), 'gatepost-kh-')), 'card.y4m'),
  });
  try {
    const v = await gate.first();
    expect(v.verdict).toBe('allow');
    expect(v.text).toContain('搬出物品须凭放行条（租户须业主同意）');
    expect(v.text).toContain('记录来访人员和进出时间');
    expect(v.text).toContain('夜间留意');
    const shown = await gate.page.locator('body').innerText();
    for (const text of [v.text, shown])
      for (const w of [...Object.values(CATEGORY_WORDS).flat(), '重点户', '犯罪'])
        expect(text, `the guard's page shows "${w}"`).not.toContain(w);
    expect(gate.errors).toEqual([]);
  } finally {
    await gate.close();
    await gateOffice.close();
  }
});

test("a visitor for a key household: the marker at the guard's desk, nothing on the visitor's own screen", async ({
  page,
}) => {
  const list = (await (await office.api('/communities/1/households?q=3-2-1202')).json()) as {
    items: Array<{ id: string }>;
  };
  const set = await office.api(`/communities/1/key-households/${list.items[0]!.id}`, {
    method: 'PUT',
    json: { categories: ['rental', 'under_watch'], note: '夜间留意' },
  });
  expect(set.status).toBe(200);
  const errors = collectPageErrors(page);
  await enrollKiosk(page);
  const form = page.getByTestId('visitor-form');
  const pick = async (scope: typeof form) => {
    await scope.locator('#visitor-household').fill('3-2-1202');
    await scope.getByRole('option', { name: /^3-2-1202/ }).click();
  };
  await form.getByLabel('姓名').fill('钱七');
  await form.getByLabel('证件类型').selectOption('passport');
  await form.getByLabel('证件号码').fill('E12345678');
  await form.getByLabel('手机号').fill('13900002222');
  await pick(form);
  const marker = page.getByTestId('visitor-desk').getByTestId('key-household-marker');
  await expect(marker).toContainText('搬出物品须凭放行条（租户须业主同意）');
  await expect(marker).toContainText('记录来访人员和进出时间');
  await expect(marker).toContainText('夜间留意');
  await form.getByRole('radio', { name: '探亲访友' }).click();
  await form.getByTestId('register').click();
  await expect(page.getByTestId('visitor-notice')).toHaveAttribute('data-kind', 'saved');
  const shown = await page.locator('body').innerText();
  for (const w of [...Object.values(CATEGORY_WORDS).flat(), '重点户', '犯罪'])
    expect(shown, `the guard's page shows "${w}"`).not.toContain(w);

  // The visitor's own screen: the same household, and no sign of the list.
  await page.getByTestId('self-service-open').click();
  const self = page.getByTestId('self-service');
  await pick(self);
  await expect(self.getByTestId('chosen-household')).toHaveText('3-2-1202');
  await expect(page.getByTestId('key-household-marker')).toHaveCount(0);
  const selfText = await page.locator('body').innerText();
  for (const w of ['搬出物品须凭放行条', '记录来访人员', '夜间留意', '◆'])
    expect(selfText, `the visitor's screen shows "${w}"`).not.toContain(w);
  expect(errors).toEqual([]);
});
