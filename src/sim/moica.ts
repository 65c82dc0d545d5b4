import { createPrivateKey, randomBytes } from 'node:crypto';
import { findPersonByNationalId } from '../identity/identity.repo.js';
import { x509 } from '../identity/x509.js';
import type { Db } from '../platform/db.js';
import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { isArcNumber, isNationalId } from '../rules/ids.js';
import { insertCaIfAbsent, loadCa, type StoredCa } from './moica.repo.js';

export const SIM_CA_NAME = 'CN=Simulated MOICA Citizen CA, O=Simulated Ministry of the Interior, C=TW';
const ED25519 = { name: 'Ed25519' } as const;
const P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
/**
 * The CA's validity is fixed, not "now + n years", because the manual clock of demos and tests
 * moves backwards and forwards: the CA must be valid at any instant they use.
 */
const CA_NOT_BEFORE = new Date('2000-01-01T00:00:00Z');
const CA_NOT_AFTER = new Date('2049-12-31T23:59:59Z');
/** Real citizen certificates are valid for about 5 years. */
export const DEFAULT_VALID_DAYS = 5 * 365;

const subtle = () => globalThis.crypto.subtle;

function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f; // a positive INTEGER
  return bytes.toString('hex');
}

function pkcs8Pem(der: ArrayBuffer): string {
  return createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' })
    .export({ type: 'pkcs8', format: 'pem' })
    .toString();
}

function pemBody(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
}

/**
 * The simulated CA, created on first use and kept in the database (key included). Stored rather
 * than derived from a seed: a derivation needs a secret that the configuration would have to
 * carry (a published default seed would let anyone mint certificates), while the database
 * already survives restarts, and a new DATA_DIR means a new system with a new CA.
 */
export async function ensureSimCa(db: Db, now: Date): Promise<StoredCa> {
  const existing = await loadCa(db);
  if (existing) return existing;
  const keys = await subtle().generateKey(ED25519, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: SIM_CA_NAME,
    notBefore: CA_NOT_BEFORE,
    notAfter: CA_NOT_AFTER,
    keys,
    signingAlgorithm: ED25519,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  const privateKeyPem = pkcs8Pem(await subtle().exportKey('pkcs8', keys.privateKey));
  await insertCaIfAbsent(db, { certificatePem: cert.toString('pem'), privateKeyPem }, now);
  const stored = await loadCa(db);
  if (!stored) throw new Error('CA insert left no row');
  return stored;
}

export interface IssueCertificateInput {
  nationalId: string;
  /** Ed25519 (default) or ECDSA P-256. */
  keyAlgorithm?: 'Ed25519' | 'ECDSA-P256' | undefined;
  validDays?: number | undefined;
}

export interface IssuedCertificate {
  certificatePem: string;
  privateKeyPem: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
}

/**
 * The simulated Citizen Digital Certificate CA (API.md "Simulation"): a real X.509 certificate
 * whose subject serialNumber (2.5.4.5) is the ID, valid from the platform's now. The private key
 * is handed out once, as the certificate card would hold it.
 */
export async function issueCitizenCertificate(
  input: IssueCertificateInput,
  deps: Deps,
): Promise<IssuedCertificate> {
  const nationalId = input.nationalId.toUpperCase();
  if (!isNationalId(nationalId) && !isArcNumber(nationalId)) {
    throw new AppError('INVALID_NATIONAL_ID', 'The ID number is not valid (check digit or format).', {
      fields: [{ field: 'body/nationalId' }],
    });
  }
  const now = deps.clock.now();
  const ca = await ensureSimCa(deps.sql, now);
  if (!ca.privateKeyPem) {
    throw new AppError(
      'SERVICE_UNAVAILABLE',
      'The configured CA has no key here; certificates cannot be issued.',
    );
  }
  const caCert = new x509.X509Certificate(ca.certificatePem);
  const caKey = await subtle().importKey('pkcs8', new Uint8Array(pemBody(ca.privateKeyPem)), ED25519, false, [
    'sign',
  ]);
  const algorithm = input.keyAlgorithm === 'ECDSA-P256' ? P256 : ED25519;
  const keys = (await subtle().generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
  const person = await findPersonByNationalId(deps.sql, deps.vault, nationalId);
  const notAfter = new Date(now.getTime() + (input.validDays ?? DEFAULT_VALID_DAYS) * 24 * 60 * 60 * 1000);
  const serial = serialNumber();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial,
    subject: [{ CN: [person?.name ?? 'Citizen'] }, { '2.5.4.5': [nationalId] }, { C: ['TW'] }],
    issuer: caCert.subject,
    notBefore: now,
    notAfter,
    signingKey: caKey,
    publicKey: keys.publicKey,
    signingAlgorithm: ED25519,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation,
        true,
      ),
    ],
  });
  return {
    certificatePem: cert.toString('pem'),
    privateKeyPem: pkcs8Pem(await subtle().exportKey('pkcs8', keys.privateKey)),
    serialNumber: serial,
    notBefore: now.toISOString(),
    notAfter: notAfter.toISOString(),
  };
}
