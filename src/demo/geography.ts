// Over 300 lines: data, the demo's towns and streets, as one table.
import type { Rng } from './derive.js';

/**
 * Taiwan's 22 cities and counties, for demo and benchmark addresses: real names of cities and
 * districts, an approximate point well inside each county (near its main town), how far a
 * point may be moved from it and still stay in the county, the telephone area code, and the
 * 2020 population in ten-thousands (to spread pharmacies and stores the way people live).
 */
export interface County {
  city: string;
  districts: readonly string[];
  lat: number;
  lng: number;
  /** Largest jitter in degrees that keeps a point inside the county. */
  spread: number;
  areaCode: string;
  population: number;
}

export const COUNTIES: readonly County[] = [
  {
    city: '臺北市',
    districts: [
      '中正區',
      '大同區',
      '中山區',
      '松山區',
      '大安區',
      '萬華區',
      '信義區',
      '士林區',
      '北投區',
      '內湖區',
      '南港區',
      '文山區',
    ],
    lat: 25.05,
    lng: 121.55,
    spread: 0.04,
    areaCode: '02',
    population: 260,
  },
  {
    city: '新北市',
    districts: [
      '板橋區',
      '三重區',
      '中和區',
      '永和區',
      '新莊區',
      '新店區',
      '土城區',
      '蘆洲區',
      '汐止區',
      '樹林區',
      '淡水區',
      '三峽區',
    ],
    lat: 25.0,
    lng: 121.44,
    spread: 0.03,
    areaCode: '02',
    population: 403,
  },
  {
    city: '桃園市',
    districts: ['桃園區', '中壢區', '平鎮區', '八德區', '楊梅區', '蘆竹區', '龜山區', '龍潭區', '大園區'],
    lat: 24.96,
    lng: 121.25,
    spread: 0.05,
    areaCode: '03',
    population: 227,
  },
  {
    city: '臺中市',
    districts: [
      '中區',
      '東區',
      '西區',
      '南區',
      '北區',
      '西屯區',
      '南屯區',
      '北屯區',
      '豐原區',
      '大里區',
      '太平區',
      '沙鹿區',
    ],
    lat: 24.16,
    lng: 120.68,
    spread: 0.05,
    areaCode: '04',
    population: 282,
  },
  {
    city: '臺南市',
    districts: ['中西區', '東區', '南區', '北區', '安平區', '安南區', '永康區', '新營區', '歸仁區', '仁德區'],
    lat: 23.02,
    lng: 120.25,
    spread: 0.05,
    areaCode: '06',
    population: 188,
  },
  {
    city: '高雄市',
    districts: [
      '新興區',
      '前金區',
      '苓雅區',
      '鹽埕區',
      '鼓山區',
      '左營區',
      '楠梓區',
      '三民區',
      '前鎮區',
      '小港區',
      '鳳山區',
      '岡山區',
    ],
    lat: 22.66,
    lng: 120.35,
    spread: 0.04,
    areaCode: '07',
    population: 277,
  },
  {
    city: '基隆市',
    districts: ['仁愛區', '信義區', '中正區', '中山區', '安樂區', '暖暖區', '七堵區'],
    lat: 25.12,
    lng: 121.73,
    spread: 0.015,
    areaCode: '02',
    population: 37,
  },
  {
    city: '新竹市',
    districts: ['東區', '北區', '香山區'],
    lat: 24.8,
    lng: 120.97,
    spread: 0.015,
    areaCode: '03',
    population: 45,
  },
  {
    city: '嘉義市',
    districts: ['東區', '西區'],
    lat: 23.48,
    lng: 120.45,
    spread: 0.01,
    areaCode: '05',
    population: 27,
  },
  {
    city: '新竹縣',
    districts: ['竹北市', '竹東鎮', '新埔鎮', '關西鎮', '湖口鄉', '新豐鄉', '芎林鄉'],
    lat: 24.74,
    lng: 121.1,
    spread: 0.03,
    areaCode: '03',
    population: 57,
  },
  {
    city: '苗栗縣',
    districts: ['苗栗市', '頭份市', '竹南鎮', '後龍鎮', '通霄鎮', '苑裡鎮', '公館鄉'],
    lat: 24.53,
    lng: 120.85,
    spread: 0.04,
    areaCode: '037',
    population: 54,
  },
  {
    city: '彰化縣',
    districts: ['彰化市', '員林市', '鹿港鎮', '和美鎮', '溪湖鎮', '北斗鎮', '田中鎮'],
    lat: 24.0,
    lng: 120.5,
    spread: 0.04,
    areaCode: '04',
    population: 127,
  },
  {
    city: '南投縣',
    districts: ['南投市', '草屯鎮', '埔里鎮', '竹山鎮', '集集鎮', '名間鄉'],
    lat: 23.9,
    lng: 120.85,
    spread: 0.06,
    areaCode: '049',
    population: 49,
  },
  {
    city: '雲林縣',
    districts: ['斗六市', '虎尾鎮', '斗南鎮', '西螺鎮', '北港鎮', '土庫鎮'],
    lat: 23.7,
    lng: 120.4,
    spread: 0.05,
    areaCode: '05',
    population: 68,
  },
  {
    city: '嘉義縣',
    districts: ['太保市', '朴子市', '民雄鄉', '水上鄉', '大林鎮', '竹崎鄉'],
    lat: 23.44,
    lng: 120.3,
    spread: 0.03,
    areaCode: '05',
    population: 50,
  },
  {
    city: '屏東縣',
    districts: ['屏東市', '潮州鎮', '東港鎮', '恆春鎮', '內埔鄉', '萬丹鄉'],
    lat: 22.6,
    lng: 120.56,
    spread: 0.04,
    areaCode: '08',
    population: 81,
  },
  {
    city: '宜蘭縣',
    districts: ['宜蘭市', '羅東鎮', '蘇澳鎮', '頭城鎮', '礁溪鄉', '五結鄉'],
    lat: 24.7,
    lng: 121.72,
    spread: 0.03,
    areaCode: '03',
    population: 45,
  },
  {
    city: '花蓮縣',
    districts: ['花蓮市', '吉安鄉', '新城鄉', '壽豐鄉', '鳳林鎮', '玉里鎮'],
    lat: 23.9,
    lng: 121.5,
    spread: 0.05,
    areaCode: '03',
    population: 32,
  },
  {
    city: '臺東縣',
    districts: ['臺東市', '成功鎮', '關山鎮', '卑南鄉', '池上鄉', '太麻里鄉'],
    lat: 22.82,
    lng: 121.05,
    spread: 0.04,
    areaCode: '089',
    population: 22,
  },
  {
    city: '澎湖縣',
    districts: ['馬公市', '湖西鄉', '白沙鄉', '西嶼鄉'],
    lat: 23.57,
    lng: 119.6,
    spread: 0.01,
    areaCode: '06',
    population: 11,
  },
  {
    city: '金門縣',
    districts: ['金城鎮', '金湖鎮', '金沙鎮', '金寧鄉', '烈嶼鄉'],
    lat: 24.45,
    lng: 118.37,
    spread: 0.015,
    areaCode: '082',
    population: 14,
  },
  {
    city: '連江縣',
    districts: ['南竿鄉', '北竿鄉', '莒光鄉', '東引鄉'],
    lat: 26.155,
    lng: 119.94,
    spread: 0.005,
    areaCode: '0836',
    population: 1.3,
  },
];

/** Street names found in nearly every Taiwanese town. */
const STREETS = [
  '中正路',
  '中山路',
  '民生路',
  '民權路',
  '民族路',
  '復興路',
  '建國路',
  '光復路',
  '和平路',
  '自由路',
  '成功路',
  '忠孝路',
  '仁愛路',
  '信義路',
  '博愛路',
  '三民路',
  '文化路',
  '中華路',
  '公園路',
  '林森路',
  '大同路',
  '永安街',
  '新生街',
  '光明街',
  '福德街',
] as const;

const SECTIONS = ['一段', '二段', '三段'] as const;

export interface Place {
  city: string;
  district: string;
  street: string;
  address: string;
  lat: number;
  lng: number;
}

/** A real-looking address in the county: city + district + street [+ section] + number, with a point near it. */
export function placeIn(county: County, rng: Rng): Place {
  const district = rng.pick(county.districts);
  const street = rng.pick(STREETS);
  const section = street.endsWith('路') && rng.next() < 0.35 ? rng.pick(SECTIONS) : '';
  const number = rng.int(1, 420);
  const lane = rng.next() < 0.15 ? `${rng.int(2, 180)}巷` : '';
  const floor = rng.next() < 0.1 ? '1樓' : '';
  return {
    city: county.city,
    district,
    street,
    address: `${county.city}${district}${street}${section}${lane}${number}號${floor}`,
    lat: round6(county.lat + rng.signed() * county.spread),
    lng: round6(county.lng + rng.signed() * county.spread),
  };
}

/** A landline in the county's area code, written as NHI's open data writes them: "(02)27001234". */
export function landlineIn(county: County, rng: Rng): string {
  const localLength: Record<string, number> = { '02': 8, '037': 6, '049': 7, '089': 6, '082': 6, '0836': 5 };
  const length = localLength[county.areaCode] ?? 7;
  return `(${county.areaCode})${rng.int(2, 9)}${rng.digits(length - 1)}`;
}

/** The short form of a district used in shop names: 大安區 → 大安, 竹北市 → 竹北, 中區 → 中區. */
export function shortDistrict(district: string): string {
  return district.length > 2 ? district.slice(0, -1) : district;
}

/**
 * Share `total` among counties by population, each getting at least `minimum`
 * (largest-remainder method, so the counts add up exactly).
 */
export function allocateByPopulation(total: number, minimum: number): number[] {
  const base = COUNTIES.map(() => minimum);
  const rest = Math.max(0, total - minimum * COUNTIES.length);
  const population = COUNTIES.reduce((s, c) => s + c.population, 0);
  const exact = COUNTIES.map((c) => (rest * c.population) / population);
  const counts = base.map((b, i) => b + Math.floor(exact[i] ?? 0));
  const remainders = exact
    .map((e, i) => ({ i, r: e - Math.floor(e) }))
    .sort((a, b) => b.r - a.r || a.i - b.i);
  let left = base.reduce((s, b) => s + b, 0) + rest - counts.reduce((s, c) => s + c, 0);
  for (const { i } of remainders) {
    if (left <= 0) break;
    counts[i] = (counts[i] ?? 0) + 1;
    left -= 1;
  }
  return counts;
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** Taiwan including Kinmen and Matsu: a point outside this box is certainly wrong. */
export const TAIWAN_BOUNDS = { minLat: 21.8, maxLat: 26.5, minLng: 118.1, maxLng: 122.1 } as const;
