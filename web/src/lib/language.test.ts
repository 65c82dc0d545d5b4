import { describe, expect, it } from 'vitest';
import { preferredLanguage } from './language';

describe('preferredLanguage (first visit, navigator.languages)', () => {
  it('follows an English browser', () => {
    expect(preferredLanguage(['en-US', 'en'])).toBe('en');
    expect(preferredLanguage(['EN-gb'])).toBe('en');
  });

  it('takes the first of Chinese or English in the order of preference', () => {
    expect(preferredLanguage(['zh-TW', 'en-US'])).toBe('zh-TW');
    expect(preferredLanguage(['fr-FR', 'en-US', 'zh-TW'])).toBe('en');
    expect(preferredLanguage(['ja-JP', 'zh-Hant', 'en'])).toBe('zh-TW');
  });

  it('falls back to Traditional Chinese', () => {
    expect(preferredLanguage([])).toBe('zh-TW');
    expect(preferredLanguage(['fr-FR', ''])).toBe('zh-TW');
  });
});
