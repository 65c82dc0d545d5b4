import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Encryption at rest of personal data (docs/SECURITY.md "Personal data at rest").
 *
 * National IDs, resident certificate numbers, names, phone numbers and e-mail addresses are
 * stored sealed: AES-256-GCM under a data key from the configuration, with a fresh 96-bit IV per
 * value and the kind of value as additional data (a sealed phone cannot be passed off as a
 * sealed name). The text form is `v1.<keyId>.<base64url(iv | ciphertext | tag)>`, so a column
 * keeps its text type, SQL can copy a sealed value from one table to another (an order's e-mail
 * into the outbox) and a value tells which key sealed it — which is what makes rotation a
 * background re-seal instead of a flag day.
 *
 * Look-ups by national ID cannot use the ciphertext (every sealing differs), so they use a blind
 * index: HMAC-SHA256 under a separate key of the kind and the value. Without that key the index
 * cannot be checked against guessed IDs.
 */
export type SealedKind = 'national_id' | 'arc_number' | 'name' | 'phone' | 'email' | 'passport';

export interface DataKeyring {
  /** Id of the key new values are sealed with (the first of DATA_ENCRYPTION_KEYS). */
  currentKeyId: string;
  /** Every key that may still have sealed something: current first, retired ones after it. */
  keys: ReadonlyMap<string, Buffer>;
  /** Key of the blind index (BLIND_INDEX_KEY). */
  blindIndexKey: Buffer;
}

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export class Vault {
  readonly currentKeyId: string;
  private readonly keys: ReadonlyMap<string, Buffer>;
  private readonly current: Buffer;
  private readonly blindIndexKey: Buffer;

  constructor(keyring: DataKeyring) {
    const current = keyring.keys.get(keyring.currentKeyId);
    if (!current) throw new Error(`the current data key "${keyring.currentKeyId}" is not in the key ring`);
    for (const [id, key] of keyring.keys) {
      if (!KEY_ID.test(id)) throw new Error(`data key id "${id}" must match ${KEY_ID}`);
      if (key.length !== 32) throw new Error(`data key "${id}" must be 32 bytes (AES-256)`);
    }
    if (keyring.blindIndexKey.length < 32) throw new Error('the blind-index key must be at least 32 bytes');
    this.currentKeyId = keyring.currentKeyId;
    this.keys = keyring.keys;
    this.current = current;
    this.blindIndexKey = keyring.blindIndexKey;
  }

  /** Seals `plaintext` under the current key. */
  seal(kind: SealedKind, plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current, iv);
    cipher.setAAD(Buffer.from(kind));
    const body = Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${VERSION}.${this.currentKeyId}.${body.toString('base64url')}`;
  }

  sealOptional(kind: SealedKind, plaintext: string | null | undefined): string | null {
    return plaintext === null || plaintext === undefined ? null : this.seal(kind, plaintext);
  }

  /** The plaintext of a sealed value; throws if it was altered, sealed as another kind, or under an unknown key. */
  open(kind: SealedKind, sealed: string): string {
    const parts = sealed.split('.');
    const key = parts.length === 3 && parts[0] === VERSION ? this.keys.get(parts[1] as string) : undefined;
    if (!key) throw new Error(`not a value this vault can open (${describe(sealed)})`);
    const body = Buffer.from(parts[2] as string, 'base64url');
    if (body.length < IV_BYTES + TAG_BYTES) throw new Error('sealed value is truncated');
    const decipher = createDecipheriv('aes-256-gcm', key, body.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(kind));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(body.subarray(IV_BYTES, body.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  }

  openOptional(kind: SealedKind, sealed: string | null): string | null {
    return sealed === null ? null : this.open(kind, sealed);
  }

  /**
   * A keyed MAC for the platform's own short-lived tokens (the nonce of a challenge,
   * src/identity/challenges.ts), under the blind-index key but domain-separated from every
   * index: an index input starts with a kind, which never contains ':'.
   */
  mac(purpose: 'challenge', value: string): Buffer {
    return createHmac('sha256', this.blindIndexKey).update(`mac:${purpose}\u0000${value}`).digest();
  }

  /** Keyed blind index of a value (look-ups by national ID or resident certificate number). */
  index(kind: SealedKind, value: string): Buffer {
    return createHmac('sha256', this.blindIndexKey).update(`${kind}\u0000${value}`).digest();
  }

  /**
   * The blind index in hex, where only sameness matters and a text key is wanted: rate-limit
   * buckets of an ID (not even a hash of the bare ID, which could be brute-forced over the ID
   * space, is stored) and the passport number of a traveller's purchases.
   */
  indexHex(kind: SealedKind, value: string): string {
    return this.index(kind, value).toString('hex');
  }

  /** Whether `value` is in the sealed text form (any key, known or not). */
  static isSealed(value: string): boolean {
    return value.startsWith(`${VERSION}.`) && value.split('.').length === 3;
  }

  /** The id of the key that sealed `value`, if it is sealed. */
  static keyIdOf(value: string): string | undefined {
    return Vault.isSealed(value) ? value.split('.')[1] : undefined;
  }
}

function describe(value: string): string {
  return Vault.isSealed(value) ? `key "${Vault.keyIdOf(value)}" is not configured` : 'not sealed';
}

/** The vault of a configuration (DATA_ENCRYPTION_KEYS, BLIND_INDEX_KEY; demo keys by default). */
export function vaultFor(config: { dataEncryptionKeys: string; blindIndexKey: string }): Vault {
  return new Vault(parseKeyring(config.dataEncryptionKeys, config.blindIndexKey));
}

/**
 * Parses `DATA_ENCRYPTION_KEYS` (`id:base64key[,id:base64key…]`, the first seals, all open) and
 * `BLIND_INDEX_KEY` (base64, ≥ 32 bytes).
 */
export function parseKeyring(dataKeys: string, blindIndexKey: string): DataKeyring {
  const keys = new Map<string, Buffer>();
  for (const entry of dataKeys
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const colon = entry.indexOf(':');
    if (colon <= 0) throw new Error('DATA_ENCRYPTION_KEYS entries look like "<id>:<base64 of 32 bytes>"');
    const id = entry.slice(0, colon);
    if (keys.has(id)) throw new Error(`DATA_ENCRYPTION_KEYS names key "${id}" twice`);
    keys.set(id, Buffer.from(entry.slice(colon + 1), 'base64'));
  }
  const [currentKeyId] = keys.keys();
  if (currentKeyId === undefined) throw new Error('DATA_ENCRYPTION_KEYS is empty');
  return { currentKeyId, keys, blindIndexKey: Buffer.from(blindIndexKey, 'base64') };
}
