import { cityAndDistrict } from '../../../src/rules/address';

/** Taiwan's 22 cities and counties: the name the platform files places under, English, and the map's outline id. */
export const CITIES = [
  { zh: '臺北市', en: 'Taipei City', svgId: 'taipei-city' },
  { zh: '新北市', en: 'New Taipei City', svgId: 'new-taipei-city' },
  { zh: '基隆市', en: 'Keelung City', svgId: 'keelung-city' },
  { zh: '桃園市', en: 'Taoyuan City', svgId: 'taoyuan-city' },
  { zh: '新竹市', en: 'Hsinchu City', svgId: 'hsinchu-city' },
  { zh: '新竹縣', en: 'Hsinchu County', svgId: 'hsinchu-county' },
  { zh: '苗栗縣', en: 'Miaoli County', svgId: 'miaoli-county' },
  { zh: '臺中市', en: 'Taichung City', svgId: 'taichung-city' },
  { zh: '彰化縣', en: 'Changhua County', svgId: 'changhua-county' },
  { zh: '南投縣', en: 'Nantou County', svgId: 'nantou-county' },
  { zh: '雲林縣', en: 'Yunlin County', svgId: 'yunlin-county' },
  { zh: '嘉義市', en: 'Chiayi City', svgId: 'chiayi-city' },
  { zh: '嘉義縣', en: 'Chiayi County', svgId: 'chiayi-county' },
  { zh: '臺南市', en: 'Tainan City', svgId: 'tainan-city' },
  { zh: '高雄市', en: 'Kaohsiung City', svgId: 'kaohsiung-city' },
  { zh: '屏東縣', en: 'Pingtung County', svgId: 'pingtung-county' },
  { zh: '宜蘭縣', en: 'Yilan County', svgId: 'yilan-county' },
  { zh: '花蓮縣', en: 'Hualien County', svgId: 'hualien-county' },
  { zh: '臺東縣', en: 'Taitung County', svgId: 'taitung-county' },
  { zh: '澎湖縣', en: 'Penghu County', svgId: 'penghu-county' },
  { zh: '金門縣', en: 'Kinmen County', svgId: 'kinmen-county' },
  { zh: '連江縣', en: 'Lienchiang County', svgId: 'lienchiang-county' },
] as const;

export type City = (typeof CITIES)[number];

/** 台 and 臺 are the same city. */
export function normaliseCity(name: string): string {
  return name.trim().replace(/^台/, '臺');
}

export function cityByName(name: string | null | undefined): City | undefined {
  if (!name) return undefined;
  const normalised = normaliseCity(name);
  return CITIES.find((c) => c.zh === normalised);
}

export function cityLabel(name: string, language: string): string {
  const city = cityByName(name);
  return city && language === 'en' ? city.en : name;
}

/** City and district of a Taiwanese address (the same rule the platform files pharmacies by). */
export function placeOf(address: string): { city: string | null; district: string | null } {
  return cityAndDistrict(address);
}

export const CHAINS = ['7-11', 'FamilyMart', 'Hi-Life', 'OK'] as const;
