/**
 * zxing-cpp compiled to WebAssembly (zxing-wasm's reader build), QR only.
 *
 * The .wasm is never fetched from a CDN: zxing-wasm's default `locateFile` points at jsDelivr,
 * which an offline gate cannot reach, so the caller says where the binary is (a same-origin URL
 * the service worker precaches, or the bytes themselves, as in Node tests).
 */
import { prepareZXingModule, readBarcodes, type ReaderOptions } from 'zxing-wasm/reader';
import type { QrDecoder, RgbaFrame } from './decoder';

export type ZxingWasmSource = { wasmUrl: string } | { wasmBinary: ArrayBuffer };

/**
 * Options measured on the corpus in Node (test/fixtures/qr-corpus: 216 frames of 640×480, 172
 * readable by design; median ms per frame), each against the same set with one option changed:
 * - one symbol per frame, all the gate needs: p50 1.7 ms against 3.4 ms looking for more;
 * - tryDenoise on (experimental): 171 read against 170 (a glare-streaked card), p50 1.7 against
 *   1.6 ms, but twice the time on a frame without a code (2.8 against 1.3 ms);
 * - tryInvert off: it reads nothing more (Gatepost codes are dark on light) and adds a pass to
 *   every frame without a code, most of what a gate camera sees (2.8 → 3.0 ms);
 * - tryDownscale on (the default): 170 read without it (a noisy frame);
 * - tryHarder and tryRotate on (the defaults): the same reads and time either way.
 */
const OPTIONS: ReaderOptions = {
  formats: ['QRCode'],
  maxNumberOfSymbols: 1,
  tryDenoise: true,
  tryInvert: false,
  // The raw text: the default (HRI) would turn control characters into `<SOH>`-style names.
  textMode: 'Plain',
};

export async function createZxingWasmDecoder(source: ZxingWasmSource): Promise<QrDecoder> {
  const overrides =
    'wasmBinary' in source
      ? { wasmBinary: source.wasmBinary }
      : {
          locateFile: (file: string, prefix: string) =>
            file.endsWith('.wasm') ? source.wasmUrl : prefix + file,
        };
  // Instantiated now, so a missing or corrupt binary fails here and not on the first frame.
  await prepareZXingModule({ overrides, fireImmediately: true });
  return {
    name: 'zxing-wasm',
    async decode(frame: RgbaFrame) {
      // readBarcodes takes any { data, width, height } (it checks the keys, not the class).
      const [result] = await readBarcodes(frame as ImageData, OPTIONS);
      return result?.text ?? null;
    },
  };
}
