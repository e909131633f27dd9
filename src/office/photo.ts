/**
 * The holder's photo made in the browser: a frame of the office webcam or an uploaded picture,
 * cropped to the 1-inch portrait's proportions around the centre (optionally zoomed), scaled to
 * 295 × 413 pixels and compressed to a JPEG of at most 50 KB by lowering the quality step by step.
 * The server checks the result again (src/domain/photo.ts).
 */
import { MAX_PHOTO_BYTES, PORTRAIT_HEIGHT, PORTRAIT_WIDTH } from '../domain/photo';

const QUALITIES = [0.92, 0.85, 0.78, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2];

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

function toBlob(canvas: HTMLCanvasElement, quality: number): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (b) => (b ? resolve(b) : reject(new Error('the browser could not encode the photo'))),
      'image/jpeg',
      quality,
    ),
  );
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
  for (const q of QUALITIES) {
    const blob = await toBlob(canvas, q);
    if (blob.size <= MAX_PHOTO_BYTES) return blob;
  }
  throw new Error(`the photo stays above ${MAX_PHOTO_BYTES} bytes`);
}
