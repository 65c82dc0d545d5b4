import { describe, expect, it } from 'vitest';
import type { PharmacyFeature } from './api';
import {
  districtsOf,
  filterPharmacies,
  latestUpdate,
  maskTotals,
  type PharmacyFilter,
  toPharmacyRows,
} from './opendata-filter';

function pharmacy(
  code: string,
  address: string,
  adult: number,
  child: number,
  extra: { name?: string; updatedAt?: string | null } = {},
): PharmacyFeature {
  return {
    type: 'Feature',
    geometry: null,
    properties: {
      code,
      name: extra.name ?? `藥局${code}`,
      address,
      phone: '02-0000000',
      adult,
      child,
      updatedAt: extra.updatedAt === undefined ? '2020-03-12T01:00:00.000Z' : extra.updatedAt,
    },
  };
}

const rows = toPharmacyRows([
  pharmacy('A', '臺北市大安區忠孝東路四段1號', 100, 50, { name: '大安藥局' }),
  pharmacy('B', '台北市信義區松仁路2號', 0, 0, { updatedAt: '2020-03-12T05:00:00.000Z' }),
  pharmacy('C', '臺北市大安區復興南路3號', 0, 20),
  pharmacy('D', '新竹縣竹北市光明一路4號', 30, 0, { updatedAt: null }),
  pharmacy('E', '高雄市前鎮區中山二路5號', 7, 3, { name: '前鎮健康藥局' }),
  pharmacy('F', '地址不明', 1, 1),
]);
const any: PharmacyFilter = { city: '', district: '', onlyStock: false, q: '' };
const codes = (filter: Partial<PharmacyFilter>) =>
  filterPharmacies(rows, { ...any, ...filter }).map((r) => r.feature.properties.code);

describe('toPharmacyRows', () => {
  it('files a pharmacy under its city and district, 台 as 臺', () => {
    expect(rows.map((r) => [r.city, r.district])).toEqual([
      ['臺北市', '大安區'],
      ['臺北市', '信義區'],
      ['臺北市', '大安區'],
      ['新竹縣', '竹北市'],
      ['高雄市', '前鎮區'],
      [null, null],
    ]);
  });
});

describe('districtsOf', () => {
  it('lists the districts of one city once each, sorted', () => {
    expect(districtsOf(rows, '臺北市')).toEqual(['信義區', '大安區']);
    expect(districtsOf(rows, '新竹縣')).toEqual(['竹北市']);
  });

  it('has none for a city without pharmacies, or for no city', () => {
    expect(districtsOf(rows, '澎湖縣')).toEqual([]);
    expect(districtsOf(rows, '')).toEqual([]);
  });
});

describe('filterPharmacies', () => {
  it('keeps every pharmacy when no filter is set', () => {
    expect(codes({})).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
  });

  it('filters by city, and by district within it', () => {
    expect(codes({ city: '臺北市' })).toEqual(['A', 'B', 'C']);
    expect(codes({ city: '臺北市', district: '大安區' })).toEqual(['A', 'C']);
    expect(codes({ city: '臺北市', district: '前鎮區' })).toEqual([]);
  });

  it('keeps pharmacies with either adult or child masks left when asked', () => {
    expect(codes({ onlyStock: true })).toEqual(['A', 'C', 'D', 'E', 'F']);
    expect(codes({ city: '臺北市', onlyStock: true })).toEqual(['A', 'C']);
  });

  it('searches the name and the address, ignoring surrounding blanks', () => {
    expect(codes({ q: '大安藥局' })).toEqual(['A']);
    expect(codes({ q: '  復興南路 ' })).toEqual(['C']);
    expect(codes({ q: '前鎮' })).toEqual(['E']);
    expect(codes({ q: '   ' })).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
    expect(codes({ q: '不存在' })).toEqual([]);
  });

  it('combines the filters', () => {
    expect(codes({ city: '臺北市', district: '大安區', onlyStock: true, q: '忠孝' })).toEqual(['A']);
    expect(codes({ city: '新竹縣', q: '大安' })).toEqual([]);
  });
});

describe('maskTotals', () => {
  it('adds the adult and child masks of the rows given', () => {
    expect(maskTotals(rows)).toEqual({ adult: 138, child: 74 });
    expect(maskTotals(filterPharmacies(rows, { ...any, city: '臺北市' }))).toEqual({ adult: 100, child: 70 });
  });

  it('is zero for no rows', () => {
    expect(maskTotals([])).toEqual({ adult: 0, child: 0 });
  });
});

describe('latestUpdate', () => {
  it('is the latest update time, skipping pharmacies never updated', () => {
    expect(latestUpdate(rows)).toBe('2020-03-12T05:00:00.000Z');
  });

  it('is null when no pharmacy was ever updated, or there is none', () => {
    expect(latestUpdate(rows.filter((r) => r.feature.properties.code === 'D'))).toBeNull();
    expect(latestUpdate([])).toBeNull();
  });
});
