/**
 * The paper fallback: every card valid now, with photo, serial, employer unit, days and hours and
 * validity, on A4 in landscape, for the gate to check cards by hand while the tablet is down. The
 * ID number appears masked only. Print it after each day's changes and keep it at the gate.
 */
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api';
import { dateTimeOfMs, roleText, serialText, validityText, windowText } from '../format';
import { usePaper } from '../components/page-size';
import { t } from '../messages';
import { photoUrl, type Card } from '../model';
import { cpath } from '../session';

export function RosterPage() {
  usePaper('roster');
  const [roster, setRoster] = useState<{
    communityName: string;
    generatedAt: number;
    items: Card[];
  } | null>(null);
  useEffect(() => {
    void get<{ communityName: string; generatedAt: number; items: Card[] }>(
      cpath('/cards/roster'),
    ).then(setRoster);
  }, []);
  if (!roster) return <p class="page">{t('page.loading')}</p>;
  // By name in pinyin order, the way a guard looks a name up on paper.
  const byName = new Intl.Collator('zh-Hans-CN-u-co-pinyin');
  const items = [...roster.items].sort(
    (a, b) => byName.compare(a.holderName, b.holderName) || a.serial - b.serial,
  );
  return (
    <section class="page roster" data-testid="roster">
      <div class="print-tools no-print">
        <button type="button" class="button-primary" onClick={() => window.print()}>
          {t('print.print')}
        </button>
        <p class="hint">{t('roster.hint')}</p>
      </div>
      <div class="print-roster">
        <h2>
          {roster.communityName} · {t('roster.heading')}
        </h2>
        <p class="roster-meta">
          {t('roster.meta', { at: dateTimeOfMs(roster.generatedAt), n: roster.items.length })}
        </p>
        <table class="roster-table">
          <thead>
            <tr>
              <th>{t('card.photo')}</th>
              <th>{t('card.serial')}</th>
              <th>{t('card.holderName')}</th>
              <th>{t('card.role')}</th>
              <th>{t('card.employer')}</th>
              <th>{t('card.hours')}</th>
              <th>{t('card.validity')}</th>
              <th>{t('card.idNumber')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.serial}>
                <td>
                  {c.photoHash && <img class="roster-photo" src={photoUrl(c.photoHash)} alt="" />}
                </td>
                <td>{serialText(c.serial)}</td>
                <td class="roster-name">{c.holderName}</td>
                <td>{roleText(c.role, c.roleLabel)}</td>
                <td>{c.households.map((h) => h.label).join('、')}</td>
                <td>{windowText(c.window)}</td>
                <td>{validityText(c.validFrom, c.validUntil)}</td>
                <td>{c.idMasked}</td>
              </tr>
            ))}
            {roster.items.length === 0 && (
              <tr>
                <td colSpan={8} class="table-empty">
                  {t('table.empty')}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
