import { toTaipeiIso } from '../rules/taipei-date.js';
import type { PharmacyStockRow } from './opendata.repo.js';

/** NHI's column layout of the pharmacy mask-stock open data (健保特約機構口罩剩餘數量明細). */
export const NHI_CSV_HEADER =
  '醫事機構代碼,醫事機構名稱,醫事機構地址,醫事機構電話,成人口罩剩餘數,兒童口罩剩餘數,來源資料時間';

/** RFC 4180 quoting, only where needed (a comma, a double quote or a line break in the field). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const FORMULA_START = /^\s*[=+\-@]|^[\t\r]/;
const INTERNATIONAL_PHONE = /^\+[0-9 ()-]*[0-9][0-9 ()-]*$/;

/**
 * A text cell as a spreadsheet must not read it as a formula (OWASP "CSV injection"): a value
 * that starts with `=`, `+`, `-`, `@`, a TAB or a CR, also after leading whitespace, gets a
 * leading `'`, which spreadsheets take as "this is text". One exception: a telephone number in
 * international form (`+` then only digits, spaces, hyphens and parentheses, `+886-2-2700-1234`)
 * stays as it is: without a letter it can name no function, cell or DDE target, and map apps
 * dial it as published. Every value that starts otherwise, i.e. all of NHI's own rows, is
 * unchanged (docs/OPEN-DATA.md "Formula injection").
 */
export function spreadsheetText(value: string): string {
  if (!FORMULA_START.test(value) || INTERNATIONAL_PHONE.test(value)) return value;
  return `'${value}`;
}

/** 來源資料時間 as NHI printed it: `YYYY/MM/DD HH:mm:ss` in Taipei time. */
export function nhiTime(instant: Date): string {
  const iso = toTaipeiIso(instant); // 2020-03-12T09:00:00+08:00
  return `${iso.slice(0, 10).replace(/-/g, '/')} ${iso.slice(11, 19)}`;
}

/**
 * The CSV: header line, then one line per pharmacy, `\n` line ends, UTF-8 without a BOM; text
 * cells neutralised against formula injection (`spreadsheetText`).
 */
export function renderCsv(rows: readonly PharmacyStockRow[]): string {
  const lines = [NHI_CSV_HEADER];
  for (const r of rows) {
    lines.push(
      [
        csvField(spreadsheetText(r.code.trim())),
        csvField(spreadsheetText(r.name)),
        csvField(spreadsheetText(r.address)),
        csvField(spreadsheetText(r.phone)),
        String(r.adult),
        String(r.child),
        nhiTime(r.updatedAt),
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The same rows as a GeoJSON FeatureCollection (RFC 7946: coordinates are [lng, lat]). */
export function renderGeoJson(rows: readonly PharmacyStockRow[]): string {
  return JSON.stringify({
    type: 'FeatureCollection',
    features: rows.map((r) => ({
      type: 'Feature',
      geometry: r.lat === null || r.lng === null ? null : { type: 'Point', coordinates: [r.lng, r.lat] },
      properties: {
        code: r.code.trim(),
        name: r.name,
        address: r.address,
        phone: r.phone,
        adult: r.adult,
        child: r.child,
        updatedAt: toTaipeiIso(r.updatedAt),
      },
    })),
  });
}
