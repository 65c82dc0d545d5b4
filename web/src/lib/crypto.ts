/**
 * Ed25519 in the browser (API.md "Cryptography"): a signature is the base64url Ed25519
 * signature of the UTF-8 bytes of a challenge's nonce. Card keys arrive as PKCS#8 PEM (the
 * virtual card reader of the demo); device keys are generated here and never leave the browser.
 */

export function pemToDer(pem: string): ArrayBuffer {
  const base64 = pem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, '').replace(/\s+/g, '');
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

export function derToPem(der: ArrayBuffer, label: string): string {
  const bytes = new Uint8Array(der);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  const lines = btoa(binary).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

export function base64url(bytes: ArrayBuffer): string {
  let binary = '';
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export type KeyKind = 'Ed25519' | 'ECDSA-P256' | 'ECDSA-P384' | 'RSA';

/** Which algorithm a PKCS#8 key is for, read from the algorithm OID inside it. */
export function keyKindOf(der: ArrayBuffer): KeyKind {
  const hex = Array.from(new Uint8Array(der).slice(0, 64), (b) => b.toString(16).padStart(2, '0')).join('');
  if (hex.includes('06032b6570')) return 'Ed25519';
  if (hex.includes('06072a8648ce3d0201')) {
    return hex.includes('06052b81040022') ? 'ECDSA-P384' : 'ECDSA-P256';
  }
  return 'RSA';
}

export interface SigningKey {
  kind: KeyKind;
  key: CryptoKey;
}

/** Imports a PKCS#8 private key (non-extractable once imported) for signing challenges. */
export async function importPrivateKey(pkcs8Pem: string): Promise<SigningKey> {
  const der = pemToDer(pkcs8Pem);
  const kind = keyKindOf(der);
  const algorithm =
    kind === 'Ed25519'
      ? { name: 'Ed25519' }
      : kind === 'RSA'
        ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
        : { name: 'ECDSA', namedCurve: kind === 'ECDSA-P384' ? 'P-384' : 'P-256' };
  const key = await crypto.subtle.importKey('pkcs8', der, algorithm, false, ['sign']);
  return { kind, key };
}

/** ECDSA in WebCrypto yields r‖s; servers built on Node's `verify` expect DER. */
function p1363ToDer(signature: ArrayBuffer): ArrayBuffer {
  const bytes = new Uint8Array(signature);
  const half = bytes.length / 2;
  const integer = (part: Uint8Array): number[] => {
    let i = 0;
    while (i < part.length - 1 && part[i] === 0) i++;
    const trimmed = Array.from(part.slice(i));
    if ((trimmed[0] ?? 0) & 0x80) trimmed.unshift(0);
    return [0x02, trimmed.length, ...trimmed];
  };
  const body = [...integer(bytes.slice(0, half)), ...integer(bytes.slice(half))];
  const length = body.length < 128 ? [body.length] : [0x81, body.length];
  return new Uint8Array([0x30, ...length, ...body]).buffer;
}

/** Signs the UTF-8 bytes of a nonce and returns the base64url signature. */
export async function signNonce(signer: SigningKey | CryptoKey, nonce: string): Promise<string> {
  const { kind, key } = 'kind' in signer ? signer : { kind: 'Ed25519' as KeyKind, key: signer };
  const data = new TextEncoder().encode(nonce);
  if (kind === 'Ed25519') return base64url(await crypto.subtle.sign({ name: 'Ed25519' }, key, data));
  if (kind === 'RSA') return base64url(await crypto.subtle.sign({ name: 'RSASSA-PKCS1-v1_5' }, key, data));
  const raw = await crypto.subtle.sign(
    { name: 'ECDSA', hash: kind === 'ECDSA-P384' ? 'SHA-384' : 'SHA-256' },
    key,
    data,
  );
  return base64url(p1363ToDer(raw));
}

/** A new device key: the private half is non-extractable and stays in this browser (IndexedDB). */
export async function generateDeviceKey(): Promise<{ keyPair: CryptoKeyPair; publicKeyPem: string }> {
  const keyPair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const spki = await crypto.subtle.exportKey('spki', keyPair.publicKey);
  return { keyPair, publicKeyPem: derToPem(spki, 'PUBLIC KEY') };
}

/** Whether this browser can do Ed25519 in WebCrypto at all. */
export async function supportsEd25519(): Promise<boolean> {
  try {
    await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
    return true;
  } catch {
    return false;
  }
}
