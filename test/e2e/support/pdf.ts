/** What a printed PDF says about its paper: the size of each page in millimetres (its MediaBox). */
export function pdfPages(pdf: Buffer): number[][] {
  const boxes = pdf
    .toString('latin1')
    .matchAll(/\/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]/g);
  const mm = (pt: number) => (pt * 25.4) / 72;
  return [...boxes].map((m) => [mm(Number(m[3]) - Number(m[1])), mm(Number(m[4]) - Number(m[2]))]);
}
