/**
 * The engine behind @zxing/browser: @zxing/library's QRCodeReader on a HybridBinarizer, fed the
 * frame's luminance directly (no canvas), with the weights its HTMLCanvasElementLuminanceSource
 * uses, so it reads what @zxing/browser would read from the same pixels.
 */
import {
  BarcodeFormat,
  BinaryBitmap,
  ChecksumException,
  DecodeHintType,
  FormatException,
  HybridBinarizer,
  NotFoundException,
  QRCodeReader,
  RGBLuminanceSource,
} from '@zxing/library';
import type { QrDecoder, RgbaFrame } from './decoder';

/**
 * Hints measured on the corpus in Node (test/fixtures/qr-corpus: 216 frames, 172 readable by
 * design): TRY_HARDER reads 110 frames against 109 without, at p50 3.1 against 3.0 ms.
 * GlobalHistogramBinarizer instead of the hybrid one reads 94 (though 15 of the 20 noisy frames
 * the hybrid one misses); it is not what @zxing/browser runs.
 */
const HINTS = new Map<DecodeHintType, unknown>([
  [DecodeHintType.POSSIBLE_FORMATS, [BarcodeFormat.QR_CODE]],
  [DecodeHintType.TRY_HARDER, true],
]);

/** BT.601 luma in 10-bit fixed point, rounded: what HTMLCanvasElementLuminanceSource computes. */
function luminance(frame: RgbaFrame): Uint8ClampedArray {
  const { data } = frame;
  const out = new Uint8ClampedArray(frame.width * frame.height);
  for (let i = 0, j = 0; j < out.length; i += 4, j++) {
    out[j] = (306 * data[i]! + 601 * data[i + 1]! + 117 * data[i + 2]! + 0x200) >> 10;
  }
  return out;
}

/** What the reader throws for "no code here" or "a code, but not readable": not a failure. */
const isMiss = (e: unknown) =>
  e instanceof NotFoundException || e instanceof ChecksumException || e instanceof FormatException;

export function createZxingJsDecoder(): QrDecoder {
  const reader = new QRCodeReader();
  return {
    name: 'zxing-js',
    async decode(frame: RgbaFrame) {
      const source = new RGBLuminanceSource(luminance(frame), frame.width, frame.height);
      try {
        return reader.decode(new BinaryBitmap(new HybridBinarizer(source)), HINTS).getText();
      } catch (e) {
        if (isMiss(e)) return null;
        throw e;
      }
    },
  };
}
