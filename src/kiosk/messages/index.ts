import { translator, type Catalogs } from '../../ui/i18n';
import { messages as en } from './en';
import { messages as zhHans, type KioskKey } from './zh-Hans';
import { messages as zhHant } from './zh-Hant';

export const kioskCatalogs: Catalogs<KioskKey> = { 'zh-Hans': zhHans, 'zh-Hant': zhHant, en };
export const t = translator(kioskCatalogs);
