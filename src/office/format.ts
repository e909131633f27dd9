/**
 * Dates, times and card details put into words for the office, in the community's time zone and
 * the console's language.
 */
import type { CardWindow } from '../domain/credential/body';
import type { CivilDate } from '../domain/rules/civil-date';
import { describeWindow, localDate, localParts } from '../domain/rules/time-window';
import { lastDayOf } from '../domain/card';
import type { CardRole } from '../domain/sync/tables';
import { locale } from '../ui/i18n';
import { t } from './messages';
import { settings } from './session';

export const timeZone = () => settings.value?.timeZone ?? 'Asia/Shanghai';

const pad = (n: number) => String(n).padStart(2, '0');

export function isoDate(d: CivilDate): string {
  return `${d.year}-${pad(d.month)}-${pad(d.day)}`;
}

export function parseIsoDate(s: string): CivilDate | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } : null;
}

/** A date of an instant (seconds) in the community's zone: 2026-11-28. */
export function dateOf(seconds: number): string {
  return isoDate(localDate(seconds, timeZone()));
}

/** Date and time of an instant in milliseconds: 2026-11-28 10:23. */
export function dateTimeOfMs(ms: number): string {
  const p = localParts(Math.floor(ms / 1000), timeZone());
  return `${isoDate(p)} ${pad(Math.floor(p.minutes / 60))}:${pad(p.minutes % 60)}`;
}

/** "2026-11-28 – 2027-02-25", both days included. */
export function validityText(validFrom: number, validUntil: number): string {
  return t('card.validityRange', {
    from: dateOf(validFrom),
    to: isoDate(lastDayOf(validUntil, timeZone())),
  });
}

export function clockText(quarter: number): string {
  return `${pad(Math.floor(quarter / 4))}:${pad((quarter % 4) * 15)}`;
}

const WEEKDAY_KEYS = [
  'weekday.1',
  'weekday.2',
  'weekday.3',
  'weekday.4',
  'weekday.5',
  'weekday.6',
  'weekday.7',
] as const;

export function weekdayName(d: 1 | 2 | 3 | 4 | 5 | 6 | 7): string {
  return t(WEEKDAY_KEYS[d - 1]!);
}

/** "周一至周五 08:00–18:00", "每天 全天", "周一、周三 22:00–次日06:00". */
export function windowText(window: CardWindow): string {
  const w = describeWindow(window);
  const days = w.everyDay
    ? t('window.everyDay')
    : w.dayRuns
        .map((r) =>
          r.from === r.to
            ? weekdayName(r.from)
            : r.to - r.from === 1
              ? `${weekdayName(r.from)}${t('window.and')}${weekdayName(r.to)}`
              : t('window.range', { from: weekdayName(r.from), to: weekdayName(r.to) }),
        )
        .join(t('window.and'));
  if (w.allDay) return `${days} ${t('window.allDay')}`;
  const end = w.crossesMidnight
    ? t('window.nextDay', { time: clockText(window.endQuarter) })
    : clockText(window.endQuarter);
  return `${days} ${clockText(window.startQuarter)}–${end}`;
}

const ROLE_KEYS = {
  nanny: 'role.nanny',
  hourly: 'role.hourly',
  tutor: 'role.tutor',
  other: 'role.other',
} as const;

export function roleText(role: CardRole, label: string): string {
  return label !== '' ? label : t(ROLE_KEYS[role]);
}

/** Card serials as printed: No. 000123. */
export function serialText(serial: number): string {
  return `No. ${String(serial).padStart(6, '0')}`;
}

/** Numbers with the locale's grouping. */
export function count(n: number): string {
  return n.toLocaleString(locale.value === 'en' ? 'en' : 'zh-CN');
}
