import type { Catalog } from '../i18n';
import type { UiKey } from './zh-Hans';

export const messages: Catalog<UiKey> = {
  'locale.name': '繁體中文',
  'locale.choose': '語言',
  'app.name': '門崗',
};
