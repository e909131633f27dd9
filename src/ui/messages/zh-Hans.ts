export const messages = {
  'locale.name': '简体中文',
  'locale.choose': '语言',
  'app.name': '门岗',
} as const;
export type UiKey = keyof typeof messages;
