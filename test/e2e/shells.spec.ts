import { test, expect, collectPageErrors } from './support/fixtures';

const shells = [
  { name: 'kiosk', path: '/', ready: 'enroll-screen', text: '本机尚未登记' },
  { name: 'office console', path: '/office', ready: 'sign-in', text: '登录' },
];

for (const shell of shells) {
  test(`the ${shell.name} loads in Simplified Chinese, registers its service worker and reloads offline`, async ({
    page,
    context,
  }) => {
    const errors = collectPageErrors(page);
    await page.goto(shell.path);
    await expect(page.getByTestId(shell.ready)).toContainText(shell.text);
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');

    // The service worker is active and controls the page once it has been reloaded.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.reload();
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
    // Loaded (the office asks who is signed in first): a request cut by going offline would
    // rightly be reported as failed.
    await expect(page.getByTestId(shell.ready)).toContainText(shell.text);

    await context.setOffline(true);
    await page.reload();
    await expect(page.getByTestId(shell.ready)).toContainText(shell.text);
    await context.setOffline(false);
    expect(errors).toEqual([]);
  });
}

test('the kiosk never loads office code', async ({ page }) => {
  const scripts: string[] = [];
  page.on('response', (r) => {
    if (r.request().resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
  });
  await page.goto('/');
  await expect(page.getByTestId('enroll-screen')).toBeVisible();
  expect(scripts.some((s) => s.includes('office'))).toBe(false);
  expect(scripts.some((s) => s.includes('kiosk'))).toBe(true);
});

test('a guard can switch the kiosk to English or Traditional Chinese, and the choice stays', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('combobox', { name: '语言' }).selectOption('en');
  await expect(page.getByTestId('enroll-screen')).toContainText('not enrolled yet');
  await page.reload();
  await expect(page.getByTestId('enroll-screen')).toContainText('not enrolled yet');
  await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-Hant');
  await expect(page.getByTestId('enroll-screen')).toContainText('本機尚未登記');
});
