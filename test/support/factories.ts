// Over 300 lines: the test factories of every capability, one small function each, sharing the World.
import { createPrivateKey, randomInt, sign } from 'node:crypto';
import { markCollected } from '../../src/orders/orders.repo.js';
import { insertOrderPayment } from '../../src/payments/payments.repo.js';
import { newPickupSerial } from '../../src/payments/pickup-serial.js';
import { type Channel, createSession } from '../../src/platform/auth.js';
import type { Db } from '../../src/platform/db.js';
import type { Deps } from '../../src/platform/deps.js';
import type { Vault } from '../../src/platform/vault.js';
import { withCheckDigit } from '../../src/rules/ids.js';
import { virtualAccount } from '../../src/rules/virtual-account.js';
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

/**
 * The card is "in the reader": a fresh challenge (issued as the platform issues it, at the
 * platform clock `now`) signed by the card's private key, as a pharmacy POS sends it.
 */
export async function cardPresence(
  vault: Vault,
  card: { privateKeyPem: string },
  now: Date,
): Promise<{ challengeId: string; cardSignature: string }> {
  const { createChallenge } = await import('../../src/identity/challenges.js');
  const challenge = createChallenge(vault, now);
  return {
    challengeId: challenge.challengeId,
    cardSignature: signNonce(card.privateKeyPem, challenge.nonce),
  };
}

/** Sets a pharmacy's stock (in masks) with its own key. */
export async function setPharmacyStock(
  api: Client,
  pharmacy: { code: string; apiKey: string },
  stock: { adult: number; child: number },
): Promise<void> {
  const res = await api.put(`/api/v1/pharmacies/${pharmacy.code}/stock`, stock, { token: pharmacy.apiKey });
  if (res.status !== 200) throw new Error(`stock: ${res.status} ${res.text}`);
}

// ---------------------------------------------------------------------------------------------
// Identity (docs/IDENTITY.md): real sign-ins through the API, for tests of every capability.

/** A fresh single-use challenge (API.md `POST /api/v1/auth/challenges`). */
export async function newChallenge(
  api: Client,
): Promise<{ challengeId: string; nonce: string; expiresAt: string }> {
  const res = await api.post<{ challengeId: string; nonce: string; expiresAt: string }>(
    '/api/v1/auth/challenges',
    {},
  );
  if (res.status !== 201 && res.status !== 200) throw new Error(`challenge: ${res.status} ${res.text}`);
  return res.body;
}

/** A phone's (or card's) Ed25519 key pair: SPKI PEM public key, PKCS#8 PEM private key. */
export async function newDeviceKeys(): Promise<{ publicKeyPem: string; privateKeyPem: string }> {
  const { generateKeyPairSync } = await import('node:crypto');
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

export const CARD_PASSWORD = 'card-password-1';

/** NHI online-service registration of a card with a password (201). */
export async function registerCard(api: Client, card: TestCard, password = CARD_PASSWORD): Promise<void> {
  const c = await newChallenge(api);
  const res = await api.post('/api/v1/auth/nhi-card/register', {
    cardNo: card.cardNo,
    challengeId: c.challengeId,
    signature: signNonce(card.privateKeyPem, c.nonce),
    password,
  });
  if (res.status !== 201) throw new Error(`register card: ${res.status} ${res.text}`);
}

/** A web_card session token of a registered card. */
export async function loginWithCard(api: Client, card: TestCard, password = CARD_PASSWORD): Promise<string> {
  const c = await newChallenge(api);
  const res = await api.post<{ token: string }>('/api/v1/auth/nhi-card/login', {
    cardNo: card.cardNo,
    challengeId: c.challengeId,
    signature: signNonce(card.privateKeyPem, c.nonce),
    password,
  });
  if (res.status !== 200) throw new Error(`card login: ${res.status} ${res.text}`);
  return res.body.token;
}

/**
 * A new person with a card, registered and signed in on the web with it (channel web_card):
 * the shortest way to a real citizen session.
 */
export async function citizenLogin(
  api: Client,
  adminToken: string,
  overrides: Parameters<typeof issueCard>[2] = {},
): Promise<{ card: TestCard; token: string; password: string }> {
  const card = await issueCard(api, adminToken, overrides);
  await registerCard(api, card);
  return { card, token: await loginWithCard(api, card), password: CARD_PASSWORD };
}

export interface TestSubscriber {
  phone: string;
  carrier: 'CHT' | 'FET' | 'TWM' | 'TSTAR' | 'APTG' | 'MVNO' | 'OTHER';
  plan: 'monthly' | 'prepaid' | 'parent_child' | 'corporate';
  ownerId: string;
  status: 'active' | 'suspended' | 'arrears';
  mobileData: boolean;
}

/** A random Taiwan mobile number, 09xxxxxxxx. */
export function randomPhone(): string {
  return `09${String(randomInt(100_000_000)).padStart(8, '0')}`;
}

/** A line in the simulated telecom's book; by default an own-name monthly CHT plan with data. */
export async function addTelecomSubscriber(
  api: Client,
  ownerId: string,
  overrides: Partial<TestSubscriber> = {},
): Promise<TestSubscriber> {
  const body: TestSubscriber = {
    phone: randomPhone(),
    carrier: 'CHT',
    plan: 'monthly',
    ownerId,
    status: 'active',
    mobileData: true,
    ...overrides,
  };
  const res = await api.post('/api/v1/sim/telecom/subscribers', body);
  if (res.status !== 201) throw new Error(`subscriber: ${res.status} ${res.text}`);
  return body;
}

/**
 * The phone check with the person's own number (channel app_phone): adds a good subscriber
 * line unless `phone` is given, binds a new device key.
 */
export async function phoneAuth(
  api: Client,
  card: TestCard,
  options: { phone?: string; password?: string } = {},
): Promise<{
  deviceId: number;
  token: string;
  phone: string;
  keys: { publicKeyPem: string; privateKeyPem: string };
}> {
  const phone = options.phone ?? (await addTelecomSubscriber(api, card.nationalId)).phone;
  const keys = await newDeviceKeys();
  const res = await api.post<{ deviceId: number; token: string }>('/api/v1/auth/phone', {
    phone,
    nationalId: card.nationalId,
    cardLast4: card.cardNo.slice(-4),
    password: options.password ?? 'app-password-1',
    devicePublicKeyPem: keys.publicKeyPem,
  });
  if (res.status !== 201) throw new Error(`phone auth: ${res.status} ${res.text}`);
  return { ...res.body, phone, keys };
}

/** A device bound with a device code made from a web session (channel app_device). */
export async function bindDeviceByCode(
  api: Client,
  webToken: string,
): Promise<{ deviceId: number; token: string; keys: { publicKeyPem: string; privateKeyPem: string } }> {
  const code = await api.post<{ code: string }>('/api/v1/devices/codes', {}, { token: webToken });
  if (code.status !== 201) throw new Error(`device code: ${code.status} ${code.text}`);
  const keys = await newDeviceKeys();
  const res = await api.post<{ deviceId: number; token: string }>('/api/v1/devices/bind', {
    code: code.body.code,
    devicePublicKeyPem: keys.publicKeyPem,
  });
  if (res.status !== 201) throw new Error(`bind device: ${res.status} ${res.text}`);
  return { ...res.body, keys };
}

/** A session of a bound device: its key signs a fresh challenge. */
export async function deviceLogin(api: Client, deviceId: number, privateKeyPem: string): Promise<string> {
  const c = await newChallenge(api);
  const res = await api.post<{ token: string }>('/api/v1/auth/device/login', {
    deviceId,
    challengeId: c.challengeId,
    signature: signNonce(privateKeyPem, c.nonce),
  });
  if (res.status !== 200) throw new Error(`device login: ${res.status} ${res.text}`);
  return res.body.token;
}

/** A certificate of the simulated Citizen Digital Certificate CA for this ID. */
export async function issueCitizenCertificate(
  api: Client,
  nationalId: string,
  options: { validDays?: number; keyAlgorithm?: 'Ed25519' | 'ECDSA-P256' } = {},
): Promise<{ certificatePem: string; privateKeyPem: string }> {
  const res = await api.post<{ certificatePem: string; privateKeyPem: string }>(
    '/api/v1/sim/moica/certificates',
    {
      nationalId,
      ...options,
    },
  );
  if (res.status !== 201 && res.status !== 200) throw new Error(`certificate: ${res.status} ${res.text}`);
  return res.body;
}

/** A web_certificate session token (Ed25519 certificate keys). */
export async function loginWithCertificate(
  api: Client,
  certificate: { certificatePem: string; privateKeyPem: string },
  nationalId: string,
): Promise<string> {
  const c = await newChallenge(api);
  const res = await api.post<{ token: string }>('/api/v1/auth/certificate/login', {
    certificatePem: certificate.certificatePem,
    challengeId: c.challengeId,
    signature: signNonce(certificate.privateKeyPem, c.nonce),
    nationalId,
  });
  if (res.status !== 200) throw new Error(`certificate login: ${res.status} ${res.text}`);
  return res.body.token;
}

// ---------------------------------------------------------------------------------------------
// Payments and pickup: orders put straight into the state a test needs.

export interface TestOrder {
  id: number;
  roundId: number;
  personId: number;
  storeId: number;
  amount: number;
  phone: string;
  email: string;
  virtualAccount: string | null;
  pickupSerial: string | null;
}

/** An order's derived state and its payment, if any (`order_payments`, migration 0084). */
export async function orderPaymentOf(db: Db, orderId: number) {
  const [row] = await db<
    { state: string; paid_at: Date | null; payment_method: string | null; pickup_serial: string | null }[]
  >`select emask_order_state(o.state, o.round_id, o.id) as state, p.paid_at, p.method as payment_method,
           p.pickup_serial
    from orders o left join order_payments p on p.order_id = o.id where o.id = ${orderId}`;
  return row;
}

/**
 * What the order factories write through: the app's API with an operator signed in (rounds,
 * stores and cards are made as an operator makes them) and the app's deps (the database and the
 * vault the production repositories write with).
 */
export interface World {
  api: Client;
  admin: string;
  deps: Deps;
}

/** The world of a running app (`setUpTestApp`'s handle): its client, its operator, its deps. */
export async function makeWorld(app: { api: Client; deps: Deps; admin(): Promise<string> }): Promise<World> {
  return { api: app.api, admin: await app.admin(), deps: app.deps };
}

/**
 * An order's payment, as the platform claims it (`insertOrderPayment`, payments.repo.ts): its
 * payment row with a fresh pickup serial (or the given one).
 */
export async function insertTestPayment(
  db: Db,
  p: { orderId: number; paidAt: Date; serial?: string; method?: 'atm' | 'card' },
): Promise<string> {
  const serial = p.serial ?? newPickupSerial();
  const claimed = await insertOrderPayment(db, {
    orderId: p.orderId,
    method: p.method ?? 'atm',
    serial,
    now: p.paidAt,
  });
  if (claimed !== 'inserted') throw new Error(`payment of order ${p.orderId}: ${claimed}`);
  return serial;
}

/**
 * An order in the given state (default awaiting_payment, as the draw leaves a selected order),
 * submitted at `now`: paid and collected orders get their payment row and pickup serial, and
 * collected ones are handed over, by the production repositories (`insertOrderPayment`,
 * `markCollected`).
 */
export async function createOrderInState(
  world: Pick<World, 'deps'>,
  o: {
    roundId: number;
    personId: number;
    storeId: number;
    now: Date;
    state?: 'registered' | 'not_selected' | 'awaiting_payment' | 'paid' | 'collected';
    channel?: Channel;
    phone?: string;
    email?: string;
    amount?: number;
    paidAt?: Date;
    collectedAt?: Date;
  },
): Promise<TestOrder> {
  const { sql, vault } = world.deps;
  const state = o.state ?? 'awaiting_payment';
  const phone = o.phone ?? `09${String(randomInt(100_000_000)).padStart(8, '0')}`;
  const email = o.email ?? `buyer.${randomInt(1e9)}@example.tw`;
  const amount = o.amount ?? 22;
  const selected = state === 'awaiting_payment' || state === 'paid' || state === 'collected';
  // Written by hand: the platform writes an order only inside its round's registration window at
  // the platform clock (`upsertOrders`), and selects or rejects orders only round-wide, in the
  // draw. Tests need one order in a given state, submitted at a given time, among others of the
  // same round; the stored states used here are ones the platform reads (migrations 0050, 0084).
  const [row] = await sql<{ id: number }[]>`
    insert into orders (round_id, person_id, store_id, phone, email, channel, amount, state, submitted_at, updated_at)
    values (${o.roundId}, ${o.personId}, ${o.storeId}, ${vault.seal('phone', phone)}, ${vault.seal('email', email)},
            ${o.channel ?? 'web_card'}, ${amount}, ${selected ? 'awaiting_payment' : state}, ${o.now}, ${o.now})
    returning id`;
  if (!row) throw new Error('order insert returned nothing');
  const paid = state === 'paid' || state === 'collected';
  const serial = paid ? await insertTestPayment(sql, { orderId: row.id, paidAt: o.paidAt ?? o.now }) : null;
  if (state === 'collected' && !(await markCollected(sql, row.id, o.collectedAt ?? o.now))) {
    throw new Error(`order ${row.id} could not be collected`);
  }
  return {
    id: row.id,
    roundId: o.roundId,
    personId: o.personId,
    storeId: o.storeId,
    amount,
    phone,
    email,
    virtualAccount: selected ? virtualAccount(o.roundId, row.id) : null,
    pickupSerial: serial,
  };
}

/**
 * A paid eMask order of a person in a round of its own (Round 1's dates unless overridden),
 * to pick up at a new store: what the purchase record and the pharmacies' interval rule count.
 */
export async function createPaidOrder(
  world: World,
  o: {
    personId: number;
    now: Date;
    round?: Partial<typeof ROUND_1>;
    store?: Parameters<typeof createStore>[2];
    channel?: Channel;
  },
): Promise<{ round: { id: number }; store: { id: number }; order: TestOrder }> {
  const round = await createRound(world.api, world.admin, o.round);
  const store = await createStore(world.api, world.admin, o.store);
  const order = await createOrderInState(world, {
    roundId: round.id,
    personId: o.personId,
    storeId: store.id,
    now: o.now,
    state: 'paid',
    channel: o.channel,
  });
  return { round, store, order };
}
