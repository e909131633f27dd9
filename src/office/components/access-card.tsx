/**
 * The temporary access card (临时《出入卡》) as printed: CR80 size, 85.6 × 54 mm (ISO/IEC 7810
 * ID-1), with the 1-inch photo, the holder's name, role and employer unit, the allowed days and
 * hours, the validity, the serial and the GP1 code at ECC level Q. Sized in millimetres, so the
 * screen preview, the single-card print and the A4 sheet are the same card.
 */
import { lastDayOf } from '../../domain/card';
import { dateOf, isoDate, roleText, serialText, timeZone, windowText } from '../format';
import { t } from '../messages';
import { photoUrl, type Card } from '../model';
import { QrCode } from './qr-code';

export function AccessCard(props: { card: Card; communityName: string }) {
  const { card } = props;
  const units = card.households.map((h) => h.label).join('、');
  return (
    <article class="access-card" data-testid="access-card" data-serial={card.serial}>
      <header class="access-card-band">
        <span class="access-card-community">{props.communityName}</span>
        <span class="access-card-title">{t('card.printTitle')}</span>
      </header>
      <div class="access-card-body">
        {card.photoHash ? (
          <img class="access-card-photo" src={photoUrl(card.photoHash)} alt={t('card.photo')} />
        ) : (
          <div class="access-card-photo" />
        )}
        <dl class="access-card-fields">
          <dt>{t('card.holderName')}</dt>
          <dd class="access-card-name">{card.holderName}</dd>
          <dt>{t('card.role')}</dt>
          <dd>{roleText(card.role, card.roleLabel)}</dd>
          <dt>{t('card.employer')}</dt>
          <dd>{units}</dd>
          <dt>{t('card.hours')}</dt>
          <dd>{windowText(card.window)}</dd>
          <dt>{t('card.validity')}</dt>
          <dd class="access-card-validity">
            <span>{t('card.validFromDay', { date: dateOf(card.validFrom) })}</span>
            <span>
              {t('card.validToDay', { date: isoDate(lastDayOf(card.validUntil, timeZone())) })}
            </span>
          </dd>
        </dl>
        <div class="access-card-code">
          {card.code && (
            <QrCode text={card.code} ecc="Q" class="access-card-qr" label={t('card.qr')} />
          )}
          <span class="access-card-serial">{serialText(card.serial)}</span>
        </div>
      </div>
      <footer class="access-card-foot">{t('card.printFoot')}</footer>
    </article>
  );
}
