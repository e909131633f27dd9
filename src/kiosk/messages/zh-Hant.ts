import type { Catalog } from '../../ui/i18n';
import type { KioskKey } from './zh-Hans';

export const messages: Catalog<KioskKey> = {
  'kiosk.title': '門崗終端',
  'enroll.notEnrolled': '本機尚未登記',
  'enroll.explain':
    '請物業客服中心在辦公室控制台為本機產生登記二維碼，然後用本機掃描該二維碼，或輸入登記碼。',
  'update.ready': '有新版本，空閒時自動更新',
};
