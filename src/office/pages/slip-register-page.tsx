/**
 * The slip register in the paper slip's columns (编号, 日期, 房号, 申请人, 物品及数量, 车牌, 搬运人,
 * 有效期, 状态, 门岗记录), printed on A4 landscape, and the same rows as CSV (domain/csv.ts).
 */
import { useEffect, useState } from 'preact/hooks';
import { toCsv } from '../../domain/csv';
import { get, query } from '../api';
import { usePaper } from '../components/page-size';
import {
  SLIP_STATE_KEYS,
  itemsText,
  outcomeText,
  passedText,
  reasonText,
} from '../components/slip-parts';
import { dateOf, dateTimeOfMs, serialText, validityText } from '../format';
import { t } from '../messages';
import type { Page, Slip } from '../model';
import { cpath, currentCommunity } from '../session';
import { downloadBlob } from './card-print-page';

const PAGE = 200;

async function allSlips(state?: string): Promise<Slip[]> {
  const out: Slip[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await get<Page<Slip>>(
      cpath(`/slips${query({ state, sort: 'serial', desc: false, offset, limit: PAGE })}`),
    );
    out.push(...page.items);
    if (out.length >= page.total || page.items.length === 0) return out;
  }
}

const header = () => [
  t('slip.serial'),
  t('slip.issuedOn'),
  t('slip.household'),
  t('slip.applicant'),
  t('slip.items'),
  t('slip.plate'),
  t('slip.carrierName'),
  t('slip.validity'),
  t('slip.state'),
  t('slip.records'),
];

function row(s: Slip): string[] {
  return [
    serialText(s.serial),
    dateOf(Math.floor(s.createdAt / 1000)),
    s.household.label,
    s.applicantName,
    itemsText(s.items),
    s.plate,
    s.carrierName,
    validityText(s.validFrom, s.validUntil),
    t(SLIP_STATE_KEYS[s.state]),
    s.uses
      .map((u) =>
        [
          dateTimeOfMs(u.at),
          u.deviceName,
          outcomeText(u),
          passedText(s, u),
          reasonText(u.reason),
          u.note,
        ]
          .filter(Boolean)
          .join(' '),
      )
      .join('；'),
  ];
}

export async function downloadRegisterCsv(state?: string): Promise<void> {
  const slips = await allSlips(state);
  const csv = '\uFEFF' + toCsv([header(), ...slips.map(row)]);
  downloadBlob(
    new Blob([csv], { type: 'text/csv;charset=utf-8' }),
    `slips-${new Date().toISOString().slice(0, 10)}.csv`,
  );
}

export function SlipRegisterPage() {
  usePaper('roster');
  const [slips, setSlips] = useState<Slip[] | null>(null);
  useEffect(() => void allSlips().then(setSlips), []);
  if (!slips) return <p class="page">{t('page.loading')}</p>;
  return (
    <section class="page print-page" data-testid="slip-register">
      <div class="print-tools no-print">
        <div class="actions">
          <button type="button" class="button-primary" onClick={() => window.print()}>
            {t('print.print')}
          </button>
          <a class="button-like" href="/office/slips">
            {t('print.back')}
          </a>
        </div>
      </div>
      <div class="print-roster">
        <h2>
          {currentCommunity.value?.name} · {t('slips.registerTitle')}
        </h2>
        <table class="roster-table">
          <thead>
            <tr>
              {header().map((h) => (
                <th key={h}>{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {slips.map((s) => (
              <tr key={s.serial}>
                {row(s).map((cell, i) => (
                  <td key={i}>{cell}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
