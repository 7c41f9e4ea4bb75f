import { createI18n } from 'vue-i18n';
import en from './en';
import zh from './zh';

export type Locale = 'zh' | 'en';
const LOCALE_KEY = 'mt.locale';
const stored = localStorage.getItem(LOCALE_KEY);

/** Chinese by default; the header's switch sets English and remembers it. */
export const i18n = createI18n({
  legacy: false,
  locale: stored === 'en' ? 'en' : 'zh',
  fallbackLocale: 'zh',
  messages: { zh, en },
});

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  localStorage.setItem(LOCALE_KEY, locale);
  document.documentElement.lang = locale === 'zh' ? 'zh-CN' : 'en';
}
document.documentElement.lang = i18n.global.locale.value === 'zh' ? 'zh-CN' : 'en';
