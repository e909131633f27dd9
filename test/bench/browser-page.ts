/**
 * Runs a benchmark's browser half: bundles an entry module with the project's own Vite (as an
 * IIFE exposing `run(args)`), opens a cross-origin-isolated page on a localhost origin (a secure
 * context, which WebCrypto needs; isolation makes performance.now() tick in 5 µs, not 100 µs),
 * and returns what `run` resolves to.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { chromiumLaunchOptions } from '../e2e/support/chromium';

const GLOBAL = 'GatepostBench';

async function bundle(entry: string): Promise<string> {
  const outDir = path.join(tmpdir(), `gatepost-bench-${path.basename(entry, '.ts')}`);
  await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      lib: {
        entry: path.resolve(entry),
        formats: ['iife'],
        name: GLOBAL,
        fileName: () => 'bench.js',
      },
    },
  });
  return readFileSync(path.join(outDir, 'bench.js'), 'utf8');
}

export async function runInChromium<A, R>(entry: string, args: A): Promise<R> {
  const script = await bundle(entry);
  const browser = await chromium.launch({ ...chromiumLaunchOptions(), headless: true });
  try {
    const page = await browser.newPage();
    await page.route('http://localhost/bench.html', (route) =>
      route.fulfill({
        contentType: 'text/html',
        headers: {
          'Cross-Origin-Opener-Policy': 'same-origin',
          'Cross-Origin-Embedder-Policy': 'require-corp',
        },
        body: '<!doctype html><title>bench</title>',
      }),
    );
    await page.goto('http://localhost/bench.html');
    if (!(await page.evaluate(() => crossOriginIsolated)))
      throw new Error('bench page not isolated');
    await page.addScriptTag({ content: script });
    return (await page.evaluate(
      ([name, a]) =>
        (globalThis as unknown as Record<string, { run(x: unknown): Promise<unknown> }>)[name]!.run(
          a,
        ),
      [GLOBAL, args] as const,
    )) as R;
  } finally {
    await browser.close();
  }
}
