import i18next from 'i18next';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { initReactI18next } from 'react-i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHAINS, CITIES } from '../lib/places';
import { zhTW } from '../locales/zh-TW';
import { PlaceFilter } from './PlaceFilter';

beforeAll(async () => {
  await i18next
    .createInstance()
    .use(initReactI18next)
    .init({
      resources: { 'zh-TW': { translation: zhTW } },
      lng: 'zh-TW',
      interpolation: { escapeValue: false },
    });
});

const render = (props: Parameters<typeof PlaceFilter>[0]) =>
  renderToStaticMarkup(createElement(PlaceFilter, props));
const selects = (html: string) => [...html.matchAll(/<select ([^>]*)>/g)].map((m) => m[1] ?? '');
const noop = () => {};

describe('PlaceFilter', () => {
  it('shows the city, district and chain selects with their labels and test ids', () => {
    const html = render({
      city: '臺北市',
      onCity: noop,
      district: { value: '大安區', options: ['信義區', '大安區'], onChange: noop },
      chain: { value: '', onChange: noop },
      testIdPrefix: 'store',
    });
    expect(selects(html).map((attrs) => /data-testid="([^"]+)"/.exec(attrs)?.[1])).toEqual([
      'store-city',
      'store-district',
      'store-chain',
    ]);
    for (const label of [zhTW.storePicker.city, zhTW.storePicker.district, zhTW.storePicker.chain]) {
      expect(html).toContain(`>${label}</label>`);
    }
    expect(html).toContain('<option value="臺北市" selected="">臺北市</option>');
    expect(html).toContain('<option value="大安區" selected="">大安區</option>');
    expect(html).toContain('<option value="信義區">信義區</option>');
    // Every city and chain, after the "any" option.
    expect(html.match(/<option /g)?.length).toBe(1 + CITIES.length + 1 + 2 + 1 + CHAINS.length);
  });

  it('ties each label to its select', () => {
    const html = render({ city: '', onCity: noop, chain: { value: '', onChange: noop } });
    const fors = [...html.matchAll(/<label for="([^"]+)"/g)].map((m) => m[1]);
    const ids = selects(html).map((attrs) => /id="([^"]+)"/.exec(attrs)?.[1]);
    expect(fors).toEqual(ids);
    expect(new Set(ids).size).toBe(2);
  });

  it('keeps the district disabled until a city is chosen', () => {
    const district = { value: '', options: [], onChange: noop };
    expect(selects(render({ city: '', onCity: noop, district }))[1]).toContain('disabled=""');
    expect(selects(render({ city: '臺北市', onCity: noop, district }))[1]).not.toContain('disabled');
  });

  it('leaves out the selects it is not given, and the test ids without a prefix', () => {
    expect(selects(render({ city: '', onCity: noop }))).toHaveLength(1);
    const html = render({ city: '', onCity: noop, chain: { value: '7-11', onChange: noop } });
    expect(selects(html)).toHaveLength(2);
    expect(html).not.toContain(zhTW.storePicker.district);
    expect(html).not.toContain('data-testid');
  });
});
