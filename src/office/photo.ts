/**
 * The holder's photo made in the browser: a frame of the office webcam or an uploaded picture,
 * cropped to the 1-inch portrait's proportions around the centre (optionally zoomed), scaled to
 * 295 × 413 pixels and compressed to a JPEG of at most 50 KB by lowering the quality step by step.
 * The server checks the result again (src/domain/photo.ts).
 */
import { MAX_PHOTO_BYTES, PORTRAIT_HEIGHT, PORTRAIT_WIDTH } from '../domain/photo';
import { jpegWithin } from '../ui/jpeg';

/** The centred crop of a source of `w` × `h` with the portrait's aspect ratio, `zoom` ≥ 1. */
export function portraitCrop(w: number, h: number, zoom = 1) {
  const aspect = PORTRAIT_WIDTH / PORTRAIT_HEIGHT;
  let cw = w;
  let ch = w / aspect;
  if (ch > h) {
    ch = h;
    cw = h * aspect;
  }
  cw /= zoom;
  ch /= zoom;
  return { sx: (w - cw) / 2, sy: (h - ch) / 2, sw: cw, sh: ch };
}

export async function makePortrait(
  source: CanvasImageSource,
  width: number,
  height: number,
  zoom = 1,
): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = PORTRAIT_WIDTH;
  canvas.height = PORTRAIT_HEIGHT;
  const g = canvas.getContext('2d');
  if (!g) throw new Error('no canvas');
  g.fillStyle = '#fff';
  g.fillRect(0, 0, PORTRAIT_WIDTH, PORTRAIT_HEIGHT);
  g.imageSmoothingQuality = 'high';
  const { sx, sy, sw, sh } = portraitCrop(width, height, zoom);
  g.drawImage(source, sx, sy, sw, sh, 0, 0, PORTRAIT_WIDTH, PORTRAIT_HEIGHT);
  return jpegWithin(canvas, MAX_PHOTO_BYTES);
}
