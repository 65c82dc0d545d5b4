import type { Db } from '../platform/db.js';

export async function adminExists(db: Db, username: string): Promise<boolean> {
  const rows = await db`select 1 from admins where username = ${username}`;
  return rows.length > 0;
}

/** The stored password hash of an operator, or undefined for an unknown username. */
export async function adminPasswordHash(db: Db, username: string): Promise<string | undefined> {
  const rows = await db<{ password_hash: string }[]>`
    select password_hash from admins where username = ${username}`;
  return rows[0]?.password_hash;
}

/** Creates an operator account; one of that username existing already is kept. */
export async function insertAdmin(db: Db, username: string, passwordHash: string, now: Date): Promise<void> {
  await db`insert into admins (username, password_hash, created_at) values (${username}, ${passwordHash}, ${now})
    on conflict (username) do nothing`;
}
