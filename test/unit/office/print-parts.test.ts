import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { PORTRAIT_HEIGHT, PORTRAIT_WIDTH } from '../../../src/domain/photo';
import { qrPath } from '../../../src/office/components/qr-code';
import { portraitCrop } from '../../../src/office/photo';
import { createTestCommunity } from '../../fixtures/community-keys';

describe('the printed QR', () => {
  it('draws exactly the dark modules of the symbol, with the quiet zone around them', async () => {
    const community = await createTestCommunity(7);
    const code = await community.issue({
      type: 'card',
      serial: 123,
      notBefore: 1_790_000_000,
      expires: 1_797_000_000,
      window: { weekdays: 0x1f, startQuarter: 32, endQuarter: 72 },
    });
    const { size, d } = qrPath(code, 'Q', 2);
    const symbol = QRCode.create(code, { errorCorrectionLevel: 'Q' });
    // A card code is version 8 at Q: 49 modules (docs/credential-format.md §8).
    expect(symbol.version).toBe(8);
    expect(size).toBe(49 + 4);
    // Rebuild the matrix from the path's runs and compare it module by module.
    const dark = new Set<string>();
    for (const m of d.matchAll(/M(\d+) (\d+)h(\d+)/g)) {
      const [x, y, run] = [Number(m[1]), Number(m[2]), Number(m[3])];
      for (let i = 0; i < run; i++) dark.add(`${y - 2},${x - 2 + i}`);
    }
    for (let r = 0; r < 49; r++) {
      for (let c = 0; c < 49; c++) {
        expect(dark.has(`${r},${c}`)).toBe(Boolean(symbol.modules.get(r, c)));
      }
    }
  });
});

describe('the portrait crop', () => {
  const aspect = PORTRAIT_WIDTH / PORTRAIT_HEIGHT;

  it('takes the largest centred 295:413 area of a landscape camera frame, smaller when zoomed', () => {
    const c = portraitCrop(1280, 720);
    expect(c.sh).toBe(720);
    expect(c.sw / c.sh).toBeCloseTo(aspect, 10);
    expect(c.sx + c.sw / 2).toBeCloseTo(640, 10);
    const z = portraitCrop(1280, 720, 2);
    expect(z.sh).toBe(360);
    expect(z.sy).toBe(180);
  });

  it('fits a tall upload by its width', () => {
    const c = portraitCrop(600, 2000);
    expect(c.sw).toBe(600);
    expect(c.sw / c.sh).toBeCloseTo(aspect, 10);
    expect(c.sy + c.sh / 2).toBeCloseTo(1000, 10);
  });
});
