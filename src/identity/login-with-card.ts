import type { Deps } from '../platform/deps.js';
import { limitedTry } from '../platform/rate-limit.js';
import { hashPassword, verifyPassword } from '../platform/secrets.js';
import { provenCard } from './card-possession.js';
import { findPersonById, registrationHash } from './identity.repo.js';
import { authFailed, loginLimits, personView } from './login-limits.js';
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
 * [ID 1, 5]). Bad signature, wrong password, unregistered or revoked card: 401 AUTH_FAILED.
 * Every try is reserved against the client address before anything is checked; only once the
 * card's signature proves it present is a try reserved against the card too, for the password
 * check. So a bad signature (no card: it proves nothing about the holder) never counts against
 * the card, not even while it is being evaluated, and nobody can lock a card holder out without
 * their card (docs/SECURITY.md "Limits on failed tries").
 */
export async function loginWithCard(input: LoginWithCardInput, deps: Deps) {
  const now = deps.clock.now();
  const limits = loginLimits('card', input.cardNo, input.clientAddress);
  return limitedTry(deps.sql, [limits.address], now, async () => {
    const card = await provenCard(deps.sql, deps.vault, input, now);
    if (!card) return { ok: false, error: authFailed() };
    const value = await limitedTry(deps.sql, [limits.subject], now, async () => {
      const stored = await registrationHash(deps.sql, card.cardNo);
      decoyHash ??= hashPassword('decoy-password-that-never-matches');
      const passwordOk = await verifyPassword(input.password, stored ?? (await decoyHash));
      const person = await findPersonById(deps.sql, deps.vault, card.personId);
      if (!stored || !passwordOk || !person) return { ok: false, error: authFailed() };
      const token = await deps.sql.begin((tx) =>
        openCitizenSession(tx, { personId: person.id, channel: 'web_card' }, now),
      );
      return { ok: true, value: { token, person: personView(person) } };
    });
    return { ok: true, value };
  });
}
