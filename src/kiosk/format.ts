/**
 * Times and durations in the guard's language, rounded to what a glance needs.
 */
import { t } from './messages';

export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return t('duration.seconds', { n: s });
  const m = Math.round(s / 60);
  if (m < 60) return t('duration.minutes', { n: m });
  const h = Math.floor(m / 60);
  if (h < 48) return t('duration.hours', { n: h });
  return t('duration.days', { n: Math.floor(h / 24) });
}

/**
 * A moment as month, day and 24-hour time on the tablet's clock, from the catalog, not Intl: the
 * page's first Intl date format loads the locale's data on the main thread (60–190 ms measured on
 * the development machine, at the end of a kiosk's first sync, when the indicator first shows the
 * time of the last pull), and each `toLocaleString` with options builds a new formatter.
 */
export function clockTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return t('time.clock', {
    month: d.getMonth() + 1,
    day: d.getDate(),
    hh: pad(d.getHours()),
    mm: pad(d.getMinutes()),
  });
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Local calendar day of `ms`, as the office writes dates: 2026-11-28. */
export function localDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Local date and time of `ms`, for paper: 2026-11-28 08:05. */
export function paperTime(ms: number): string {
  const d = new Date(ms);
  return `${localDay(ms)} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
