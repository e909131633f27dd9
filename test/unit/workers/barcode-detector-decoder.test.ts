/**
 * The native path, which no CI browser has (Linux Chromium exposes no BarcodeDetector): the
 * feature test and the decode call against a fake `BarcodeDetector` global.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBarcodeDetectorDecoder } from '../../../src/workers/qr/barcode-detector-decoder';

/** Node has no ImageData; this one keeps what it was built from. */
class FakeImageData {
  constructor(
    readonly data: Uint8ClampedArray<ArrayBuffer>,
    readonly width: number,
    readonly height: number,
  ) {}
}

interface Detected {
  format: string;
  rawValue: string;
}

function fakeDetector(formats: () => Promise<string[]>, found: Detected[] = []) {
  const constructed: unknown[] = [];
  const detected: unknown[] = [];
  class FakeBarcodeDetector {
    static getSupportedFormats = formats;
    constructor(options: unknown) {
      constructed.push(options);
    }
    async detect(image: unknown) {
      detected.push(image);
      return found;
    }
  }
  vi.stubGlobal('BarcodeDetector', FakeBarcodeDetector);
  vi.stubGlobal('ImageData', FakeImageData);
  return { constructed, detected };
}

const frame = { data: new Uint8ClampedArray([1, 2, 3, 255, 4, 5, 6, 255]), width: 2, height: 1 };

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the BarcodeDetector decoder', () => {
  it('is absent where the platform has no BarcodeDetector', async () => {
    expect('BarcodeDetector' in globalThis).toBe(false);
    expect(await createBarcodeDetectorDecoder()).toBeNull();
  });

  it('is absent where the detector supports no QR codes', async () => {
    fakeDetector(async () => ['ean_13', 'code_128']);
    expect(await createBarcodeDetectorDecoder()).toBeNull();
  });

  it('is absent where the detector supports no format at all (some in-app browsers)', async () => {
    fakeDetector(async () => []);
    expect(await createBarcodeDetectorDecoder()).toBeNull();
  });

  it('is absent where asking for the supported formats throws', async () => {
    fakeDetector(() => Promise.reject(new Error('NotSupportedError')));
    expect(await createBarcodeDetectorDecoder()).toBeNull();
  });

  it('reads QR codes only, from the frame as an ImageData, where qr_code is supported', async () => {
    const fake = fakeDetector(
      async () => ['ean_13', 'qr_code'],
      [
        { format: 'ean_13', rawValue: '4006381333931' },
        { format: 'qr_code', rawValue: 'GP1:ABC' },
      ],
    );
    const decoder = await createBarcodeDetectorDecoder();
    expect(decoder?.name).toBe('barcode-detector');
    expect(fake.constructed).toEqual([{ formats: ['qr_code'] }]);

    expect(await decoder!.decode(frame)).toBe('GP1:ABC');
    const image = fake.detected[0];
    expect(image).toBeInstanceOf(FakeImageData);
    expect(image).toMatchObject({ data: frame.data, width: 2, height: 1 });
  });

  it('hands an ImageData over as it is', async () => {
    const fake = fakeDetector(async () => ['qr_code']);
    const decoder = await createBarcodeDetectorDecoder();
    const imageData = new FakeImageData(frame.data, 2, 1);
    await decoder!.decode(imageData);
    expect(fake.detected[0]).toBe(imageData);
  });

  it('reads nothing when the detector finds no QR code', async () => {
    fakeDetector(async () => ['qr_code'], [{ format: 'ean_13', rawValue: '4006381333931' }]);
    const decoder = await createBarcodeDetectorDecoder();
    expect(await decoder!.decode(frame)).toBeNull();
  });
});
