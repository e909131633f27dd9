import { translator, type Catalogs } from '../../ui/i18n';
import { messages as en } from './en';
import { messages as zhHans, type OfficeKey } from './zh-Hans';
import { messages as zhHant } from './zh-Hant';

export type { OfficeKey };
export const officeCatalogs: Catalogs<OfficeKey> = { 'zh-Hans': zhHans, 'zh-Hant': zhHant, en };
export const t = translator(officeCatalogs);
