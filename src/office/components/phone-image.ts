/**
 * A code as an image for a phone: a PNG with the QR at ECC level M (the level for screens, DESIGN
 * §3.3), large enough for the gate's camera at arm's length, and a few lines for the holder's own
 * reference. A card's shows its serial, validity and hours; no photo and no ID number.
 */
import QRCode from 'qrcode';
import { roleText, serialText, validityText, windowText } from '../format';
import { t } from '../messages';
import type { Card } from '../model';

const WIDTH = 720;
const HEIGHT = 1100;

/** What a code image shows: the heading under the community, the name, a few lines, a footnote. */
export interface CodeImage {
  code: string;
  heading: string;
  name: string;
  lines: string[];
  foot: string;
}

export function phoneImage(card: Card, communityName: string): Promise<Blob> {
  if (!card.code) throw new Error('the card has no code');
  return codeImage(
    {
      code: card.code,
      heading: t('card.printTitle'),
      name: card.holderName,
      lines: [
        `${roleText(card.role, card.roleLabel)} · ${card.households.map((h) => h.label).join('、')}`,
        windowText(card.window),
        validityText(card.validFrom, card.validUntil),
        serialText(card.serial),
      ],
      foot: t('card.phoneFoot'),
    },
    communityName,
  );
}

/** A PNG of a code for a phone's screen (ECC level M), with its words below. */
export async function codeImage(image: CodeImage, communityName: string): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = WIDTH;
  canvas.height = HEIGHT;
  const g = canvas.getContext('2d')!;
  const font = getComputedStyle(document.body).fontFamily;
  g.fillStyle = '#fff';
  g.fillRect(0, 0, WIDTH, HEIGHT);
  g.fillStyle = '#1f3a5f';
  g.fillRect(0, 0, WIDTH, 130);
  g.fillStyle = '#fff';
  g.textAlign = 'center';
  g.font = `600 34px ${font}`;
  g.fillText(communityName, WIDTH / 2, 60);
  g.font = `28px ${font}`;
  g.fillText(image.heading, WIDTH / 2, 105);

  const qr = QRCode.create(image.code, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const margin = 4;
  const module = Math.floor(560 / (n + 2 * margin));
  const side = module * (n + 2 * margin);
  const x0 = (WIDTH - side) / 2;
  const y0 = 170;
  g.fillStyle = '#000';
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (qr.modules.get(r, c))
        g.fillRect(x0 + (c + margin) * module, y0 + (r + margin) * module, module, module);
    }
  }

  g.fillStyle = '#14202b';
  g.font = `600 44px ${font}`;
  let y = y0 + side + 70;
  g.fillText(image.name, WIDTH / 2, y);
  g.font = `30px ${font}`;
  for (const line of image.lines) {
    y += 52;
    g.fillText(line, WIDTH / 2, y);
  }
  g.fillStyle = '#4a5866';
  g.font = `24px ${font}`;
  g.fillText(image.foot, WIDTH / 2, HEIGHT - 40);
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('no image'))), 'image/png'),
  );
}
