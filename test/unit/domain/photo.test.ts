import { describe, expect, it } from 'vitest';
import { jpegSize, MAX_PHOTO_BYTES, portraitProblem } from '../../../src/domain/photo';
import { portraitJpeg } from '../../support/cards';

describe('the card portrait check', () => {
  it('reads the size from the frame header of a real JPEG', () => {
    const bytes = portraitJpeg();
    expect(jpegSize(bytes)).toEqual({ width: 295, height: 413 });
    expect(bytes.length).toBeLessThanOrEqual(MAX_PHOTO_BYTES);
    expect(portraitProblem(bytes)).toBeNull();
    expect(jpegSize(portraitJpeg(640, 480))).toEqual({ width: 640, height: 480 });
    expect(portraitProblem(portraitJpeg(413, 295))).toBe('dimensions');
  });

  it('skips fill bytes and stand-alone markers, and finds a progressive frame header (SOF2)', () => {
    const sof2 = [
      0xff, 0xc2, 0x00, 0x11, 0x08, 0x01, 0x9d, 0x01, 0x27, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11,
      1,
    ];
    const bytes = Uint8Array.from([0xff, 0xd8, 0xff, 0xff, 0xd0, ...sof2, 0xff, 0xd9]);
    expect(jpegSize(bytes)).toEqual({ width: 295, height: 413 });
  });

  it('refuses what is not a JPEG, is cut short, or reaches the image data without a frame header', () => {
    const good = portraitJpeg();
    expect(portraitProblem(new TextEncoder().encode('GIF89a......'))).toBe('not_jpeg');
    expect(jpegSize(good.subarray(0, 30))).toBeNull();
    expect(jpegSize(Uint8Array.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x02]))).toBeNull();
    expect(jpegSize(Uint8Array.from([0xff, 0xd8, 0x00, 0x00]))).toBeNull();
    expect(jpegSize(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0xff, 0xff]))).toBeNull();
    expect(portraitProblem(new Uint8Array(MAX_PHOTO_BYTES + 1))).toBe('too_large');
  });
});
