/**
 * The printed release slip (《物资搬运放行条》) on A5, as the paper one: the community and title,
 * serial, unit, applicant, plate, carrier, validity and trips, the items table, the QR (ECC level
 * Q for print), and signature lines for the applicant, the office and the guard. The code can also
 * be downloaded as an image for the applicant's phone.
 */
import { useEffect, useState } from 'preact/hooks';
import { codeImage } from '../components/phone-image';
import { usePaper } from '../components/page-size';
import { QrCode } from '../components/qr-code';
import { serialText, validityText } from '../format';
import { t } from '../messages';
import { fetchSlip, type Slip } from '../model';
import { location$ } from '../router';
import { currentCommunity } from '../session';
import { itemsText } from '../components/slip-parts';
import { downloadBlob } from './card-print-page';

/** Rows the paper slip always has, so it can be filled by hand when fewer items are listed. */
const MIN_ROWS = 6;

export function PrintedSlip(props: { slip: Slip; communityName: string }) {
  const s = props.slip;
  const blank = Math.max(0, MIN_ROWS - s.items.length);
  return (
    <article class="printed-slip" data-testid="printed-slip">
      <header>
        <div>
          <p class="printed-community">{props.communityName}</p>
          <h1>{t('slip.printTitle')}</h1>
          <p class="printed-serial">{serialText(s.serial)}</p>
        </div>
        <QrCode
          class="printed-qr"
          text={s.code ?? ''}
          ecc="Q"
          margin={4}
          label={t('slip.qrLabel')}
        />
      </header>
      <dl class="printed-fields">
        <dt>{t('slip.household')}</dt>
        <dd>{s.household.label}</dd>
        <dt>{t('slip.applicant')}</dt>
        <dd>
          {s.applicantName}（{t(`applicantRole.${s.applicantRole}`)}）
        </dd>
        <dt>{t('card.idNumber')}</dt>
        <dd>{s.idMasked}</dd>
        <dt>{t('slip.plate')}</dt>
        <dd>{s.plate || '—'}</dd>
        <dt>{t('slip.carrierName')}</dt>
        <dd>{s.carrierName || '—'}</dd>
        <dt>{t('slip.validity')}</dt>
        <dd>
          {validityText(s.validFrom, s.validUntil)} · {t('slipDetail.trips', { n: s.trips })}
        </dd>
      </dl>
      <table class="printed-items">
        <thead>
          <tr>
            <th>#</th>
            <th>{t('slipPrint.itemName')}</th>
            <th>{t('slipPrint.quantity')}</th>
            <th>{t('slipPrint.unit')}</th>
            <th>{t('slipPrint.note')}</th>
            <th>{t('slipPrint.checked')}</th>
          </tr>
        </thead>
        <tbody>
          {s.items.map((i, n) => (
            <tr key={n}>
              <td>{n + 1}</td>
              <td>{i.name}</td>
              <td>{i.quantity}</td>
              <td>{i.unit}</td>
              <td>{i.note}</td>
              <td />
            </tr>
          ))}
          {Array.from({ length: blank }, (_, n) => (
            <tr key={`blank-${n}`} class="blank-row">
              <td colSpan={6}>{n === 0 && s.items.length > 0 ? t('slipPrint.belowBlank') : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="printed-signatures">
        <p>{t('slipPrint.signApplicant')}</p>
        <p>{t('slipPrint.signOffice')}</p>
        <p>{t('slipPrint.signGuard')}</p>
      </div>
      <p class="printed-foot">{t('slipPrint.foot')}</p>
    </article>
  );
}

export function SlipPrintPage(props: { params: Record<string, string> }) {
  usePaper('slip');
  const serial = Number(props.params.serial);
  const issued = location$.value.search.get('issued') === '1';
  const [slip, setSlip] = useState<Slip | null>(null);
  const [missing, setMissing] = useState(false);
  useEffect(() => {
    fetchSlip(serial).then(setSlip, () => setMissing(true));
  }, [serial]);
  if (missing) return <p class="page">{t('detail.missing')}</p>;
  if (!slip) return <p class="page">{t('page.loading')}</p>;
  const community = currentCommunity.value?.name ?? '';
  return (
    <section class="page print-page" data-testid="slip-print">
      <div class="print-tools no-print">
        {issued && (
          <p class="notice" role="status" data-testid="issued-notice">
            {t('slipPrint.issued', { serial: serialText(slip.serial) })}
          </p>
        )}
        <div class="actions">
          <button type="button" class="button-primary" onClick={() => window.print()}>
            {t('print.print')}
          </button>
          <button
            type="button"
            disabled={!slip.code}
            onClick={() =>
              void codeImage(
                {
                  code: slip.code!,
                  heading: t('slip.printTitle'),
                  name: `${slip.household.label} ${slip.applicantName}`,
                  lines: [
                    itemsText(slip.items).slice(0, 40),
                    validityText(slip.validFrom, slip.validUntil),
                    serialText(slip.serial),
                  ],
                  foot: t('slipPrint.phoneFoot'),
                },
                community,
              ).then((b) => downloadBlob(b, `slip-${slip.serial}.png`))
            }
          >
            {t('detail.phoneImage')}
          </button>
          <a class="button-like" href={`/office/slips/${slip.serial}`}>
            {t('slipPrint.toSlip')}
          </a>
          <a class="button-like" href="/office/slips/new">
            {t('slipPrint.another')}
          </a>
        </div>
      </div>
      <div class="print-single">
        <PrintedSlip slip={slip} communityName={community} />
      </div>
    </section>
  );
}
