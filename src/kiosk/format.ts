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
