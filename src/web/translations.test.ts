import { describe, expect, it } from 'vitest';
import { zhTW } from '../../web/src/locales/zh-TW.js';
import { ERROR_STATUS } from '../platform/errors.js';

// English is typed as exactly the Chinese keys (web/src/locales/en.ts, checked by `tsc -p web`),
// so covering every code in Chinese covers it in both languages.
describe('web UI translations', () => {
  it('explain every error code the API can answer in plain words', () => {
    const missing = Object.keys(ERROR_STATUS).filter((code) => !(code in zhTW.errors));
    expect(missing).toEqual([]);
  });

  it('name every refusal a person can get from the phone check', () => {
    for (const code of Object.keys(ERROR_STATUS).filter((c) => c.startsWith('PHONE_'))) {
      expect(zhTW.errors[code as keyof typeof zhTW.errors]).toMatch(/裝置碼|本人門號|電信/);
    }
  });
});
