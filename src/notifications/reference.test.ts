import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../platform/config.js';
import { vaultFor } from '../platform/vault.js';
import { PICKUP_SMS_SUMMARY, pickupSerialSms, VERIFY_URL } from './messages.js';
import {
  newMessageReference,
  normaliseReference,
  REFERENCE_ALPHABET,
  recipientIndex,
  referenceIn,
} from './reference.js';

const SHAPE = /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/;

describe('message references', () => {
  it('are three groups of four from the alphabet without look-alikes, about 59 bits, all different', () => {
    expect(REFERENCE_ALPHABET).toHaveLength(31);
    expect(REFERENCE_ALPHABET).not.toMatch(/[01IOL]/);
    expect(12 * Math.log2(REFERENCE_ALPHABET.length)).toBeGreaterThan(59);
    const references = Array.from({ length: 20_000 }, newMessageReference);
    // API.md v1.1: 8 or more characters, capital letters, digits and `-`.
    expect(references.filter((r) => !SHAPE.test(r) || !/^[A-Z0-9-]{8,}$/.test(r))).toEqual([]);
    expect(new Set(references).size).toBe(20_000);
    const counts = new Map<string, number>();
    for (const r of references)
      for (const c of r.replaceAll('-', '')) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect([...counts.keys()].sort().join('')).toBe(REFERENCE_ALPHABET);
    // 240,000 symbols: each of the 31 about 7,742 times (σ ≈ 87); taking every byte mod 31 would
    // give 8 of them 9 % more.
    for (const n of counts.values()) expect(Math.abs(n - 240_000 / 31)).toBeLessThan(450);
  });

  it('normalise what a person typed: case, spaces, dashes; refuse other shapes', () => {
    const reference = newMessageReference();
    const bare = reference.replaceAll('-', '');
    expect(normaliseReference(reference)).toBe(reference);
    expect(normaliseReference(`  ${reference.toLowerCase()} `)).toBe(reference);
    expect(normaliseReference(bare)).toBe(reference);
    expect(normaliseReference(`${bare.slice(0, 4)} - ${bare.slice(4, 8)} ${bare.slice(8)}`)).toBe(reference);
    // Well-formed but not one of ours: compared, and missed, like any wrong reference.
    expect(normaliseReference('ABCDEFGH')).toBe('ABCDEFGH');
    for (const bad of ['', 'SHORT', '-------', 'K7QX-3M9P-TR2D!', '查證碼K7QX3M9PTR2D', 'x'.repeat(65)]) {
      expect(normaliseReference(bad), bad).toBeNull();
    }
    fc.assert(
      fc.property(fc.string(), (s) => {
        const n = normaliseReference(s);
        if (n !== null) expect(n).toMatch(/^[A-Z0-9-]{8,64}$/);
      }),
    );
  });

  it('index the canonical recipient: the same for every way of writing one phone or address', () => {
    const vault = vaultFor(loadConfig({}));
    const phone = recipientIndex(vault, 'sms', '0912345678');
    for (const written of ['0912-345-678', '+886912345678', '+886 912 345 678', ' 0912 345 678 '])
      expect(recipientIndex(vault, 'sms', written).equals(phone), written).toBe(true);
    expect(recipientIndex(vault, 'sms', '0912345679').equals(phone)).toBe(false);
    const mail = recipientIndex(vault, 'email', 'Lin.Mei@Example.TW');
    expect(recipientIndex(vault, 'email', ' lin.mei@example.tw ').equals(mail)).toBe(true);
    // Kinds are domain-separated: an index is never the bare HMAC of the value.
    expect(vault.index('phone', '0912345678').equals(phone)).toBe(true);
    expect(vault.index('email', '0912345678').equals(phone)).toBe(false);
  });
});

describe('the pickup-serial SMS', () => {
  it('carries its reference, the verification page and what the platform never does, in four SMS segments', () => {
    const reference = newMessageReference();
    const sms = pickupSerialSms({
      reference,
      serial: 'ABCDEFGHJKMN',
      store: { chain: 'FamilyMart', name: '全家台大店', address: '臺北市大安區羅斯福路四段1號' },
      pickupStartsOn: '2020-03-26',
      pickupEndsOn: '2020-04-01',
    });
    expect(sms.split('\n')).toEqual([
      '【eMask口罩預購】您已完成付款。取貨序號：ABCDEFGHJKMN',
      '取貨門市：FamilyMart 全家台大店（臺北市大安區羅斯福路四段1號）',
      '取貨期間：3/26–4/1，逾期未取視同放棄，不可補領亦無法退款。',
      '請持序號至門市機台列印取貨單，並出示身分證、健保卡或駕照擇一。',
      `查證碼：${reference}，請至 ${VERIFY_URL} 查證。`,
      '本平台不會來電、不會以簡訊要求匯款，也不會傳送付款連結。',
    ]);
    expect(referenceIn(sms)).toBe(reference);
    // UCS-2 SMS: 70 characters alone, 67 per part when concatenated; four parts at most.
    expect([...sms].length).toBeLessThanOrEqual(4 * 67);
    // The link stands between spaces, so no phone runs it into the following text.
    expect(sms).toContain(` ${VERIFY_URL} `);
    expect(VERIFY_URL).toBe('https://emask.taiwan.gov.tw/verify');
    expect(PICKUP_SMS_SUMMARY).not.toMatch(/ABCDEFGHJKMN|全家/);
  });
});
