/**
 * Starts the server: configuration, then the HTTP listener. Everything that can be built without
 * a socket lives in createApp so tests can call it in-process.
 */
import { serve } from '@hono/node-server';
import { readFileSync } from 'node:fs';
import { createApp } from './app';
import { loadConfig, ConfigError } from './config';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export async function runServer(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  const app = createApp({ staticDir: config.staticDir, version: pkg.version });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    console.log(`Gatepost listening on http://${config.host}:${info.port}`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
