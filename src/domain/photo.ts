/**
 * The holder's photo on a temporary access card: the 1-inch portrait the procedure asks for
 * (4.4.2 "一寸近照"), 25 × 35 mm, kept as 295 × 413 pixels (300 dpi) in a JPEG of at most 50 KB.
 * The office console crops and compresses in the browser; the server checks the result here,
 * reading the size from the JPEG's frame header (no image library: nothing is decoded).
 */

export const PORTRAIT_WIDTH = 295;
export const PORTRAIT_HEIGHT = 413;
export const MAX_PHOTO_BYTES = 50 * 1024;

/** A photo taken at the gate (the load, the goods, a visitor): a JPEG, base64url, at most about 75 KB. */
export const MAX_GATE_PHOTO_CHARS = 100_000;

export type PhotoProblem =
  /** Not a JPEG file (no SOI marker, or no frame header before the image data). */
  | 'not_jpeg'
  /** More than MAX_PHOTO_BYTES. */
  | 'too_large'
  /** A JPEG, but not 295 × 413 pixels. */
  | 'dimensions';

export interface JpegSize {
  width: number;
  height: number;
}

/** Start-of-frame markers: every SOFn except DHT (C4), JPG (C8) and DAC (CC). */
const isStartOfFrame = (m: number) =>
  m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
/** Markers that stand alone, without a length: TEM, RST0–7, SOI, EOI. */
const standsAlone = (m: number) => m === 0x01 || (m >= 0xd0 && m <= 0xd9);
const START_OF_SCAN = 0xda;

/**
 * The pixel size a JPEG declares in its frame header (ITU-T T.81, B.2.2), or null when the bytes
 * are not a well-formed JPEG up to that header. Bounds are checked at every step.
 */
export function jpegSize(bytes: Uint8Array): JpegSize | null {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  let at = 2;
  while (at < bytes.length) {
    if (bytes[at] !== 0xff) return null;
    // Any number of 0xFF fill bytes may precede a marker.
    while (at < bytes.length && bytes[at] === 0xff) at++;
    const marker = bytes[at];
    at++;
    if (marker === undefined || marker === 0x00) return null;
    if (standsAlone(marker)) continue;
    if (marker === START_OF_SCAN || at + 2 > bytes.length) return null;
    const length = (bytes[at]! << 8) | bytes[at + 1]!;
    if (length < 2 || at + length > bytes.length) return null;
    if (isStartOfFrame(marker)) {
      if (length < 7) return null;
      const height = (bytes[at + 3]! << 8) | bytes[at + 4]!;
      const width = (bytes[at + 5]! << 8) | bytes[at + 6]!;
      return width > 0 && height > 0 ? { width, height } : null;
    }
    at += length;
  }
  return null;
}

/** Whether the bytes are a card portrait the server accepts; the first problem found. */
export function portraitProblem(bytes: Uint8Array): PhotoProblem | null {
  if (bytes.length > MAX_PHOTO_BYTES) return 'too_large';
  const size = jpegSize(bytes);
  if (!size) return 'not_jpeg';
  if (size.width !== PORTRAIT_WIDTH || size.height !== PORTRAIT_HEIGHT) return 'dimensions';
  return null;
}
