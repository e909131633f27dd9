/**
 * Pieces of a release slip the office shows in several places: its state as a badge (words and
 * colour), its items in words, and its gate records as a table (when, which gate, outcome, what
 * was let out, why, carrier, photo of the load).
 */
import type { SlipState } from '../../domain/slip';
import { dateTimeOfMs } from '../format';
import { t, type OfficeKey } from '../messages';
import { photoUrl, type Slip, type SlipItem, type SlipRecord } from '../model';

export const SLIP_STATE_KEYS: Record<SlipState, OfficeKey> = {
  awaiting_approval: 'slipState.awaiting_approval',
  issued: 'slipState.issued',
  used: 'slipState.used',
  partly_used: 'slipState.partly_used',
  refused: 'slipState.refused',
  expired: 'slipState.expired',
  revoked: 'slipState.revoked',
};

export function SlipStateBadge(props: { state: SlipState }) {
  return (
    <span
      class={`badge badge-slip-${props.state}`}
      data-testid="slip-state"
      data-state={props.state}
    >
      {t(SLIP_STATE_KEYS[props.state])}
    </span>
  );
}

export const itemsText = (items: readonly SlipItem[]) =>
  items.map((i) => `${i.name}×${i.quantity}${i.unit}`).join('、');

export const outcomeText = (r: SlipRecord) => t(`slipOutcome.${r.outcome}`);

export const reasonText = (reason: string | null) =>
  reason ? t(`slipReason.${reason}` as OfficeKey) : '';

/** What a record let out, line by line, against the slip ("冰箱 1/1台, 纸箱 4/6箱"). */
export function passedText(slip: Pick<Slip, 'items'>, r: SlipRecord): string {
  return r.lines
    .map((l) => {
      const item = slip.items[l.index];
      return item ? `${item.name} ${l.passed}/${item.quantity}${item.unit}` : '';
    })
    .filter(Boolean)
    .join('、');
}

export function SlipRecords(props: { slip: Pick<Slip, 'items'>; records: SlipRecord[] }) {
  if (props.records.length === 0) return <p class="hint">{t('slip.noRecords')}</p>;
  return (
    <table class="records-table" data-testid="slip-records">
      <thead>
        <tr>
          <th>{t('slip.recordAt')}</th>
          <th>{t('slip.recordGate')}</th>
          <th>{t('slip.recordOutcome')}</th>
          <th>{t('slip.recordPassed')}</th>
          <th>{t('slip.recordWhy')}</th>
          <th>{t('slip.carrierName')}</th>
          <th>{t('slip.recordPhoto')}</th>
        </tr>
      </thead>
      <tbody>
        {props.records.map((r) => (
          <tr key={r.eventId} data-testid="slip-record" data-outcome={r.outcome}>
            <td>{dateTimeOfMs(r.at)}</td>
            <td>{r.deviceName}</td>
            <td>
              <span class={`badge badge-outcome-${r.outcome}`}>{outcomeText(r)}</span>
            </td>
            <td>{passedText(props.slip, r)}</td>
            <td>{[reasonText(r.reason), r.note].filter(Boolean).join(' · ')}</td>
            <td>{r.carrierName}</td>
            <td>
              {r.photoHash && (
                <a href={photoUrl(r.photoHash)} target="_blank" rel="noreferrer">
                  <img class="load-photo" src={photoUrl(r.photoHash)} alt={t('slip.recordPhoto')} />
                </a>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
