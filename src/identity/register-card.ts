import { writeAudit } from '../platform/audit.js';
import type { Deps } from '../platform/deps.js';
import { hashPassword } from '../platform/secrets.js';
import { toTaipeiIso } from '../rules/taipei-date.js';
import { provenCard } from './card-possession.js';
import { saveRegistration } from './identity.repo.js';
import { assertLoginAllowed, failedAttempt, loginLimits } from './login-limits.js';

export interface RegisterCardInput {
  cardNo: string;
  challengeId: string;
  signature: string;
  password: string;
  clientAddress: string;
}

/**
 * NHI online-service registration (健保卡網路服務註冊, SPEC §2, [ID 1, 5, 9]): the card signs a
 * challenge and the person sets a registration password. Registering again sets a new one:
 * that is how a forgotten password is recovered [ID 3].
 */
export async function registerCard(
  input: RegisterCardInput,
  deps: Deps,
): Promise<{ cardNo: string; registeredAt: string }> {
  const now = deps.clock.now();
  const limits = loginLimits('card', input.cardNo, input.clientAddress);
  await assertLoginAllowed(deps.sql, limits, now);
  const card = await provenCard(deps.sql, deps.vault, input, now);
  if (!card) throw await failedAttempt(deps.sql, limits, now);
  const passwordHash = await hashPassword(input.password);
  await deps.sql.begin(async (tx) => {
    await saveRegistration(tx, card.cardNo, passwordHash, now);
    await writeAudit(
      tx,
      {
        actorKind: 'citizen',
        actorId: `person:${card.personId}`,
        action: 'card.register',
        subject: `card:${card.cardNo}`,
      },
      now,
    );
  });
  return { cardNo: card.cardNo, registeredAt: toTaipeiIso(now) };
}
