import { writeAudit } from '../platform/audit.js';
import type { Deps } from '../platform/deps.js';
import { limitedTry } from '../platform/rate-limit.js';
import { hashPassword } from '../platform/secrets.js';
import { toTaipeiIso } from '../rules/taipei-date.js';
import { provenCard } from './card-possession.js';
import { saveRegistration } from './identity.repo.js';
import { authFailed, loginLimits } from './login-limits.js';

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
 * that is how a forgotten password is recovered [ID 3]. Only a bad signature or an unknown card
 * fails, and it proves nothing about the card holder: it counts against the client address
 * alone (each try reserved first, as every sign-in: src/identity/login-limits.ts).
 */
export async function registerCard(
  input: RegisterCardInput,
  deps: Deps,
): Promise<{ cardNo: string; registeredAt: string }> {
  const now = deps.clock.now();
  const limits = loginLimits('card', input.cardNo, input.clientAddress);
  const card = await limitedTry(deps.sql, [limits.address], now, async () => {
    const proven = await provenCard(deps.sql, deps.vault, input, now);
    return proven ? { ok: true, value: proven } : { ok: false, error: authFailed() };
  });
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
