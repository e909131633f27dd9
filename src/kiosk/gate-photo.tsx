/**
 * A photo taken at the gate (the load on a slip, goods stopped without one, a visitor): the tablet's camera
 * through a file input, scaled down to at most 800 pixels on the long side and compressed to a
 * JPEG small enough for a gate event (MAX_GATE_PHOTO_CHARS of base64url), lowering the quality
 * step by step.
 */
import { toBase64Url } from '../domain/bytes';
import { MAX_GATE_PHOTO_CHARS } from '../domain/photo';
import { t } from './messages';

const LONG_SIDE = 800;

export async function gatePhoto(file: Blob): Promise<string> {
  const image = await createImageBitmap(file);
  const scale = Math.min(1, LONG_SIDE / Math.max(image.width, image.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(image.width * scale);
  canvas.height = Math.round(image.height * scale);
  canvas.getContext('2d')!.drawImage(image, 0, 0, canvas.width, canvas.height);
  image.close();
  for (const quality of [0.8, 0.65, 0.5, 0.35, 0.2]) {
    const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/jpeg', quality));
    if (!blob) break;
    const text = toBase64Url(new Uint8Array(await blob.arrayBuffer()));
    if (text.length <= MAX_GATE_PHOTO_CHARS) return text;
  }
  throw new Error('the photo cannot be made small enough');
}

/** A large button that opens the tablet's camera; says so once a photo is taken. */
export function PhotoButton(props: {
  label: string;
  taken: boolean;
  onPhoto(p: string | null): void;
}) {
  return (
    <label class="big-button secondary photo-button">
      {props.taken ? `✓ ${t('photo.taken')}` : props.label}
      <input
        type="file"
        accept="image/*"
        capture="environment"
        class="visually-hidden"
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          if (file) void gatePhoto(file).then(props.onPhoto, () => props.onPhoto(null));
        }}
      />
    </label>
  );
}
