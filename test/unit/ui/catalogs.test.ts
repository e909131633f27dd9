import { describe, expect, it } from 'vitest';
import { LOCALES, type Catalogs } from '../../../src/ui/i18n';
import { uiCatalogs } from '../../../src/ui/messages';
import { kioskCatalogs } from '../../../src/kiosk/messages';
import { officeCatalogs } from '../../../src/office/messages';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

// The compiler already refuses a catalog with a missing or extra key; this checks what it cannot:
// empty strings, placeholders that differ between languages, and catalogs assembled at run time.
describe.each([
  ['ui', uiCatalogs],
  ['kiosk', kioskCatalogs],
  ['office', officeCatalogs],
] as [string, Catalogs<string>][])('%s messages', (_name, catalogs) => {
  const reference = catalogs['zh-Hans'];
  const keys = Object.keys(reference).sort();

  it.each(LOCALES)('%s has every key, none empty, with the same placeholders', (l) => {
    const catalog = catalogs[l];
    expect(Object.keys(catalog).sort()).toEqual(keys);
    for (const key of keys) {
      expect(catalog[key]!.trim(), `${l} ${key}`).not.toBe('');
      expect(placeholders(catalog[key]!), `${l} ${key}`).toEqual(placeholders(reference[key]!));
    }
  });
});
