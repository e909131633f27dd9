/// <reference lib="webworker" />
/**
 * The QR worker: decodes camera frames off the main thread with the default decoder (zxing-wasm,
 * its .wasm from the app's own origin). The page sends one frame at a time, already cropped and
 * downscaled (an ImageBitmap, transferred), and sends the next only after the answer, so frames
 * never queue here.
 *
 * In: `frame` (id, bitmap). Out: `ready` once the decoder is compiled, `result` per frame (the
 * text or null, and the time spent here), `failed` if the decoder cannot start.
 */
import type { QrDecoder } from './decoder';
import { createDefaultDecoder } from './default-decoder';

declare const self: DedicatedWorkerGlobalScope;

export type ScanWorkerIn = { type: 'frame'; id: number; bitmap: ImageBitmap };
export type ScanWorkerOut =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'result'; id: number; text: string | null; ms: number };

let canvas: OffscreenCanvas | null = null;
let context: OffscreenCanvasRenderingContext2D | null = null;

function pixels(bitmap: ImageBitmap): ImageData {
  if (!canvas || canvas.width !== bitmap.width || canvas.height !== bitmap.height) {
    canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    context = canvas.getContext('2d', { willReadFrequently: true });
  }
  context!.drawImage(bitmap, 0, 0);
  return context!.getImageData(0, 0, bitmap.width, bitmap.height);
}

const post = (m: ScanWorkerOut) => self.postMessage(m);

const decoder: Promise<QrDecoder> = createDefaultDecoder();
decoder.then(
  () => post({ type: 'ready' }),
  (e: unknown) => post({ type: 'failed', message: (e as Error).message ?? String(e) }),
);

self.addEventListener('message', (event: MessageEvent<ScanWorkerIn>) => {
  const m = event.data;
  if (m.type !== 'frame') return;
  void (async () => {
    const started = performance.now();
    let text: string | null;
    try {
      text = await (await decoder).decode(pixels(m.bitmap));
    } catch {
      // An unreadable frame is a frame without a code; the next one is already on its way.
      text = null;
    } finally {
      m.bitmap.close();
    }
    post({ type: 'result', id: m.id, text, ms: performance.now() - started });
  })();
});
