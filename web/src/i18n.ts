import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { type Language, preferredLanguage } from './lib/language';
import { zhTW } from './locales/zh-TW';

const STORAGE_KEY = 'lang';

export type { Language };

/** The person's own choice (remembered by the switch) first, else the browser's preference. */
function initialLanguage(): Language {
  let chosen: string | null = null;
  try {
    chosen = localStorage.getItem(STORAGE_KEY);
  } catch {
    // No storage: follow the browser.
  }
  if (chosen === 'en' || chosen === 'zh-TW') return chosen;
  const languages = navigator.languages?.length ? navigator.languages : [navigator.language ?? ''];
  return preferredLanguage(languages);
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
