import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { en } from '../locales/en';
import { zhTW } from '../locales/zh-TW';
import { storeLabel } from './format';

// The app's own i18n instance starts the browser's language detection; these tests pass `t`.
vi.mock('../i18n', () => ({ default: { language: 'zh-TW' } }));

let zh: TFunction;
let english: TFunction;

beforeAll(async () => {
  const instance = i18next.createInstance();
  await instance.init({
    resources: { 'zh-TW': { translation: zhTW }, en: { translation: en } },
    lng: 'zh-TW',
    interpolation: { escapeValue: false },
  });
  zh = instance.getFixedT('zh-TW');
  english = instance.getFixedT('en');
});

describe('storeLabel: one form for a store, the chain never twice', () => {
  it('shows a name that carries its chain as it is, in either language', () => {
    for (const t of [zh, english]) {
      expect(storeLabel({ chain: '7-11', name: '7-ELEVEN 內湖站前門市' }, t)).toBe('7-ELEVEN 內湖站前門市');
      expect(storeLabel({ chain: 'FamilyMart', name: '全家內湖店' }, t)).toBe('全家內湖店');
      expect(storeLabel({ chain: 'Hi-Life', name: '萊爾富信義店' }, t)).toBe('萊爾富信義店');
      expect(storeLabel({ chain: 'OK', name: 'OK超商中正店' }, t)).toBe('OK超商中正店');
      expect(storeLabel({ chain: '7-11', name: '7-eleven 小寫門市' }, t)).toBe('7-eleven 小寫門市');
    }
  });

  it('puts the chain, in the screen language, before a name without it', () => {
    expect(storeLabel({ chain: '7-11', name: '測試門市' }, zh)).toBe('7-ELEVEN 測試門市');
    expect(storeLabel({ chain: 'FamilyMart', name: '測試門市' }, zh)).toBe('全家 測試門市');
    expect(storeLabel({ chain: 'FamilyMart', name: '測試門市' }, english)).toBe('FamilyMart 測試門市');
    expect(storeLabel({ chain: 'OK', name: '測試門市' }, english)).toBe('OK Mart 測試門市');
  });

  it('never repeats the chain, whatever the store is called', () => {
    for (const t of [zh, english]) {
      for (const chain of ['7-11', 'FamilyMart', 'Hi-Life', 'OK']) {
        for (const name of ['中正門市', '7-ELEVEN 中正門市', '全家中正店', 'OK超商中正店', '萊爾富中正店']) {
          const label = storeLabel({ chain, name }, t);
          const chainName = t(`chain.${chain}` as 'chain.OK');
          expect(label.split(chainName).length - 1, label).toBeLessThanOrEqual(1);
          expect(label.endsWith(name)).toBe(true);
        }
      }
    }
  });

  it('shows the name alone when the chain is unknown or missing', () => {
    expect(storeLabel({ name: '無名門市' }, zh)).toBe('無名門市');
    expect(storeLabel({ chain: null, name: '無名門市' }, zh)).toBe('無名門市');
    expect(storeLabel({ chain: 'Other', name: '門市' }, zh)).toBe('Other 門市');
  });
});
