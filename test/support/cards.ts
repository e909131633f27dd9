/**
 * Inputs for card tests: a 1-inch portrait JPEG the server accepts, valid ID numbers, and a card
 * body to issue through the API.
 */
import jpeg from 'jpeg-js';
import { toBase64Url } from '../../src/domain/bytes';
import { PORTRAIT_HEIGHT, PORTRAIT_WIDTH } from '../../src/domain/photo';
import { residentIdCheckCharacter } from '../../src/domain/rules/resident-id';

/** A 295 × 413 JPEG: a light background with a darker head-and-shoulders shape. */
const encoded = new Map<string, Uint8Array>();

export function portraitJpeg(
  width = PORTRAIT_WIDTH,
  height = PORTRAIT_HEIGHT,
  quality = 80,
): Uint8Array {
  // Encoding in pure JavaScript takes a good part of a second: once per size is enough.
  const key = `${width}x${height}@${quality}`;
  const cached = encoded.get(key);
  if (cached) return cached;
  const bytes = encodePortrait(width, height, quality);
  encoded.set(key, bytes);
  return bytes;
}

function encodePortrait(width: number, height: number, quality: number): Uint8Array {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const head =
        ((x - width / 2) / (width * 0.22)) ** 2 + ((y - height * 0.38) / (height * 0.2)) ** 2 < 1;
      const body = y > height * 0.62 && Math.abs(x - width / 2) < width * 0.42 - (height - y) * 0.3;
      const v = head ? 120 : body ? 70 : 225;
      const i = (y * width + x) * 4;
      data[i] = v;
      data[i + 1] = v + (head ? 10 : 0);
      data[i + 2] = v + 15;
      data[i + 3] = 255;
    }
  }
  return new Uint8Array(jpeg.encode({ data, width, height }, quality).data);
}

export const portraitBase64 = () => toBase64Url(portraitJpeg());

/** A resident ID number with the right check character, from its first 17 digits. */
export function residentId(first17: string): string {
  return first17 + residentIdCheckCharacter(first17);
}

export const ID_NUMBERS = {
  a: residentId('11010519491231002'),
  b: residentId('44030619850317123'),
  c: residentId('32058219900101456'),
};
