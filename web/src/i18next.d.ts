import 'i18next';
import type { zhTW } from './locales/zh-TW';

/**
 * Typed translation keys: `t('a.b')` type-checks against the zh-TW messages (the shape English
 * is typed as too), so a mistyped or missing key fails `tsc -p web`, not a screen.
 */
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof zhTW };
  }
}
