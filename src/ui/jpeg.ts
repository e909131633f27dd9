/**
 * A canvas as a JPEG of at most `maxBytes`, by lowering the quality step by step: the office's
 * 1-inch portraits and the kiosk's incident photos both have a byte budget the server checks.
 */
const QUALITIES = [0.92, 0.85, 0.78, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2];

function toBlob(canvas: HTMLCanvasElement, quality: number): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (b) => (b ? resolve(b) : reject(new Error('the browser could not encode the photo'))),
      'image/jpeg',
      quality,
    ),
  );
}

export async function jpegWithin(canvas: HTMLCanvasElement, maxBytes: number): Promise<Blob> {
  for (const q of QUALITIES) {
    const blob = await toBlob(canvas, q);
    if (blob.size <= maxBytes) return blob;
  }
  throw new Error(`the photo stays above ${maxBytes} bytes`);
}
