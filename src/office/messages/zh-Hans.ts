export const messages = {
  'office.title': '物业办公室控制台',
  'signIn.heading': '登录',
  'signIn.username': '用户名',
  'signIn.password': '密码',
  'signIn.submit': '登录',
  'signIn.failed': '用户名或密码不正确',
  'signIn.unavailable': '无法连接服务器，请稍后再试',
} as const;
export type OfficeKey = keyof typeof messages;
