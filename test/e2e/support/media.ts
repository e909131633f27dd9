/**
 * A still "camera" for Chromium's fake capture device: a one-frame Y4M (4:2:0, even size; the
 * file loops) showing a head-and-shoulders silhouette, so the office's webcam photo looks like a
 * portrait in the screenshots (research: qr.md §5.2 for the format).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function writePortraitY4m(file: string, w = 640, h = 480): string {
  const Y = Buffer.alloc(w * h, 215);
  const U = Buffer.alloc((w / 2) * (h / 2), 128);
  const V = Buffer.alloc((w / 2) * (h / 2), 128);
  const cx = w / 2;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const head = ((x - cx) / 62) ** 2 + ((y - 190) / 80) ** 2 < 1;
      const hair = ((x - cx) / 66) ** 2 + ((y - 168) / 66) ** 2 < 1 && y < 175;
      const shoulders = y > 282 && Math.abs(x - cx) < 60 + (y - 282) * 1.1;
      const neck = y > 255 && y <= 290 && Math.abs(x - cx) < 24;
      let luma = 215;
      let u = 128;
      let v = 128;
      if (shoulders) [luma, u, v] = [60, 140, 118];
      if (neck || head) [luma, u, v] = [170, 112, 148];
      if (hair) [luma, u, v] = [35, 128, 130];
      Y[y * w + x] = luma;
      if (x % 2 === 0 && y % 2 === 0) {
        U[(y / 2) * (w / 2) + x / 2] = u;
        V[(y / 2) * (w / 2) + x / 2] = v;
      }
    }
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(
    file,
    Buffer.concat([Buffer.from(`YUV4MPEG2 W${w} H${h} F30:1 Ip A1:1 C420jpeg\nFRAME\n`), Y, U, V]),
  );
  return file;
}
