/**
 * Small real images for tests: a JPEG encoded by jpeg-js and a PNG built by hand (signature,
 * IHDR, one deflated IDAT, IEND, with their CRCs), so no fixture file
 * is needed and each call can give different bytes.
 */
import jpeg from 'jpeg-js';
import { deflateSync, crc32 } from 'node:zlib';

export function testJpeg(width = 32, height = 24, shade = 128): Uint8Array {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    data[i * 4] = shade;
    data[i * 4 + 1] = (i * 7) % 256;
    data[i * 4 + 2] = 255 - shade;
    data[i * 4 + 3] = 255;
  }
  return new Uint8Array(jpeg.encode({ data, width, height }, 80).data);
}

function chunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([head, typed, crc]);
}

/** A grey-scale PNG with a diagonal stroke (a "signature"); `seed` varies the stroke. */
export function testPng(width = 60, height = 20, seed = 0): Uint8Array {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(width + 1, 255);
    row[0] = 0;
    const x = (y * 3 + seed) % width;
    row[1 + x] = 0;
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 0;
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(Buffer.concat(rows))),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}
