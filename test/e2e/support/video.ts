/**
 * Test videos for Chromium's fake camera (research qr.md §5): a Y4M file (4:2:0, even size; the
 * browser loops it) written from Node, each frame blank or showing a QR code as a printed card
 * would, at ECC level Q. Optionally a marker square in the top-left corner, white on frames that
 * show a code and black on the others, followed by 8 squares spelling the shot's `tag` in binary
 * (least significant bit first), so a page can tell from the pixels which frames carry which code
 * (the scan-to-verdict benchmark does).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import QRCode from 'qrcode';

export interface Shot {
  /** The code's text, or null for a frame without a code. */
  text: string | null;
  frames: number;
  /** 0–255, drawn beside the marker. */
  tag?: number;
}

export interface VideoOptions {
  width?: number;
  height?: number;
  /** Pixels per QR module. */
  module?: number;
  fps?: number;
  marker?: boolean;
}

export const MARKER_PX = 16;

function cardFrame(
  text: string | null,
  w: number,
  h: number,
  mod: number,
  marker: boolean,
  tag: number,
): Buffer {
  const y = Buffer.alloc(w * h, 96); // a grey desk
  if (text !== null) {
    const qr = QRCode.create(text, { errorCorrectionLevel: 'Q' });
    const n = qr.modules.size;
    const quiet = 4;
    const side = (n + 2 * quiet) * mod;
    const x0 = (w - side) >> 1;
    const y0 = (h - side) >> 1;
    for (let r = 0; r < side; r++) y.fill(235, (y0 + r) * w + x0, (y0 + r) * w + x0 + side); // the card
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        if (!qr.modules.get(r, c)) continue;
        for (let dy = 0; dy < mod; dy++) {
          const row = y0 + (quiet + r) * mod + dy;
          const col = x0 + (quiet + c) * mod;
          y.fill(25, row * w + col, row * w + col + mod);
        }
      }
    }
  }
  if (marker) {
    const square = (i: number, on: boolean) => {
      for (let r = 0; r < MARKER_PX; r++) {
        y.fill(on ? 255 : 0, r * w + i * MARKER_PX, r * w + (i + 1) * MARKER_PX);
      }
    };
    square(0, text !== null);
    for (let b = 0; b < 8; b++) square(1 + b, ((tag >> b) & 1) === 1);
  }
  return y;
}

/** Writes the shots one after another; returns the number of frames. */
export function writeY4m(file: string, shots: readonly Shot[], opts: VideoOptions = {}): number {
  const { width: w = 640, height: h = 480, module: mod = 5, fps = 30, marker = false } = opts;
  if (w % 2 || h % 2) throw new Error('a 4:2:0 video needs an even width and height');
  const chroma = Buffer.alloc((w >> 1) * (h >> 1) * 2, 128);
  const fd = openSync(file, 'w');
  let count = 0;
  try {
    writeSync(fd, `YUV4MPEG2 W${w} H${h} F${fps}:1 Ip A1:1 C420jpeg\n`);
    for (const shot of shots) {
      const luma = cardFrame(shot.text, w, h, mod, marker, shot.tag ?? 0);
      for (let i = 0; i < shot.frames; i++) {
        writeSync(fd, 'FRAME\n');
        writeSync(fd, luma);
        writeSync(fd, chroma);
        count++;
      }
    }
  } finally {
    closeSync(fd);
  }
  return count;
}
