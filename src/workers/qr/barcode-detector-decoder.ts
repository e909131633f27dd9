/**
 * The platform's own detector (Android ML Kit, macOS Vision) through the Shape Detection API,
 * where the browser has one. It is absent on Linux and Windows Chromium, and some in-app browsers
 * expose the constructor but support no format or throw, so presence alone proves nothing: the
 * feature test asks for `qr_code` among the supported formats (../research/qr.md §3.1).
 */
import type { QrDecoder, RgbaFrame } from './decoder';

/** The part of the Shape Detection API used here; TypeScript's libs do not declare it. */
interface DetectedBarcode {
  readonly format: string;
  readonly rawValue: string;
}
interface BarcodeDetectorInstance {
  detect(image: ImageData): Promise<DetectedBarcode[]>;
}
interface BarcodeDetectorConstructor {
  new (options?: { formats: string[] }): BarcodeDetectorInstance;
  getSupportedFormats(): Promise<string[]>;
}

/** The native QR decoder, or null where the platform has none that reads QR codes. */
export async function createBarcodeDetectorDecoder(): Promise<QrDecoder | null> {
  const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorConstructor }).BarcodeDetector;
  if (typeof Detector !== 'function') return null;
  let formats: string[];
  try {
    formats = await Detector.getSupportedFormats();
  } catch {
    return null;
  }
  if (!Array.isArray(formats) || !formats.includes('qr_code')) return null;
  const detector = new Detector({ formats: ['qr_code'] });
  return {
    name: 'barcode-detector',
    async decode(frame: RgbaFrame) {
      const image =
        frame instanceof ImageData ? frame : new ImageData(frame.data, frame.width, frame.height);
      const found = await detector.detect(image);
      return found.find((b) => b.format === 'qr_code')?.rawValue ?? null;
    },
  };
}
