/**
 * The browser half of the decoder benchmark: the corpus generated in the page from the recorded
 * codes and seed, and every decoder this browser has run over it, as the kiosk builds them: the
 * default through createDefaultDecoder (its .wasm from the bundle, never a CDN), BarcodeDetector
 * only where the feature test finds QR support.
 */
import { createBarcodeDetectorDecoder } from '../../../src/workers/qr/barcode-detector-decoder';
import type { QrDecoder, QrDecoderName } from '../../../src/workers/qr/decoder';
import { createDefaultDecoder, DEFAULT_DECODER } from '../../../src/workers/qr/default-decoder';
import { createZxingJsDecoder } from '../../../src/workers/qr/zxing-js-decoder';
import { buildCorpus, type CorpusCodes } from '../../fixtures/qr-corpus/corpus';
import { tallyCorpus, type CorpusTally } from '../../fixtures/qr-corpus/tally';

interface Args {
  codes: CorpusCodes;
  seed: number;
  repeats: number;
}

export interface ScanBenchResult {
  tally: CorpusTally;
  /** Named by the page: the Node side cannot import default-decoder.ts (its `?url` is Vite's). */
  defaultDecoder: QrDecoderName;
  nativeAbsent: boolean;
}

export async function run(args: Args): Promise<ScanBenchResult> {
  const decoders: QrDecoder[] = [await createDefaultDecoder(), createZxingJsDecoder()];
  const native = await createBarcodeDetectorDecoder();
  if (native) decoders.push(native);
  if (new Set(decoders.map((d) => d.name)).size !== decoders.length) {
    throw new Error('a decoder is measured twice: update this entry with default-decoder.ts');
  }
  const frames = buildCorpus(args.codes, args.seed);
  return {
    tally: await tallyCorpus(frames, decoders, args.repeats),
    defaultDecoder: DEFAULT_DECODER,
    nativeAbsent: !native,
  };
}
