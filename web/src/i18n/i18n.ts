import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import zhCN from './zh-CN.json';

/** The languages of the interface; Simplified Chinese first, as the default. */
export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'lifeline.language';

function isLanguage(value: string | null): value is Language {
  return LANGUAGES.some((l) => l === value);
}

function storedLanguage(): Language {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : 'zh-CN';
  } catch {
    // Storage can be disabled by policy; the default language still works.
    return 'zh-CN';
  }
}

function applyToDocument(language: string): void {
  document.documentElement.lang = language;
  document.title = i18n.t('app.title');
}

/** Switches the interface language and remembers the choice in this browser. */
export function setLanguage(language: Language): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Not persisted, but switched for this visit.
  }
  void i18n.changeLanguage(language);
}

/** The current interface language. */
export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : 'zh-CN';
}

/** Initialises i18next once, before the first render. */
export function initI18n(): typeof i18n {
  void i18n.use(initReactI18next).init({
    resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
    lng: storedLanguage(),
    fallbackLng: 'zh-CN',
    // React escapes on its own.
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  i18n.on('languageChanged', applyToDocument);
  applyToDocument(i18n.language);
  return i18n;
}
