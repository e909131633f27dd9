/**
 * Serves the built app: hashed assets cached for a year, the service worker and index.html never
 * cached by HTTP (the service worker does the offline caching), and every in-app path answered
 * with index.html so /office and deep links load the right shell.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './http/env';
import { serveStatic } from '@hono/node-server/serve-static';

export function mountStaticApp(app: OpenAPIHono<AppEnv>, staticDir: string): void {
  const root = path.relative(process.cwd(), staticDir) || '.';
  app.use('/assets/*', async (c, next) => {
    await next();
    if (c.res.ok) c.header('Cache-Control', 'public, max-age=31536000, immutable');
  });
  app.use('*', async (c, next) => {
    await next();
    if (c.res.ok && !c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-cache');
  });
  app.use('*', serveStatic({ root }));
  app.get('*', async (c) => {
    if (c.req.path.startsWith('/api/')) return c.notFound();
    try {
      const html = await readFile(path.join(staticDir, 'index.html'), 'utf8');
      return c.html(html);
    } catch {
      return c.text('Gatepost app is not built: run `npm run build` (npm start does it).', 503);
    }
  });
}
