/**
 * A verdict in the guard's words: the headline, and the one line that says why (how long ago a
 * card expired, when and why it was revoked, which hours it allows…), from the verdict's stable
 * reason code and its details.
 */
import type { CardWindow } from '../../domain/credential/body';
import type { SyncedRow } from '../../domain/sync/tables';
import type { Verdict } from '../../domain/verdict/card';
import { clockTime, duration } from '../format';
import { t } from '../messages';
import type { GateVerdict } from './judge';

export function verdictWord(v: Verdict): string {
  return t(`verdict.word.${v}`);
}

const hhmm = (quarter: number) =>
  `${String(Math.floor(quarter / 4)).padStart(2, '0')}:${String((quarter % 4) * 15).padStart(2, '0')}`;

/** "周一、周二 08:00–18:00", "每天 全天". */
export function windowText(w: CardWindow): string {
  const names = t('window.weekdays').split(',');
  const days =
    w.weekdays === 0x7f
      ? t('window.everyDay')
      : names.filter((_, i) => w.weekdays & (1 << i)).join(t('window.daySeparator'));
  const allDay = w.startQuarter === w.endQuarter || (w.startQuarter === 0 && w.endQuarter === 96);
  return `${days} ${allDay ? t('window.allDay') : `${hhmm(w.startQuarter)}–${hhmm(w.endQuarter)}`}`;
}

export function unitText(h: { building: string; unit: string; room: string }): string {
  return t('holder.unit', h);
}

export function roleText(card: SyncedRow<'card'>): string {
  return card.role === 'other' && card.roleLabel ? card.roleLabel : t(`role.${card.role}`);
}

const REVOCATION_REASONS: ReadonlyArray<SyncedRow<'revocation'>['reason']> = [
  'lost',
  'left_job',
  'misuse',
  'renewed',
  'moved_out',
  'other',
];

/** A revocation's reason code in words; a card's own status reason is the office's words already. */
function revocationWords(reason: string): string {
  const code = REVOCATION_REASONS.find((r) => r === reason);
  return code ? t(`revocation.${code}`) : reason;
}

/** The one line that explains the verdict. */
export function reasonLine(v: GateVerdict): string {
  const since = (s: number | undefined) => duration((s ?? 0) * 1000);
  switch (v.reason) {
    case 'revoked': {
      const why = [revocationWords(v.revocationReason ?? ''), v.revocationNote ?? '']
        .filter(Boolean)
        .join(' · ');
      return v.revokedAt
        ? t('reason.revoked', { when: clockTime(v.revokedAt * 1000), why })
        : t('reason.revokedUndated', { why });
    }
    case 'expired':
      return t('reason.expired', { ago: since(v.seconds) });
    case 'not_yet_valid':
      return t('reason.not_yet_valid', { until: since(v.seconds) });
    case 'outside_hours': {
      const w = v.card?.window;
      return t('reason.outside_hours', { window: w ? windowText(w) : '—' });
    }
    case 'clock_behind':
      return t('reason.clock_behind', {
        behind: duration(
          v.freshness.state === 'clock_behind' ? v.freshness.behindSeconds * 1000 : 0,
        ),
      });
    case 'data_too_old':
    case 'data_stale': {
      const f = v.freshness;
      const hours = f.state === 'too_old' || f.state === 'stale' ? f.hoursSincePull : null;
      if (hours === null) return t('reason.data_never');
      return t(`reason.${v.reason}`, { age: duration(hours * 3_600_000) });
    }
    case 'unknown_card':
      return t(v.manual ? 'reason.unknown_card_manual' : 'reason.unknown_card');
    case 'not_a_card':
      return t('reason.not_a_card', {
        type: t(v.credentialType === 'invitation' ? 'credential.invitation' : 'credential.slip'),
      });
    default:
      return t(`reason.${v.reason}`);
  }
}
