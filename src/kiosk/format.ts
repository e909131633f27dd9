/**
 * Times and durations in the guard's language, rounded to what a glance needs.
 */
import { LANGUAGE_TAG, locale } from '../ui/i18n';
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

export function clockTime(ms: number): string {
  return new Date(ms).toLocaleString(LANGUAGE_TAG[locale.value], {
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
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
