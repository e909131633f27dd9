/**
 * One QR decoder behind one interface, so the kiosk's scan worker, the corpus test and the
 * benchmark can swap engines and the choice can be made by measurement (DESIGN §4).
 */

/** The pixels of one camera frame: RGBA, 4 bytes per pixel, row by row (an `ImageData` is one). */
export interface RgbaFrame {
  readonly data: Uint8ClampedArray<ArrayBuffer>;
  readonly width: number;
  readonly height: number;
}

export type QrDecoderName = 'zxing-wasm' | 'zxing-js' | 'barcode-detector';

export interface QrDecoder {
  readonly name: QrDecoderName;
  /** The text of a QR code found in the frame, or null when none could be read. */
  decode(frame: RgbaFrame): Promise<string | null>;
}
