import type { Db } from './db.js';

export type ActorKind = 'admin' | 'pharmacy' | 'store' | 'airport' | 'citizen' | 'system' | 'bank';

export interface AuditEntry {
  actorKind: ActorKind;
  actorId: string;
  action: string;
  subject?: string;
  /** Never a national ID, name, phone or e-mail: the audit log is read by operators. */
  details?: Record<string, unknown>;
}

export async function writeAudit(db: Db, entry: AuditEntry, at: Date): Promise<void> {
  await db`
    insert into audit_log (at, actor_kind, actor_id, action, subject, details)
    values (${at}, ${entry.actorKind}, ${entry.actorId}, ${entry.action}, ${entry.subject ?? null},
            ${db.json((entry.details ?? {}) as Parameters<typeof db.json>[0])})`;
}
