import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { x509 } from './x509.js';

/** OID of the subject attribute `serialNumber` (X.520), where our certificates carry the ID. */
export const SUBJECT_SERIAL_NUMBER = '2.5.4.5';

/**
 * How a certificate key signs a challenge (documented in the login schema): base64url of
 * - Ed25519: the 64-byte signature of the UTF-8 nonce (as cards and devices do);
 * - ECDSA P-256: SHA-256 over the UTF-8 nonce, the signature as IEEE P1363 r‖s (64 bytes,
 *   WebCrypto's format) or as DER (what OpenSSL and Node's crypto.sign give by default).
 */
export const CERTIFICATE_SIGNATURE_FORMAT =
  'base64url signature over the UTF-8 bytes of the challenge nonce. Ed25519 key: the plain 64-byte ' +
  'Ed25519 signature. ECDSA P-256 key: ECDSA with SHA-256, encoded as IEEE P1363 r||s (64 bytes, ' +
  'WebCrypto) or DER (OpenSSL / Node crypto.sign default).';

function parse(pem: string): x509.X509Certificate | null {
  try {
    return new x509.X509Certificate(pem);
  } catch {
    return null;
  }
}

function within(cert: x509.X509Certificate, now: Date): boolean {
  return cert.notBefore.getTime() <= now.getTime() && now.getTime() <= cert.notAfter.getTime();
}

function isCa(cert: x509.X509Certificate): boolean {
  const bc = cert.getExtension(x509.BasicConstraintsExtension);
  return bc?.ca === true;
}

function publicKeyOf(cert: x509.X509Certificate): KeyObject | null {
  try {
    const key = createPublicKey({ key: Buffer.from(cert.publicKey.rawData), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType === 'ed25519') return key;
    if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return key;
    return null;
  } catch {
    return null;
  }
}

export interface CertificateCheck {
  certificatePem: string;
  /** The trust anchor: the Citizen Digital Certificate CA. */
  caCertificatePem: string;
  /** The ID the person claims; must be the certificate subject's serialNumber. */
  nationalId: string;
  /** The platform clock, never the machine's. */
  now: Date;
}

/**
 * SPEC §2 [ID 1]: the certificate was issued by the CA (signature checked with the CA key),
 * both are valid at `now`, the certificate is an end-entity one and belongs to `nationalId`.
 * Returns the certificate's public key (Ed25519 or ECDSA P-256), or null when anything fails.
 */
export async function verifyCitizenCertificate(check: CertificateCheck): Promise<KeyObject | null> {
  const cert = parse(check.certificatePem);
  const ca = parse(check.caCertificatePem);
  if (!cert || !ca) return null;
  if (cert.issuerName.toString() !== ca.subjectName.toString()) return null;
  let signedByCa = false;
  try {
    signedByCa = await cert.verify({ publicKey: ca.publicKey, signatureOnly: true });
  } catch {
    signedByCa = false;
  }
  if (!signedByCa) return null;
  if (!within(cert, check.now) || !within(ca, check.now)) return null;
  if (isCa(cert)) return null;
  const serials = cert.subjectName.getField(SUBJECT_SERIAL_NUMBER);
  if (serials.length !== 1 || serials[0] !== check.nationalId) return null;
  return publicKeyOf(cert);
}

/** Checks a challenge signature made with a certificate's key (CERTIFICATE_SIGNATURE_FORMAT). */
export function verifyCertificateSignature(key: KeyObject, nonce: string, signatureB64url: string): boolean {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(signatureB64url)) return false;
  const data = Buffer.from(nonce, 'utf8');
  const signature = Buffer.from(signatureB64url, 'base64url');
  try {
    if (key.asymmetricKeyType === 'ed25519') return verify(null, data, key, signature);
    if (key.asymmetricKeyType === 'ec') {
      const dsaEncoding = signature.length === 64 ? 'ieee-p1363' : 'der';
      return verify('sha256', data, { key, dsaEncoding }, signature);
    }
    return false;
  } catch {
    return false;
  }
}
