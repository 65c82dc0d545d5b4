/**
 * The acceptance suite's view of the system: HTTP only, exactly as /work/shared/API.md states it.
 * Nothing here reads or writes the database; people sign in the way a partner's software would
 * (a card signing a challenge, a certificate of the simulated CA, the phone check, device codes).
 */
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { expect } from 'vitest';
import { newChallenge, signNonce } from '../support/factories.js';
import type { Client, Reply } from '../support/http.js';
import type { OutboxMessage } from '../support/messages.js';

/** `YYYY-MM-DD` (API.md "Conventions": calendar dates in Asia/Taipei). */
export const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** ISO-8601 date and time with an offset (API.md "Conventions"), e.g. `2020-03-12T09:00:00+08:00`. */
export const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$/;
export const BASE64URL = /^[A-Za-z0-9_-]+$/;

export const ADMIN_PASSWORD = 'test-admin-password';

/** API.md "Errors": `{"error": {"code": "SCREAMING_SNAKE", "message": "human text", ...details}}`. */
export function expectError(
  res: Reply<unknown>,
  status: number,
  code?: string | RegExp,
): Record<string, unknown> {
  expect(res.status, `${res.status} ${res.text.slice(0, 400)}`).toBe(status);
  expect(res.headers.get('content-type') ?? '').toContain('application/json');
  const body = res.body as { error?: Record<string, unknown> };
  expect(body.error, res.text).toBeTypeOf('object');
  const error = body.error as Record<string, unknown>;
  expect(error.code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
  expect(error.message).toBeTypeOf('string');
  expect((error.message as string).length).toBeGreaterThan(0);
  if (typeof code === 'string') expect(error.code, res.text).toBe(code);
  else if (code) expect(error.code, res.text).toMatch(code);
  return error;
}

/** Any refusal that is the caller's (4xx), never a 500, in the error shape. */
export function expectClientError(res: Reply<unknown>): Record<string, unknown> {
  expect(res.status, res.text.slice(0, 400)).toBeGreaterThanOrEqual(400);
  expect(res.status, res.text.slice(0, 400)).toBeLessThan(500);
  return expectError(res, res.status);
}

/** A store, wherever an answer embeds one: `{id, chain, storeNo, name, address}`. */
export function expectStoreRef(store: unknown, expected?: { id: number }): void {
  expect(store).toMatchObject({
    id: expect.any(Number),
    chain: expect.stringMatching(/^(7-11|FamilyMart|Hi-Life|OK)$/),
    storeNo: expect.any(String),
    name: expect.any(String),
    address: expect.any(String),
  });
  expect(Number.isInteger((store as { id: number }).id)).toBe(true);
  if (expected) expect((store as { id: number }).id).toBe(expected.id);
}

/** Money is an integer number of NT$ (API.md "Conventions"). */
export function expectMoney(value: unknown, amount?: number): void {
  expect(Number.isInteger(value), `money ${String(value)}`).toBe(true);
  if (amount !== undefined) expect(value).toBe(amount);
}

export function expectTime(value: unknown): void {
  expect(value).toMatch(TIME);
  expect(Number.isNaN(Date.parse(value as string))).toBe(false);
}

/** A PKCS#8 PEM Ed25519 private key (API.md "Cryptography"). */
export function expectPkcs8Ed25519(pem: unknown): void {
  expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\r?\n[\s\S]+\r?\n-----END PRIVATE KEY-----\s*$/);
  expect(createPrivateKey(pem as string).asymmetricKeyType).toBe('ed25519');
}

/** An SPKI PEM public key. */
export function expectSpki(pem: unknown): void {
  expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----\r?\n[\s\S]+\r?\n-----END PUBLIC KEY-----\s*$/);
  expect(createPublicKey(pem as string).type).toBe('public');
}

export function expectCertificatePem(pem: unknown): X509Certificate {
  expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----\r?\n[\s\S]+\r?\n-----END CERTIFICATE-----\s*$/);
  return new X509Certificate(pem as string);
}

/** A card "in the reader": a fresh challenge from the API signed by the card (as a POS sends it). */
export async function cardInReader(
  api: Client,
  card: { privateKeyPem: string },
): Promise<{ challengeId: string; cardSignature: string }> {
  const c = await newChallenge(api);
  return { challengeId: c.challengeId, cardSignature: signNonce(card.privateKeyPem, c.nonce) };
}

/** The messages the simulated e-mail provider and SMS gateway received for one address. */
export async function outbox(api: Client, to: string): Promise<OutboxMessage[]> {
  const res = await api.get<{ messages: OutboxMessage[] }>(`/api/v1/sim/outbox?to=${encodeURIComponent(to)}`);
  expect(res.status, res.text).toBe(200);
  for (const m of res.body.messages) {
    expect(['email', 'sms']).toContain(m.channel);
    expect(m.to).toBe(to);
    expect(m.from).toBeTypeOf('string');
    expect(m.body).toBeTypeOf('string');
    expectTime(m.sentAt);
  }
  return res.body.messages;
}

/** Odd and even national IDs decide the pharmacy days: 2020-03-16 is a Monday. */
export const DAYS = {
  /** Monday: odd last digits. */
  mon: '2020-03-16',
  /** Tuesday: even last digits. */
  tue: '2020-03-17',
  /** Sunday: everyone. */
  sun: '2020-03-15',
} as const;

export const at = (day: string, time = '10:00:00') => `${day}T${time}+08:00`;

/** A valid pre-2021 resident certificate number: area letter, sex letter A–D, eight digits (the last a check digit). */
export function oldFormatArc(): string {
  // Letter codes in check-digit order: A=10 … H=17, J=18 … V=29, X=30, Y=31, W=32, Z=33, I=34, O=35.
  const LETTERS = 'ABCDEFGHJKLMNPQRSTUVXYWZIO';
  const code = (ch: string) => LETTERS.indexOf(ch) + 10;
  const area = LETTERS[Math.floor(Math.random() * 26)] as string;
  const sex = 'ABCD'[Math.floor(Math.random() * 4)] as string;
  const digits = String(Math.floor(Math.random() * 1e7)).padStart(7, '0');
  const nums = [
    Math.floor(code(area) / 10),
    code(area) % 10,
    code(sex) % 10,
    ...digits.split('').map(Number),
  ];
  const weights = [1, 9, 8, 7, 6, 5, 4, 3, 2, 1];
  const sum = nums.reduce((acc, n, i) => acc + n * (weights[i] as number), 0);
  return `${area}${sex}${digits}${(10 - (sum % 10)) % 10}`;
}
