import { randomInt } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUND_1, randomNationalId } from '../../test/support/factories.js';
import { setUpTestApp } from '../../test/support/fixture.js';
import { isPlainText, PLAIN_TEXT_PATTERN } from '../platform/plain-text.js';

const t = setUpTestApp();
const api = t.api;
let admin: string;

beforeAll(async () => {
  admin = await t.admin();
});

/** Every operator-entered text field, with a body that is otherwise accepted (201). */
const ROUTES: { path: string; table: string; fields: string[]; body: () => Record<string, unknown> }[] = [
  {
    path: '/api/v1/admin/pharmacies',
    table: 'pharmacies',
    fields: ['name', 'address', 'phone'],
    body: () => ({
      code: `58${String(randomInt(1e8)).padStart(8, '0')}`,
      name: '健康藥局',
      address: '臺北市大安區信義路四段1號',
      phone: '(02)27001234',
    }),
  },
  {
    path: '/api/v1/admin/stores',
    table: 'stores',
    fields: ['name', 'address', 'city', 'district', 'storeNo'],
    body: () => ({
      chain: '7-11',
      storeNo: String(randomInt(1e9)),
      name: '測試門市',
      address: '臺北市中正區忠孝西路一段49號',
      city: '臺北市',
      district: '中正區',
    }),
  },
  {
    path: '/api/v1/admin/airport-counters',
    table: 'airport_counters',
    fields: ['name'],
    body: () => ({ name: '桃園機場第一航廈' }),
  },
  { path: '/api/v1/admin/rounds', table: 'rounds', fields: ['name'], body: () => ({ ...ROUND_1 }) },
  {
    path: '/api/v1/admin/cards',
    table: 'persons',
    fields: ['name'],
    body: () => ({
      nationalId: randomNationalId(),
      name: '王小明',
      birthDate: '1990-01-01',
      nationality: 'TW',
    }),
  },
];

/** One of each kind the schema refuses, placed inside an otherwise ordinary value. */
const HOSTILE: Record<string, string> = {
  CR: '\r',
  LF: '\n',
  'CR LF': '\r\n',
  TAB: '\t',
  NUL: '\u0000',
  ESC: '\u001b',
  DEL: '\u007f',
  'C1 NEL': '\u0085',
  'C1 CSI': '\u009b',
  'LINE SEPARATOR': '\u2028',
  'PARAGRAPH SEPARATOR': '\u2029',
  'RIGHT-TO-LEFT OVERRIDE': '\u202e',
  'LEFT-TO-RIGHT EMBEDDING': '\u202a',
  'FIRST STRONG ISOLATE': '\u2068',
  'POP DIRECTIONAL ISOLATE': '\u2069',
  'RIGHT-TO-LEFT MARK': '\u200f',
};

const count = async (table: string) =>
  (await t.sql<{ n: number }[]>`select count(*)::int as n from ${t.sql(table)}`)[0]?.n;

describe('operator-entered text refuses control characters', () => {
  for (const route of ROUTES) {
    for (const field of route.fields) {
      it(`POST ${route.path}: ${field} with a control, separator or bidi character → 400 VALIDATION_FAILED naming body/${field}`, async () => {
        const before = await count(route.table);
        for (const [label, ch] of Object.entries(HOSTILE)) {
          const body = route.body();
          body[field] = `A${ch}B`;
          const res = await api.post<{ error: { code: string; fields: { field: string }[] } }>(
            route.path,
            body,
            { token: admin },
          );
          expect(res.status, `${field} with ${label}`).toBe(400);
          expect(res.body.error.code).toBe('VALIDATION_FAILED');
          expect(res.body.error.fields.map((f) => f.field)).toEqual([`body/${field}`]);
        }
        expect(await count(route.table)).toBe(before);
      });
    }

    it(`POST ${route.path}: ordinary names still register, with full-width spaces, quotes, & and emoji`, async () => {
      const body = route.body();
      for (const field of route.fields) {
        if (field !== 'storeNo' && field !== 'city' && field !== 'district' && field !== 'phone') {
          body[field] = `${String(body[field])}　"O'Neil" & 👩‍⚕️`;
        }
      }
      const res = await api.post(route.path, body, { token: admin });
      expect(res.status, res.text).toBe(201);
    });
  }

  it('the pattern and the output filter agree on what is plain text', () => {
    const pattern = new RegExp(PLAIN_TEXT_PATTERN, 'u');
    for (const ch of Object.values(HOSTILE)) {
      expect(pattern.test(`x${ch}y`)).toBe(false);
      expect(isPlainText(`x${ch}y`)).toBe(false);
    }
    for (const ok of ['全家台大店', 'Hi-Life 台北', 'a　b', "O'Neil & Sons", '👩‍⚕️', '=1+1']) {
      expect(pattern.test(ok)).toBe(true);
      expect(isPlainText(ok)).toBe(true);
    }
  });
});
