/**
 * Print previews: one card at its own size (CR80, for a card printer or a cut sheet), and a sheet
 * of cards on A4 (10 a page, with cut lines). The page shows exactly what prints; the print
 * style sheet (office.css, @page card / sheet) removes everything around it. A reprint prints the
 * card's stored code, the same as the first print.
 */
import { useEffect, useState } from 'preact/hooks';
import { AccessCard } from '../components/access-card';
import { phoneImage } from '../components/phone-image';
import { serialText } from '../format';
import { usePaper } from '../components/page-size';
import { t } from '../messages';
import { fetchCard, type Card } from '../model';
import { location$ } from '../router';
import { currentCommunity } from '../session';

const PER_SHEET = 10;

/** Hands a file made in the browser to the clerk as a download. */
export function downloadBlob(blob: Blob, name: string) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

export function CardPrintPage(props: { params: Record<string, string> }) {
  usePaper('card');
  const serial = Number(props.params.serial);
  const issued = location$.value.search.get('issued') === '1';
  const [card, setCard] = useState<Card | null>(null);
  const [missing, setMissing] = useState(false);
  useEffect(() => {
    fetchCard(serial).then(setCard, () => setMissing(true));
  }, [serial]);
  if (missing) return <p class="page">{t('detail.missing')}</p>;
  if (!card) return <p class="page">{t('page.loading')}</p>;
  const community = currentCommunity.value?.name ?? '';
  return (
    <section class="page print-page" data-testid="print-preview">
      <div class="print-tools no-print">
        {issued && (
          <p class="notice" role="status" data-testid="issued-notice">
            {t('print.issued', { serial: serialText(card.serial), name: card.holderName })}
          </p>
        )}
        <div class="actions">
          <button type="button" class="button-primary" onClick={() => window.print()}>
            {t('print.print')}
          </button>
          <button
            type="button"
            onClick={() =>
              void phoneImage(card, community).then((b) =>
                downloadBlob(b, `card-${card.serial}.png`),
              )
            }
          >
            {t('detail.phoneImage')}
          </button>
          <a class="button-like" href={`/office/cards/${card.serial}`}>
            {t('print.toCard')}
          </a>
          <a class="button-like" href="/office/cards/new">
            {t('print.another')}
          </a>
        </div>
        <p class="hint">{t('print.cardHint')}</p>
      </div>
      <div class="print-single">
        <AccessCard card={card} communityName={community} />
      </div>
    </section>
  );
}

export function CardSheetPage() {
  usePaper('sheet');
  const serials = (location$.value.search.get('serials') ?? '')
    .split(',')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0)
    .slice(0, 100);
  const [cards, setCards] = useState<Card[] | null>(null);
  useEffect(() => {
    void Promise.all(serials.map((s) => fetchCard(s).catch(() => null))).then((all) =>
      setCards(all.filter((c): c is Card => c !== null && c.status === 'active')),
    );
  }, [serials.join(',')]);
  if (!cards) return <p class="page">{t('page.loading')}</p>;
  const community = currentCommunity.value?.name ?? '';
  const sheets: Card[][] = [];
  for (let i = 0; i < cards.length; i += PER_SHEET) sheets.push(cards.slice(i, i + PER_SHEET));
  return (
    <section class="page print-page" data-testid="sheet-preview">
      <div class="print-tools no-print">
        <div class="actions">
          <button type="button" class="button-primary" onClick={() => window.print()}>
            {t('print.print')}
          </button>
          <a class="button-like" href="/office/cards">
            {t('print.back')}
          </a>
        </div>
        <p class="hint">{t('print.sheetHint', { n: cards.length, sheets: sheets.length })}</p>
      </div>
      <div class="print-sheets">
        {sheets.map((sheet, i) => (
          <div class="a4-sheet" key={i} data-testid="a4-sheet">
            {sheet.map((card) => (
              <div class="sheet-slot" key={card.serial}>
                <AccessCard card={card} communityName={community} />
              </div>
            ))}
          </div>
        ))}
      </div>
    </section>
  );
}
