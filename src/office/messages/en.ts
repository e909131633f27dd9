import type { Catalog } from '../../ui/i18n';
import type { OfficeKey } from './zh-Hans';

export const messages: Catalog<OfficeKey> = {
  'office.title': 'Property office console',
  'signIn.heading': 'Sign in',
  'signIn.username': 'User name',
  'signIn.password': 'Password',
  'signIn.submit': 'Sign in',
  'signIn.failed': 'Wrong user name or password',
  'signIn.unavailable': 'Cannot reach the server; please try again shortly',
};
