/**
 * A QR code as SVG, drawn from the module matrix of the project's `qrcode` package: crisp at any
 * print resolution, no canvas, no HTML injected. ECC level Q for print, M on screens (DESIGN §3.3),
 * with a quiet zone of `margin` modules (ISO/IEC 18004 asks 4; 2 reads well on a card).
 */
import QRCode from 'qrcode';
import { useMemo } from 'preact/hooks';

export type EccLevel = 'M' | 'Q';

/** The SVG path of the dark modules, one sub-path per horizontal run. */
export function qrPath(text: string, ecc: EccLevel, margin: number): { size: number; d: string } {
  const qr = QRCode.create(text, { errorCorrectionLevel: ecc });
  const n = qr.modules.size;
  const parts: string[] = [];
  for (let row = 0; row < n; row++) {
    let col = 0;
    while (col < n) {
      if (!qr.modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < n && qr.modules.get(row, col)) col++;
      parts.push(`M${start + margin} ${row + margin}h${col - start}v1h-${col - start}z`);
    }
  }
  return { size: n + 2 * margin, d: parts.join('') };
}

export function QrCode(props: {
  text: string;
  ecc: EccLevel;
  margin?: number;
  class?: string;
  label: string;
}) {
  const margin = props.margin ?? 2;
  const { size, d } = useMemo(
    () => qrPath(props.text, props.ecc, margin),
    [props.text, props.ecc, margin],
  );
  return (
    <svg
      class={props.class}
      viewBox={`0 0 ${size} ${size}`}
      shape-rendering="crispEdges"
      role="img"
      aria-label={props.label}
      data-ecc={props.ecc}
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
