import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseKeyring, type SealedKind, Vault, vaultFor } from './vault.js';

const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');
const kinds: SealedKind[] = ['national_id', 'arc_number', 'name', 'phone', 'email', 'passport'];
const vault = vaultFor({ dataEncryptionKeys: `k1:${key(1)}`, blindIndexKey: key(2) });

describe('vault', () => {
  it('opens what it sealed, for any text and kind, and never shows the plaintext', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), fc.constantFrom(...kinds), (text, kind) => {
        const sealed = vault.seal(kind, text);
        expect(Vault.isSealed(sealed)).toBe(true);
        expect(Vault.keyIdOf(sealed)).toBe('k1');
        if (text.length >= 3) expect(sealed).not.toContain(text);
        expect(vault.open(kind, sealed)).toBe(text);
      }),
    );
  });

  it('seals the same value differently every time; the blind index is the same every time', () => {
    const a = vault.seal('national_id', 'A123456789');
    const b = vault.seal('national_id', 'A123456789');
    expect(a).not.toBe(b);
    expect(vault.index('national_id', 'A123456789').equals(vault.index('national_id', 'A123456789'))).toBe(
      true,
    );
    expect(vault.index('national_id', 'A123456789').equals(vault.index('national_id', 'A123456788'))).toBe(
      false,
    );
    // keyed: another blind-index key gives another index
    const other = vaultFor({ dataEncryptionKeys: `k1:${key(1)}`, blindIndexKey: key(3) });
    expect(other.index('national_id', 'A123456789').equals(vault.index('national_id', 'A123456789'))).toBe(
      false,
    );
    // and the kind is part of it
    expect(vault.index('arc_number', 'A123456789').equals(vault.index('national_id', 'A123456789'))).toBe(
      false,
    );
  });

  it('refuses a value that was altered, sealed as another kind, or sealed under an unknown key', () => {
    const sealed = vault.seal('phone', '0912345678');
    const [v, id, body] = sealed.split('.') as [string, string, string];
    const bytes = Buffer.from(body, 'base64url');
    for (const at of [0, 12, bytes.length - 1]) {
      const flipped = Buffer.from(bytes);
      flipped[at] = (flipped[at] ?? 0) ^ 1;
      expect(() => vault.open('phone', `${v}.${id}.${flipped.toString('base64url')}`)).toThrow();
    }
    expect(() => vault.open('name', sealed)).toThrow();
    expect(() => vault.open('phone', `${v}.${id}.${bytes.subarray(0, 20).toString('base64url')}`)).toThrow();
    const stranger = vaultFor({ dataEncryptionKeys: `k9:${key(9)}`, blindIndexKey: key(2) });
    expect(() => stranger.open('phone', sealed)).toThrow(/k1/);
    expect(() => vault.open('phone', '0912345678')).toThrow(/not sealed/);
  });

  it('rotates: a new current key seals, the retired key still opens, only the ring decides', () => {
    const rotated = vaultFor({ dataEncryptionKeys: `k2:${key(5)},k1:${key(1)}`, blindIndexKey: key(2) });
    const old = vault.seal('email', 'a@example.tw');
    expect(rotated.open('email', old)).toBe('a@example.tw');
    const fresh = rotated.seal('email', 'a@example.tw');
    expect(Vault.keyIdOf(fresh)).toBe('k2');
    expect(() => vault.open('email', fresh)).toThrow();
  });

  it('refuses malformed key rings', () => {
    expect(() => vaultFor({ dataEncryptionKeys: '', blindIndexKey: key(2) })).toThrow(/empty/);
    expect(() =>
      vaultFor({ dataEncryptionKeys: `k1:${Buffer.alloc(16).toString('base64')}`, blindIndexKey: key(2) }),
    ).toThrow(/32 bytes/);
    expect(() =>
      vaultFor({ dataEncryptionKeys: `k1:${key(1)},k1:${key(2)}`, blindIndexKey: key(2) }),
    ).toThrow(/twice/);
    expect(() => vaultFor({ dataEncryptionKeys: `bad.id:${key(1)}`, blindIndexKey: key(2) })).toThrow(/id/);
    expect(() => vaultFor({ dataEncryptionKeys: `k1:${key(1)}`, blindIndexKey: 'c2hvcnQ=' })).toThrow(
      /blind-index/,
    );
    expect(parseKeyring(`a:${key(1)}, b:${key(2)}`, key(3)).currentKeyId).toBe('a');
  });
});
