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

/**
 * Audit rows in one statement, in the given order, each at its own time (a batch of requests that
 * arrived at different moments: src/payments/notice-batch.ts).
 */
export async function writeAudits(db: Db, entries: readonly (AuditEntry & { at: Date })[]): Promise<void> {
  if (entries.length === 0) return;
  const col = (f: (e: AuditEntry & { at: Date }) => string | null) => db.array(entries.map(f) as string[]);
  await db`
    insert into audit_log (at, actor_kind, actor_id, action, subject, details)
    select at, actor_kind, actor_id, action, subject, details
    from unnest(${col((e) => e.at.toISOString())}::text[]::timestamptz[], ${col((e) => e.actorKind)}::text[],
                ${col((e) => e.actorId)}::text[], ${col((e) => e.action)}::text[],
                ${col((e) => e.subject ?? null)}::text[], ${col((e) => JSON.stringify(e.details ?? {}))}::text[]::jsonb[])
      with ordinality as v (at, actor_kind, actor_id, action, subject, details, n)
    order by n`;
}
