/**
 * The guard's taps to check and pass a release slip of five items, after the scan: a real server
 * process, the production build and Chromium; the guard ticks the first open line until Pass can
 * be pressed (test/e2e/support/slip-gate.ts), so the figure is what the screen demands. The
 * end-to-end test asserts the same bound (≤ 8); here it is reported with the other figures.
 */
import { spawnSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions } from '../e2e/support/chromium';
import { ADMIN_ENV, Office } from '../e2e/support/office';
import { startServer } from '../e2e/support/server';
import { enrollKioskPage, passAsAGuard, presentSlip } from '../e2e/support/slip-gate';
import { ID_NUMBERS } from '../support/cards';
import type { Metrics } from './report';
import type { BenchSuite } from './run';

export const slipsBench: BenchSuite = {
  name: 'slips',
  async run(): Promise<Metrics> {
    const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
    if (build.status !== 0) throw new Error('vite build failed');
    const server = await startServer({ env: ADMIN_ENV });
    const office = new Office(server);
    const browser = await chromium.launch(chromiumLaunchOptions());
    try {
      await office.signIn();
      const key = (await (
        await office.api('/communities/1/api-keys', {
          method: 'POST',
          json: { name: 'bench', scopes: ['households:write'] },
        })
      ).json()) as { key: string };
      await fetch(`${server.url}/api/integration/v1/households`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          households: [
            { externalId: 'B1', building: '1', unit: '1', room: '101', occupancy: 'owner' },
          ],
        }),
      });
      const households = (await (await office.api('/communities/1/households')).json()) as {
        items: Array<{ id: string }>;
      };
      const res = await office.api('/communities/1/slips', {
        method: 'POST',
        json: {
          householdId: households.items[0]!.id,
          applicantName: '李四',
          applicantRole: 'owner',
          applicantPhone: '13912345678',
          applicantIdType: 'resident_card',
          applicantIdNumber: ID_NUMBERS.b,
          items: ['床', '衣柜', '书桌', '椅子', '纸箱'].map((name) => ({
            name,
            quantity: 2,
            unit: '件',
          })),
          firstDay: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10),
        },
      });
      if (res.status !== 201) throw new Error(`slip: ${res.status} ${await res.text()}`);
      const slip = (await res.json()) as { code: string };
      const page = await browser.newPage({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      await enrollKioskPage(page, office);
      await presentSlip(page, slip.code);
      const taps = await passAsAGuard(page);
      return {
        'slip.check_taps_five_items': {
          value: taps,
          unit: 'taps',
          note: 'after the scan, a slip of five items ticked line by line and passed',
          target: { value: 8, direction: 'max' },
        },
      };
    } finally {
      await browser.close();
      await office.close();
      await server.stop();
    }
  },
};
