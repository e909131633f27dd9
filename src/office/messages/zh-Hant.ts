import type { Catalog } from '../../ui/i18n';
import type { OfficeKey } from './zh-Hans';

export const messages: Catalog<OfficeKey> = {
  'office.title': '物業辦公室控制台',
  'signIn.heading': '登入',
  'signIn.username': '使用者名稱',
  'signIn.password': '密碼',
  'signIn.submit': '登入',
  'signIn.failed': '使用者名稱或密碼不正確',
  'signIn.unavailable': '無法連線伺服器，請稍後再試',
};
