import type { Deps } from '../platform/deps.js';
import { loadCa } from '../sim/moica.repo.js';
import { verifyCertificateSignature, verifyCitizenCertificate } from './certificates.js';
import { takeChallenge } from './challenges.js';
import { findPersonByNationalId } from './identity.repo.js';
import { assertLoginAllowed, failedAttempt, loginLimits, personView } from './login-limits.js';
import { openCitizenSession } from './sessions.js';

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
 * Anything else is 401 AUTH_FAILED, counted per ID and per client address.
 */
export async function loginWithCertificate(input: LoginWithCertificateInput, deps: Deps) {
  const now = deps.clock.now();
  const nationalId = input.nationalId.toUpperCase();
  const limits = loginLimits(
    'certificate',
    deps.vault.indexHex('national_id', nationalId),
    input.clientAddress,
  );
  await assertLoginAllowed(deps.sql, limits, now);
  const nonce = await takeChallenge(deps.sql, deps.vault, input.challengeId, now);
  const ca = await loadCa(deps.sql);
  const key =
    nonce !== null && ca
      ? await verifyCitizenCertificate({
          certificatePem: input.certificatePem,
          caCertificatePem: ca.certificatePem,
          nationalId,
          now,
        })
      : null;
  const signed = key !== null && nonce !== null && verifyCertificateSignature(key, nonce, input.signature);
  const person = signed ? await findPersonByNationalId(deps.sql, deps.vault, nationalId) : undefined;
  if (!person?.cardNo) throw await failedAttempt(deps.sql, limits, now);
  const token = await deps.sql.begin((tx) =>
    openCitizenSession(tx, { personId: person.id, channel: 'web_certificate' }, now),
  );
  return { token, person: personView(person) };
}
