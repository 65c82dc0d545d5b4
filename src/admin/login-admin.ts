import { writeAudit } from '../platform/audit.js';
import { createSession } from '../platform/auth.js';
import type { Sql } from '../platform/db.js';
import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { hashPassword, verifyPassword } from '../platform/secrets.js';

/** API.md: ADMIN_PASSWORD sets the password of the operator account `admin` at first start. */
export async function ensureAdminAccount(sql: Sql, password: string, now: Date): Promise<void> {
  const existing = await sql`select 1 from admins where username = 'admin'`;
  if (existing.length > 0) return;
  const hash = await hashPassword(password);
  await sql`insert into admins (username, password_hash, created_at) values ('admin', ${hash}, ${now})
    on conflict (username) do nothing`;
}

// Hash of a password nobody has, so that an unknown user costs as much as a wrong password.
let decoyHash: Promise<string> | undefined;

export async function loginAdmin(input: { username: string; password: string }, deps: Deps): Promise<string> {
  const rows = await deps.sql<{ password_hash: string }[]>`
    select password_hash from admins where username = ${input.username}`;
  decoyHash ??= hashPassword('decoy-password-that-never-matches');
  const ok = await verifyPassword(input.password, rows[0]?.password_hash ?? (await decoyHash));
  if (!rows[0] || !ok) throw new AppError('BAD_CREDENTIALS', 'Wrong username or password.');
  const now = deps.clock.now();
  return deps.sql.begin(async (tx) => {
    const token = await createSession(tx, { kind: 'admin', adminUsername: input.username }, now);
    await writeAudit(tx, { actorKind: 'admin', actorId: input.username, action: 'admin.login' }, now);
    return token;
  });
}
