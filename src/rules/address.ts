/**
 * City and district from a Taiwanese address ("臺北市大安區…", "新竹縣竹北市…").
 * Pure; used to file pharmacies by place for the mask map.
 */
export function cityAndDistrict(address: string): { city: string | null; district: string | null } {
  const normalised = address.trim().replace(/^台/, '臺');
  const match = /^(.{2}[縣市])(.{1,3}?[區鄉鎮市])/.exec(normalised);
  if (!match) return { city: null, district: null };
  return { city: match[1] ?? null, district: match[2] ?? null };
}
