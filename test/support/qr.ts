/** Reading QR codes from PNG images in Node (zxing-wasm, its wasm read from node_modules). */
import { readFileSync } from 'node:fs';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';

let zxingReady = false;

/** Every QR code in a PNG, with its error-correction level. */
export async function decodeQrCodes(
  png: Uint8Array,
): Promise<Array<{ text: string; ecLevel: string }>> {
  if (!zxingReady) {
    const wasm = readFileSync('node_modules/zxing-wasm/dist/reader/zxing_reader.wasm');
    prepareZXingModule({
      overrides: {
        wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength),
      },
      fireImmediately: true,
    });
    zxingReady = true;
  }
  const results = await readBarcodes(png, { formats: ['QRCode'], maxNumberOfSymbols: 20 });
  return results.filter((r) => r.isValid).map((r) => ({ text: r.text, ecLevel: r.ecLevel }));
}
