import { writeAudit } from '../platform/audit.js';
import { createSession } from '../platform/auth.js';
import type { Sql } from '../platform/db.js';
import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { bucket, type Limit, limitedTry } from '../platform/rate-limit.js';
import { hashPassword, verifyPassword } from '../platform/secrets.js';
import { adminExists, adminPasswordHash, insertAdmin } from './admins.repo.js';

/** API.md: ADMIN_PASSWORD sets the password of the operator account `admin` at first start. */
export async function ensureAdminAccount(sql: Sql, password: string, now: Date): Promise<void> {
  if (await adminExists(sql, 'admin')) return;
  await insertAdmin(sql, 'admin', await hashPassword(password), now);
}

/** API.md v1.1: at most 10 failed operator sign-ins in 15 minutes per username and address. */
export const OPERATOR_LOGIN_LIMIT = { max: 10, windowMs: 15 * 60 * 1000 } as const;

function operatorLoginLimits(username: string, address: string): Limit[] {
  return [{ bucket: bucket('operator-login', `${username}\u0000${address}`), ...OPERATOR_LOGIN_LIMIT }];
}

// Hash of a password nobody has, so that an unknown user costs as much as a wrong password.
let decoyHash: Promise<string> | undefined;

/**
 * Operator sign-in. Each try is reserved against the username and the client address before the
 * password is checked (API.md v1.1: 429 with Retry-After after at most 10 failures in 15 minutes),
 * so neither a slow nor a racing guesser gets more than 10 passwords tried per window. Per
 * username *and* address: a guesser elsewhere cannot lock the operators out (docs/SECURITY.md).
 */
export async function loginAdmin(
  input: { username: string; password: string; clientAddress: string },
  deps: Deps,
): Promise<string> {
  const now = deps.clock.now();
  return limitedTry(deps.sql, operatorLoginLimits(input.username, input.clientAddress), now, async () => {
    const stored = await adminPasswordHash(deps.sql, input.username);
    decoyHash ??= hashPassword('decoy-password-that-never-matches');
    const ok = await verifyPassword(input.password, stored ?? (await decoyHash));
    if (stored === undefined || !ok) {
      return { ok: false, error: new AppError('BAD_CREDENTIALS', 'Wrong username or password.') };
    }
    const token = await deps.sql.begin(async (tx) => {
      const session = await createSession(tx, { kind: 'admin', adminUsername: input.username }, now);
      await writeAudit(tx, { actorKind: 'admin', actorId: input.username, action: 'admin.login' }, now);
      return session;
    });
    return { ok: true, value: token };
  });
}
