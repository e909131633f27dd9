/**
 * The paper a print page prints on, set while the page is open: an `@page` rule in a style
 * element of its own, removed when the page closes, so exactly one paper size is in force and
 * every browser that prints at all honours it (no reliance on CSS named pages).
 */
import { useEffect } from 'preact/hooks';

export const PAPER = {
  /** CR80 (ISO/IEC 7810 ID-1), edge to edge. */
  card: 'size: 85.6mm 54mm; margin: 0',
  /** The A4 sheet of cards draws its own margins. */
  sheet: 'size: A4 portrait; margin: 0',
  roster: 'size: A4 landscape; margin: 10mm',
  /** The procedure's paper forms (the incident record …). */
  form: 'size: A4 portrait; margin: 15mm',
  /** The release slip, as the paper one: A5. */
  slip: 'size: A5 portrait; margin: 8mm',
} as const;

export function usePaper(paper: keyof typeof PAPER): void {
  useEffect(() => {
    const style = document.createElement('style');
    style.media = 'print';
    style.textContent = `@page { ${PAPER[paper]}; }`;
    document.head.append(style);
    return () => style.remove();
  }, [paper]);
}
