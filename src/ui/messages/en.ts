import type { Catalog } from '../i18n';
import type { UiKey } from './zh-Hans';

export const messages: Catalog<UiKey> = {
  'locale.name': 'English',
  'locale.choose': 'Language',
  'app.name': 'Gate post',
};
