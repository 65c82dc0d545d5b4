import { AppError } from '../platform/errors.js';
import { parseEd25519PublicKeyPem } from './challenges.js';

/** A device binds an Ed25519 public key in SPKI PEM (API.md "Cryptography"); anything else is 400. */
export function requireDeviceKey(pem: string): string {
  const key = parseEd25519PublicKeyPem(pem);
  if (!key) {
    throw new AppError('VALIDATION_FAILED', 'devicePublicKeyPem must be an Ed25519 public key in SPKI PEM.', {
      fields: [{ field: 'body/devicePublicKeyPem', problem: 'not an Ed25519 SPKI PEM public key' }],
    });
  }
  return key;
}
