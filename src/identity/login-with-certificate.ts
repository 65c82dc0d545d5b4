import type { Deps } from '../platform/deps.js';
import { limitedTry } from '../platform/rate-limit.js';
import { verifyCertificateSignature, verifyCitizenCertificate } from './certificates.js';
import { takeChallenge } from './challenges.js';
import { findPersonByNationalId } from './identity.repo.js';
import { authFailed, loginAddressLimit, personView } from './login-limits.js';
import { openCitizenSession } from './sessions.js';

/**
 * The trust anchor of certificate logins: the Citizen Digital Certificate CA's certificate, or
 * null when none is set up. Chosen by the composition root (src/adapters.ts).
 */
export interface CitizenCa {
  certificatePem(): Promise<string | null>;
}

export interface LoginWithCertificateInput {
  certificatePem: string;
  challengeId: string;
  signature: string;
  nationalId: string;
  clientAddress: string;
}

/**
 * eMask web sign-in with the Citizen Digital Certificate (自然人憑證, SPEC §2 [ID 1]): the
 * certificate chains to the CA, is valid by the platform clock, belongs to the claimed ID, its
 * key signed the challenge, and the person is known to the platform (has an NHI card).
 * Anything else is 401 AUTH_FAILED. Each try is reserved against the client address before it
 * is evaluated. Nothing here can be guessed (a failure is a certificate or signature that proves
 * nothing about the person), so no failure counts against the ID: nobody can lock a citizen
 * out of the certificate sign-in (docs/SECURITY.md "Limits on failed tries").
 */
export async function loginWithCertificate(
  input: LoginWithCertificateInput,
  deps: Deps & { citizenCa: CitizenCa },
) {
  const now = deps.clock.now();
  const nationalId = input.nationalId.toUpperCase();
  const limits = [loginAddressLimit('certificate', input.clientAddress)];
  return limitedTry(deps.sql, limits, now, async () => {
    const nonce = await takeChallenge(deps.sql, deps.vault, input.challengeId, now);
    const caCertificatePem = await deps.citizenCa.certificatePem();
    const key =
      nonce !== null && caCertificatePem
        ? await verifyCitizenCertificate({
            certificatePem: input.certificatePem,
            caCertificatePem,
            nationalId,
            now,
          })
        : null;
    const signed = key !== null && nonce !== null && verifyCertificateSignature(key, nonce, input.signature);
    if (!signed) return { ok: false, error: authFailed() };
    const person = await findPersonByNationalId(deps.sql, deps.vault, nationalId);
    if (!person?.cardNo) return { ok: false, error: authFailed() };
    const token = await deps.sql.begin((tx) =>
      openCitizenSession(tx, { personId: person.id, channel: 'web_certificate' }, now),
    );
    return { ok: true, value: { token, person: personView(person) } };
  });
}
