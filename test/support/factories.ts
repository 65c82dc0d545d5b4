import { createPrivateKey, randomInt, sign } from 'node:crypto';
import { type Channel, createSession } from '../../src/platform/auth.js';
import type { Db } from '../../src/platform/db.js';
import { withCheckDigit } from '../../src/rules/ids.js';
import type { Client } from './http.js';

export const ADMIN_PASSWORD = 'test-admin-password';
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVXYWZIO';

/** A random valid national ID; `lastDigitParity` picks odd or even for the weekday rule. */
export function randomNationalId(options: { sex?: 1 | 2; lastDigitParity?: 'odd' | 'even' } = {}): string {
  for (;;) {
    const stem = `${LETTERS[randomInt(26)]}${options.sex ?? randomInt(1, 3)}${String(randomInt(10_000_000)).padStart(7, '0')}`;
    const id = withCheckDigit(stem);
    const last = Number(id.at(-1));
    if (!options.lastDigitParity || (last % 2 === 1) === (options.lastDigitParity === 'odd')) return id;
  }
}

/** A random valid 2021-format resident certificate number. */
export function randomNewArc(): string {
  return withCheckDigit(
    `${LETTERS[randomInt(26)]}${8 + randomInt(2)}${String(randomInt(10_000_000)).padStart(7, '0')}`,
  );
}

/** The base64url Ed25519 signature of a challenge nonce (API.md "Cryptography"). */
export function signNonce(privateKeyPem: string, nonce: string): string {
  return sign(null, Buffer.from(nonce, 'utf8'), createPrivateKey(privateKeyPem)).toString('base64url');
}

export async function adminLogin(api: Client): Promise<string> {
  const res = await api.post<{ token: string }>('/api/v1/admin/login', {
    username: 'admin',
    password: ADMIN_PASSWORD,
  });
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${res.text}`);
  return res.body.token;
}

export async function setClock(api: Client, iso: string): Promise<void> {
  const res = await api.put('/api/v1/sim/clock', { now: iso });
  if (res.status !== 200) throw new Error(`clock: ${res.status} ${res.text}`);
}

export interface TestCard {
  cardNo: string;
  privateKeyPem: string;
  publicKeyPem: string;
  personId: number;
  nationalId: string;
  name: string;
  birthDate: string;
}

export async function issueCard(
  api: Client,
  adminToken: string,
  overrides: Partial<{
    nationalId: string;
    name: string;
    birthDate: string;
    nationality: 'TW' | 'foreign';
    arcNumber: string;
  }> = {},
): Promise<TestCard> {
  const body = {
    nationalId: overrides.nationalId ?? randomNationalId(),
    name: overrides.name ?? '測試民眾',
    birthDate: overrides.birthDate ?? '1985-06-15',
    nationality: overrides.nationality ?? 'TW',
    ...(overrides.arcNumber ? { arcNumber: overrides.arcNumber } : {}),
  };
  const res = await api.post<Omit<TestCard, 'nationalId' | 'name' | 'birthDate'>>(
    '/api/v1/admin/cards',
    body,
    {
      token: adminToken,
    },
  );
  if (res.status !== 201) throw new Error(`issue card: ${res.status} ${res.text}`);
  return { ...res.body, nationalId: body.nationalId, name: body.name, birthDate: body.birthDate };
}

let pharmacySeq = 0;
export async function createPharmacy(
  api: Client,
  adminToken: string,
  overrides: Partial<{
    code: string;
    name: string;
    address: string;
    phone: string;
    lat: number;
    lng: number;
  }> = {},
): Promise<{ code: string; apiKey: string }> {
  pharmacySeq += 1;
  const body = {
    code:
      overrides.code ??
      `59${String(randomInt(1e6)).padStart(6, '0')}${String(pharmacySeq % 100).padStart(2, '0')}`,
    name: overrides.name ?? '測試藥局',
    address: overrides.address ?? '臺北市大安區信義路四段1號',
    phone: overrides.phone ?? '(02)27001234',
    ...(overrides.lat !== undefined ? { lat: overrides.lat, lng: overrides.lng } : {}),
  };
  const res = await api.post<{ code: string; apiKey: string }>('/api/v1/admin/pharmacies', body, {
    token: adminToken,
  });
  if (res.status !== 201) throw new Error(`pharmacy: ${res.status} ${res.text}`);
  return res.body;
}

let storeSeq = 0;
export async function createStore(
  api: Client,
  adminToken: string,
  overrides: Partial<{
    chain: string;
    storeNo: string;
    name: string;
    address: string;
    city: string;
    district: string;
  }> = {},
): Promise<{ id: number; apiKey: string }> {
  storeSeq += 1;
  const body = {
    chain: overrides.chain ?? '7-11',
    storeNo: overrides.storeNo ?? `${randomInt(1e6)}${storeSeq}`,
    name: overrides.name ?? '測試門市',
    address: overrides.address ?? '臺北市中正區忠孝西路一段49號',
    city: overrides.city ?? '臺北市',
    district: overrides.district ?? '中正區',
  };
  const res = await api.post<{ id: number; apiKey: string }>('/api/v1/admin/stores', body, {
    token: adminToken,
  });
  if (res.status !== 201) throw new Error(`store: ${res.status} ${res.text}`);
  return res.body;
}

/** Round 1 of the seeds (SPEC §5) unless overridden. */
export const ROUND_1 = {
  name: '第1輪',
  registrationOpensAt: '2020-03-12T09:00:00+08:00',
  registrationClosesAt: '2020-03-18T20:00:00+08:00',
  paymentOpensAt: '2020-03-19T09:00:00+08:00',
  paymentClosesAt: '2020-03-25T20:00:00+08:00',
  pickupStartsOn: '2020-03-26',
  pickupEndsOn: '2020-04-01',
  supplyPacks: 2_330_000,
};

export async function createRound(
  api: Client,
  adminToken: string,
  overrides: Partial<typeof ROUND_1> = {},
): Promise<{ id: number } & typeof ROUND_1> {
  const res = await api.post<{ id: number } & typeof ROUND_1>(
    '/api/v1/admin/rounds',
    { ...ROUND_1, ...overrides },
    { token: adminToken },
  );
  if (res.status !== 201) throw new Error(`round: ${res.status} ${res.text}`);
  return res.body;
}

/**
 * A citizen session written straight into the database, for tests of capabilities that
 * only need "someone signed in with this channel". Sign-in itself is tested in identity.
 */
export async function citizenToken(db: Db, personId: number, channel: Channel, now: Date): Promise<string> {
  return createSession(db, { kind: 'citizen', personId, channel }, now);
}
