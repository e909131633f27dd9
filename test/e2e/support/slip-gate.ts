/**
 * The guard at the kiosk with a release slip, for the end-to-end test and the benchmark: enroll a
 * kiosk page by its URL and wait for its first sync, hand it a slip's decoded text, and check a
 * slip the way a guard would: tap the first line not yet ticked until Pass can be pressed, then
 * Pass. The taps are counted here and by the page itself (`data-taps`), so the figure is what the
 * screen demanded, not a number the test assumed.
 */
import { expect, type Page } from '@playwright/test';
import type { Office } from './office';

export async function enrollKioskPage(page: Page, office: Office, name = '东门'): Promise<void> {
  const { url } = await office.enrollment(name);
  await page.goto(url);
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'up-to-date', {
    timeout: 30_000,
  });
}

/** The decoded text of a slip's QR, as the scanner hands it over. */
export async function presentSlip(page: Page, text: string): Promise<void> {
  await page.locator('#slip-code').fill(text);
  await page
    .getByTestId('slip-entry')
    .getByRole('button', { name: /核对放行条|Check the slip/ })
    .click();
}

/** Ticks lines until Pass is possible, then passes; returns the taps it took after the scan. */
export async function passAsAGuard(page: Page): Promise<number> {
  const checklist = page.getByTestId('slip-checklist');
  await expect(checklist).toBeVisible({ timeout: 30_000 });
  let taps = 0;
  for (let guard = 0; guard < 100; guard++) {
    const pass = page.getByTestId('slip-pass');
    if (await pass.isEnabled()) {
      await pass.click();
      taps++;
      break;
    }
    await checklist
      .locator('[data-testid="slip-line"][data-state="open"] .line-tick')
      .first()
      .click();
    taps++;
  }
  const saved = page.getByTestId('slip-saved');
  await expect(saved).toHaveAttribute('data-outcome', 'pass');
  await expect(saved).toHaveAttribute('data-taps', String(taps));
  return taps;
}
