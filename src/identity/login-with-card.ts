import type { Deps } from '../platform/deps.js';
import { hashPassword, verifyPassword } from '../platform/secrets.js';
import { provenCard } from './card-possession.js';
import { findPersonById, registrationHash } from './identity.repo.js';
import { assertLoginAllowed, failedAttempt, loginLimits, personView } from './login-limits.js';
import { openCitizenSession } from './sessions.js';

export interface LoginWithCardInput {
  cardNo: string;
  challengeId: string;
  signature: string;
  password: string;
  clientAddress: string;
}

// A hash of a password nobody has: an unregistered card costs as much as a wrong password.
let decoyHash: Promise<string> | undefined;

/**
 * eMask web sign-in with the NHI card in a reader and the registration password (SPEC §2,
 * [ID 1, 5]). Bad signature, wrong password, unregistered or revoked card: 401 AUTH_FAILED,
 * counted per card and per client address (429 once a limit is reached).
 */
export async function loginWithCard(input: LoginWithCardInput, deps: Deps) {
  const now = deps.clock.now();
  const limits = loginLimits('card', input.cardNo, input.clientAddress);
  await assertLoginAllowed(deps.sql, limits, now);
  const card = await provenCard(deps.sql, deps.vault, input, now);
  if (!card) throw await failedAttempt(deps.sql, limits, now);
  const stored = await registrationHash(deps.sql, card.cardNo);
  decoyHash ??= hashPassword('decoy-password-that-never-matches');
  const passwordOk = await verifyPassword(input.password, stored ?? (await decoyHash));
  const person = await findPersonById(deps.sql, deps.vault, card.personId);
  if (!stored || !passwordOk || !person) throw await failedAttempt(deps.sql, limits, now);
  const token = await deps.sql.begin((tx) =>
    openCitizenSession(tx, { personId: person.id, channel: 'web_card' }, now),
  );
  return { token, person: personView(person) };
}
