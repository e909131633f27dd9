/**
 * The kiosk's data layer in a real Chromium against a real server process: enrollment (and its
 * refusals), the first sync and the indicator, durability across a SIGKILL of the browser, and a
 * long network cut. The network is cut by stopping the server (the sync worker's requests then
 * really fail; `setOffline` would not reach them reliably).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { test, expect } from '@playwright/test';
import { chromiumLaunchOptions } from './support/chromium';
import { ADMIN_ENV, Office } from './support/office';
import { startServer, type ServerHandle } from './support/server';

let server: ServerHandle;
let office: Office;

test.beforeEach(async () => {
  server = await startServer({ env: ADMIN_ENV });
  office = new Office(server);
  await office.signIn();
});
test.afterEach(async () => {
  await office.close();
  await server.stop('SIGKILL');
});

async function restartServer() {
  const port = Number(new URL(server.url).port);
  await office.close();
  server = await startServer({ env: ADMIN_ENV, dataDir: server.dataDir, port });
  office = new Office(server);
}

async function launch(profile: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    ...chromiumLaunchOptions(),
    headless: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
}

const status = (page: Page) => page.getByTestId('sync-status');

async function enrollByUrl(page: Page) {
  const { url } = await office.enrollment();
  await page.goto(url);
  await expect(status(page)).toHaveAttribute('data-state', 'up-to-date', { timeout: 20_000 });
  await expect(status(page)).not.toHaveAttribute('data-last-sync', '');
}

async function saveNote(page: Page, text: string, expectedCount: number) {
  await page.locator('#note-text').fill(text);
  await page.getByTestId('note-form').getByRole('button').click();
  await expect(page.getByTestId('note-save-state')).toHaveAttribute(
    'data-saved',
    String(expectedCount),
  );
}

test('a kiosk enrolls from the QR URL, syncs, and its notes reach the office once', async ({
  page,
}) => {
  await enrollByUrl(page);
  expect(new URL(page.url()).search).toBe('');
  await saveNote(page, '交班：东门正常', 1);
  await expect(status(page)).toHaveAttribute('data-pending', '0');
  await expect
    .poll(async () => (await office.events()).map((e) => e.payload.text))
    .toEqual(['交班：东门正常']);
});

test('a revocation written by the office reaches an online kiosk within seconds', async ({
  page,
}) => {
  await enrollByUrl(page);
  await office.write(1, (w) =>
    w.put('revocation', [
      {
        id: 'card:42',
        data: { type: 'card', serial: 42, revokedAt: 1_790_000_000, reason: 'lost', note: '' },
      },
    ]),
  );
  const started = Date.now();
  await expect
    .poll(
      () =>
        page.evaluate(
          () =>
            new Promise<boolean>((resolve, reject) => {
              const req = indexedDB.open('gatepost-kiosk');
              req.onerror = () => reject(req.error);
              req.onsuccess = () => {
                const db = req.result;
                const feed = db.transaction('meta').objectStore('meta').get('feed');
                feed.onsuccess = () => {
                  const set = (feed.result.v as { activeSet: string }).activeSet;
                  const row = db
                    .transaction(`revocation_${set}`)
                    .objectStore(`revocation_${set}`)
                    .get('card:42');
                  row.onsuccess = () => {
                    db.close();
                    resolve(!!row.result);
                  };
                };
              };
            }),
        ),
      { timeout: 10_000, intervals: [100] },
    )
    .toBe(true);
  expect(Date.now() - started).toBeLessThan(5_000);
});

test('an expired, used, unknown or foreign code is refused plainly and nothing is stored', async ({
  page,
}) => {
  await page.goto(`${server.url}/`);
  const screen = page.getByTestId('enroll-screen');
  await expect(screen).toBeVisible();
  const refusal = page.getByTestId('enroll-refusal');
  const tryCode = async (code: string) => {
    await page.locator('#enroll-code').fill(code);
    await screen.getByRole('button', { name: '登记本机' }).click();
  };

  await tryCode('ZZZZ-ZZZZ-ZZZZ');
  await expect(refusal).toHaveAttribute('data-reason', 'unknown');
  await expect(refusal).toContainText('不认识');

  const expired = await office.enrollment('过期');
  const store = await office.store();
  await store.db.updateTable('enrollment_code').set({ expires_at: 0 }).execute();
  await tryCode(expired.code.toLowerCase().replace(/-/g, ' '));
  await expect(refusal).toHaveAttribute('data-reason', 'expired');

  const used = await office.enrollment('已用');
  const r = await fetch(`${server.url}/api/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: used.code }),
  });
  expect(r.status).toBe(201);
  await tryCode(used.code);
  await expect(refusal).toHaveAttribute('data-reason', 'used');

  // A QR whose fingerprint is not this server's community key.
  const foreign = await office.enrollment('别处');
  const url = new URL(foreign.url);
  url.searchParams.set('fp', 'AAAAAAAAAAAAAAAAAAAAAA');
  await page.goto(url.toString());
  await expect(refusal).toHaveAttribute('data-reason', 'foreign');

  await page.reload();
  await expect(screen).toBeVisible();
  const stored = await page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const req = indexedDB.open('gatepost-kiosk');
        req.onsuccess = () => {
          const tx = req.result.transaction('meta');
          const count = tx.objectStore('meta').count();
          count.onsuccess = () => resolve(count.result);
          count.onerror = () => reject(count.error);
        };
        req.onerror = () => reject(req.error);
      }),
  );
  expect(stored).toBe(0);
});

test('every note shown as saved survives a SIGKILL of the browser and reaches the office once', async () => {
  test.setTimeout(180_000);
  const profile = mkdtempSync(path.join(tmpdir(), 'gatepost-profile-'));
  try {
    let context = await launch(profile);
    let page = context.pages()[0] ?? (await context.newPage());
    await enrollByUrl(page);
    await saveNote(page, 'online-0', 1);
    await expect(status(page)).toHaveAttribute('data-pending', '0');

    // The office goes away: the notes stay in the outbox.
    await server.stop('SIGKILL');
    const texts = Array.from({ length: 20 }, (_, i) => `offline-${i + 1}`);
    for (const [i, text] of texts.entries()) await saveNote(page, text, i + 2);
    await expect(status(page)).toHaveAttribute('data-pending', String(texts.length));

    process.kill(browserPid(profile), 'SIGKILL');
    await context.close().catch(() => undefined);

    await restartServer();
    context = await launch(profile);
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto(server.url);
    await expect
      .poll(async () => (await office.events()).map((e) => e.payload.text).sort(), {
        timeout: 60_000,
      })
      .toEqual(['online-0', ...texts].sort());
    await expect(status(page)).toHaveAttribute('data-pending', '0');
    await expect(status(page)).toHaveAttribute('data-state', 'up-to-date');
    const events = await office.events();
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    await context.close();
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
});

test('a network cut for 1,000 notes: the indicator says offline, then all arrive once and it says up to date', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await enrollByUrl(page);
  await server.stop('SIGKILL');
  const n = 1000;
  // The guard's own path (type, press Save, wait for "saved"), driven from inside the page: a
  // round trip from the test per keystroke would make this a test of Playwright's speed.
  await page.evaluate(async (count) => {
    const text = document.querySelector<HTMLTextAreaElement>('#note-text')!;
    const save = document.querySelector<HTMLButtonElement>('[data-testid=note-form] button')!;
    const state = document.querySelector<HTMLElement>('[data-testid=note-save-state]')!;
    for (let i = 1; i <= count; i++) {
      text.value = `断网记录 ${i}`;
      text.dispatchEvent(new Event('input', { bubbles: true }));
      await new Promise((r) => setTimeout(r, 0));
      save.click();
      while (state.dataset.saved !== String(i)) await new Promise((r) => setTimeout(r, 1));
    }
  }, n);
  await expect(status(page)).toHaveAttribute('data-state', /^offline/, { timeout: 60_000 });
  await expect(status(page)).toHaveAttribute('data-pending', String(n));

  await restartServer();
  await expect(status(page)).toHaveAttribute('data-pending', '0', { timeout: 90_000 });
  await expect(status(page)).toHaveAttribute('data-state', 'up-to-date');
  const events = await office.events();
  expect(events).toHaveLength(n);
  expect(new Set(events.map((e) => e.payload.text)).size).toBe(n);
});

/** The main process of the Chromium this test launched on `profile` (not its helpers). */
function browserPid(profile: string): number {
  const lines = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).split('\n');
  const main = lines.find(
    (l) => l.includes(`--user-data-dir=${profile}`) && !l.includes('--type='),
  );
  if (!main) throw new Error(`no browser process for ${profile}`);
  return Number(main.trim().split(/\s+/)[0]);
}
