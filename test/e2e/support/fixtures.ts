import { test as base, expect, type Page } from '@playwright/test';
import { startServer, type ServerHandle } from './server';

/** Every console error and uncaught exception on a page; a clean page has none. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  return errors;
}

/** The administrator every test server is started with (GATEPOST_BOOTSTRAP_ADMIN). */
export const ADMIN = { username: 'admin', password: 'e2e-admin-password' };

export const test = base.extend<object, { server: ServerHandle }>({
  server: [
    // Playwright requires the destructuring pattern even when a fixture needs nothing.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const server = await startServer({
        env: { GATEPOST_BOOTSTRAP_ADMIN: `${ADMIN.username}:${ADMIN.password}` },
      });
      await use(server);
      await server.stop();
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ server }, use) => use(server.url),
});

export { expect };
