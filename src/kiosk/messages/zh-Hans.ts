export const messages = {
  'kiosk.title': '门岗终端',
  'enroll.notEnrolled': '本机尚未登记',
  'enroll.explain':
    '请物业客服中心在办公室控制台为本机生成登记二维码，然后用本机扫描该二维码，或输入登记码。',
  'update.ready': '有新版本，空闲时自动更新',
} as const;
export type KioskKey = keyof typeof messages;
