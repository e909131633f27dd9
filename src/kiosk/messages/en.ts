import type { Catalog } from '../../ui/i18n';
import type { KioskKey } from './zh-Hans';

export const messages: Catalog<KioskKey> = {
  'kiosk.title': 'Gate kiosk',
  'enroll.notEnrolled': 'This kiosk is not enrolled yet',
  'enroll.explain':
    'Ask the property office to create an enrollment QR code for this kiosk in the office console, then scan it here or type the enrollment code.',
  'update.ready': 'A new version is ready and will be applied when the kiosk is idle',
};
