/**
 * zxing-wasm must never reach for its CDN default: an offline gate would have no decoder. The
 * factory fetches the .wasm from the URL it is given, and nothing else.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterEach, expect, it, vi } from 'vitest';
import { createZxingWasmDecoder } from '../../../src/workers/qr/zxing-wasm-decoder';
import { buildCorpus, renderFrame } from '../../fixtures/qr-corpus/corpus';
import recorded from '../../fixtures/qr-corpus/recorded-rates.json';

const WASM = readFileSync(
  createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm'),
);

afterEach(() => {
  vi.unstubAllGlobals();
});

it('loads its .wasm from the given URL only, and reads a code with it', async () => {
  const requested: string[] = [];
  vi.stubGlobal('fetch', async (url: RequestInfo | URL) => {
    requested.push(String(url));
    return new Response(WASM, { headers: { 'Content-Type': 'application/wasm' } });
  });
  const wasmUrl = 'https://kiosk.example/assets/zxing_reader-0123abcd.wasm';
  const decoder = await createZxingWasmDecoder({ wasmUrl });
  expect(requested).toEqual([wasmUrl]);

  const frame = buildCorpus(recorded.codes, recorded.seed).find((f) => f.condition === 'clean')!;
  expect(await decoder.decode(renderFrame(frame))).toBe(frame.text);
  expect(requested).toEqual([wasmUrl]);
});
