/**
 * The kiosk's QR decoder, chosen by the project's rule: the fastest decoder that reads at least
 * as many corpus frames as the best one (`npm run bench -- scan-decoders`, README "QR decoder").
 *
 * zxing-wasm, because it reads the most and is also the fastest: in Chromium 156 on 2 cores it
 * read 171 of the 172 corpus frames readable by design (99.4%) at a median 2.3 ms a frame, where
 * @zxing/library (the engine behind @zxing/browser) read 110 (64.0%) at 4.2 ms. BarcodeDetector,
 * absent from Linux Chromium, could not be measured and so cannot be the default.
 */
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';
import type { QrDecoder, QrDecoderName } from './decoder';
import { createZxingWasmDecoder } from './zxing-wasm-decoder';

export const DEFAULT_DECODER: QrDecoderName = 'zxing-wasm';

/** The default decoder, its .wasm served from the app's own origin (the service worker precaches it). */
export function createDefaultDecoder(): Promise<QrDecoder> {
  return createZxingWasmDecoder({ wasmUrl });
}
