import { describe, expect, it } from 'vitest';
import { canonicalEmail, canonicalPhone, canonicalRecipient, parseRecipient } from './recipient.js';

describe('canonical recipients', () => {
  it('write a Taiwan mobile number as 09 and 8 digits, however it was typed', () => {
    for (const written of [
      '0912345678',
      '0912-345-678',
      '0912 345 678',
      ' 0912.345.678 ',
      '(09)12345678',
      '+886912345678',
      '+886 912 345 678',
      '+886-912-345-678',
      '+886 0912 345 678',
      '00886912345678',
      '886912345678',
    ]) {
      expect(canonicalPhone(written), written).toBe('0912345678');
    }
    for (const bad of [
      '',
      '091234567',
      '09123456789',
      '0212345678',
      '+1 912 345 678',
      '0912abc678',
      '912345',
    ])
      expect(canonicalPhone(bad), bad).toBeNull();
  });

  it('write an e-mail address trimmed and in lower case', () => {
    expect(canonicalEmail('  Lin.Mei@Example.TW ')).toBe('lin.mei@example.tw');
    for (const bad of ['', 'no-at-sign', 'a@b', 'a b@c.tw', '@example.tw', `${'a'.repeat(250)}@b.tw`])
      expect(canonicalEmail(bad), bad).toBeNull();
  });

  it('tell a phone number from an e-mail address by the @', () => {
    expect(parseRecipient('0912-345-678')).toEqual({ channel: 'sms', canonical: '0912345678' });
    expect(parseRecipient('Lin@Example.tw')).toEqual({ channel: 'email', canonical: 'lin@example.tw' });
    expect(parseRecipient('lin@')).toBeNull();
    expect(parseRecipient('hello')).toBeNull();
    expect(canonicalRecipient('sms', 'not a phone ')).toBe('not a phone');
  });
});
