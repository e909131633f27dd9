import { GateOffice, openGate } from './test/e2e/support/gate';
import { ADMIN_ENV } from './test/e2e/support/office';
import { startServer } from './test/e2e/support/server';
const server = await startServer({ env: ADMIN_ENV });
const office = new GateOffice(server);
try {
  await office.signIn();
  const c = await office.createCommunity('测试');
  const [home] = await office.households(c, ['5-1-802']);
  await office.keyHousehold(c, home!, { instructions: ['note_visitors_and_times'], note: '夜间留意' });
  const now = Math.floor(Date.now() / 1000);
  const card = await office.issueCard(c, { holderName: '王秀英', householdIds: [home!], validFrom: now - 86400, validUntil: now + 3 * 86400 - 60 });
  const g = await openGate(office, server, c, [{ text: card.code, frames: 1 }], { video: '/tmp/gp/a.y4m' });
  g.page.on('console', (m) => console.log('console', m.type(), m.text()));
  for (let i = 0; i < 5; i++) {
    console.log(i * 2, JSON.stringify(await g.page.getByTestId('camera').evaluate((v) => ({ ...(v as HTMLElement).dataset }))), await g.page.getByTestId('scanner').getAttribute('data-state'), (await g.verdicts()).length, g.errors, await g.page.locator('[data-testid=gate-notice]').getAttribute('data-kind').catch(() => null));
    await g.page.waitForTimeout(2000);
  }
  await g.close();
} finally { await office.close(); await server.stop(); }
