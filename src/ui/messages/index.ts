import { translator, type Catalogs } from '../i18n';
import { messages as en } from './en';
import { messages as zhHans, type UiKey } from './zh-Hans';
import { messages as zhHant } from './zh-Hant';

export const uiCatalogs: Catalogs<UiKey> = { 'zh-Hans': zhHans, 'zh-Hant': zhHant, en };
export const tUi = translator(uiCatalogs);
