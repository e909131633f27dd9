/**
 * Typed message catalogs. Simplified Chinese is the reference catalog and the default; every
 * other locale must have exactly its keys (a missing key is a type error, and a unit test checks
 * the catalogs and their {placeholders} at run time too).
 */
import { signal, type Signal } from '@preact/signals';

export const LOCALES = ['zh-Hans', 'zh-Hant', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-Hans';

/** The language tag for <html lang>, Intl and speech. */
export const LANGUAGE_TAG: Record<Locale, string> = {
  'zh-Hans': 'zh-CN',
  'zh-Hant': 'zh-TW',
  en: 'en',
};

export type Catalog<K extends string> = Readonly<Record<K, string>>;
export type Catalogs<K extends string> = Readonly<Record<Locale, Catalog<K>>>;
export type Params = Readonly<Record<string, string | number>>;

const STORAGE_KEY = 'gatepost.locale';

function initialLocale(): Locale {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (saved && (LOCALES as readonly string[]).includes(saved)) return saved as Locale;
  } catch {
    // Storage can be unavailable (private mode, tests); the default applies.
  }
  return DEFAULT_LOCALE;
}

export const locale: Signal<Locale> = signal(initialLocale());

export function setLocale(next: Locale): void {
  locale.value = next;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, next);
  } catch {
    // Not persisted; the choice still holds for this session.
  }
  applyDocumentLanguage();
}

/** Keeps <html lang> true to the shown language (screen readers, fonts, hyphenation). */
export function applyDocumentLanguage(): void {
  if (typeof document !== 'undefined') document.documentElement.lang = LANGUAGE_TAG[locale.value];
}

export function format(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** A translate function bound to the current locale (reading the signal subscribes the caller). */
export function translator<K extends string>(catalogs: Catalogs<K>) {
  return (key: K, params?: Params): string => format(catalogs[locale.value][key], params);
}
