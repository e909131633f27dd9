/** Reading what a test printed to PDF. */

/** The size of each page of a PDF in millimetres (its MediaBox, in points of 1/72 inch). */
export function pdfPages(pdf: Buffer): number[][] {
  const boxes = pdf
    .toString('latin1')
    .matchAll(/\/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]/g);
  const mm = (pt: number) => (pt * 25.4) / 72;
  return [...boxes].map((m) => [mm(Number(m[3]) - Number(m[1])), mm(Number(m[4]) - Number(m[2]))]);
}
