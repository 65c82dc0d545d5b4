export type Language = 'zh-TW' | 'en';

/**
 * The browser's preference on a first visit (`navigator.languages`, most preferred first): the
 * first of Chinese or English in the list wins; neither → Traditional Chinese.
 */
export function preferredLanguage(languages: readonly string[]): Language {
  for (const tag of languages) {
    const primary = tag.toLowerCase().split('-')[0];
    if (primary === 'zh') return 'zh-TW';
    if (primary === 'en') return 'en';
  }
  return 'zh-TW';
}
