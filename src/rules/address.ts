/**
 * City and district from a Taiwanese address ("臺北市大安區…", "新竹縣竹北市…").
 * Pure; used to file pharmacies by place for the mask map. Cities (…市) are divided into
 * districts (…區); counties (…縣) into townships and county cities (…鄉, …鎮, …市) — which is
 * what tells 高雄市前鎮區 from a township called 前鎮.
 */
export function cityAndDistrict(address: string): { city: string | null; district: string | null } {
  const normalised = address.trim().replace(/^台/, '臺');
  const match = /^(.{2}市)(.{1,3}?區)/.exec(normalised) ?? /^(.{2}縣)(.{1,3}?[鄉鎮市])/.exec(normalised);
  if (!match) return { city: null, district: null };
  return { city: match[1] ?? null, district: match[2] ?? null };
}
