import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { zhTW } from './locales/zh-TW';

const STORAGE_KEY = 'lang';
export type Language = 'zh-TW' | 'en';

function initialLanguage(): Language {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-TW';
  } catch {
    return 'zh-TW';
  }
}

function applyToDocument(language: string): void {
  document.documentElement.lang = language === 'en' ? 'en' : 'zh-Hant-TW';
}

/** Traditional Chinese ships with the app; English is fetched the first time it is needed. */
async function ensureLoaded(language: Language): Promise<void> {
  if (language === 'en' && !i18n.hasResourceBundle('en', 'translation')) {
    const { en } = await import('./locales/en');
    i18n.addResourceBundle('en', 'translation', en);
  }
}

const initial = initialLanguage();

/** Resolves when the remembered language can be shown: render after it. */
export const i18nReady: Promise<void> = i18n
  .use(initReactI18next)
  .init({
    resources: { 'zh-TW': { translation: zhTW } },
    lng: 'zh-TW',
    fallbackLng: 'zh-TW',
    interpolation: { escapeValue: false },
    returnNull: false,
  })
  .then(() => ensureLoaded(initial))
  .then(() => i18n.changeLanguage(initial))
  .then(() => applyToDocument(initial))
  .catch(() => applyToDocument(i18n.language));

/** Switches the language and remembers it for the next visit. */
export async function setLanguage(language: Language): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Private browsing without storage: the switch still works for this visit.
  }
  await ensureLoaded(language);
  await i18n.changeLanguage(language);
  applyToDocument(language);
}

export default i18n;
