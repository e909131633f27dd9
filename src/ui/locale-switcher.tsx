import { LOCALES, locale, setLocale, type Locale } from './i18n';
import { uiCatalogs, tUi } from './messages';

/** Each language is named in itself, so a guard who cannot read the current one still finds theirs. */
export function LocaleSwitcher() {
  return (
    <label class="locale-switcher">
      <span class="visually-hidden">{tUi('locale.choose')}</span>
      <select
        value={locale.value}
        onChange={(e) => setLocale((e.currentTarget as HTMLSelectElement).value as Locale)}
        aria-label={tUi('locale.choose')}
      >
        {LOCALES.map((l) => (
          <option key={l} value={l}>
            {uiCatalogs[l]['locale.name']}
          </option>
        ))}
      </select>
    </label>
  );
}
