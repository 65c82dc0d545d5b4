import { writeAudit } from '../platform/audit.js';
import { issuePartnerKey, lockPartnerKeys, type PartnerKind, revokePartnerKeys } from '../platform/auth.js';
import type { Db } from '../platform/db.js';
import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { partnerExists } from './partners.repo.js';

const UNKNOWN = {
  pharmacy: ['UNKNOWN_PHARMACY', 'pharmacy'],
  store: ['UNKNOWN_STORE', 'store'],
  airport: ['UNKNOWN_COUNTER', 'airport counter'],
} as const;

async function lockedPartner(tx: Db, kind: PartnerKind, id: string): Promise<void> {
  if (!(await partnerExists(tx, kind, id))) {
    const [code, noun] = UNKNOWN[kind];
    throw new AppError(code, `There is no ${noun} ${id}.`);
  }
  await lockPartnerKeys(tx, kind, id);
}

/**
 * A new key for a partner whose key leaked or was lost: every key it had stops working in the
 * same transaction, and the new one is shown once. Concurrent rotations run one after another, so
 * exactly one key works afterwards. Not replayable by Idempotency-Key on purpose: a replay would
 * have to keep the key; a caller who lost the answer rotates again.
 */
export async function rotatePartnerKey(
  kind: PartnerKind,
  id: string,
  deps: Deps,
  actor: string,
): Promise<{ apiKey: string; revokedKeys: number }> {
  const now = deps.clock.now();
  return deps.sql.begin(async (tx) => {
    await lockedPartner(tx, kind, id);
    const revokedKeys = await revokePartnerKeys(tx, kind, id, now);
    const apiKey = await issuePartnerKey(tx, kind, id, now);
    await writeAudit(
      tx,
      {
        actorKind: 'admin',
        actorId: actor,
        action: 'partner.key.rotate',
        subject: `${kind}:${id}`,
        details: { revokedKeys },
      },
      now,
    );
    return { apiKey, revokedKeys };
  });
}

/** Every key of the partner stops working; it can work again only with a rotated, new key. */
export async function revokePartnerKey(
  kind: PartnerKind,
  id: string,
  deps: Deps,
  actor: string,
): Promise<{ revokedKeys: number }> {
  const now = deps.clock.now();
  return deps.sql.begin(async (tx) => {
    await lockedPartner(tx, kind, id);
    const revokedKeys = await revokePartnerKeys(tx, kind, id, now);
    await writeAudit(
      tx,
      {
        actorKind: 'admin',
        actorId: actor,
        action: 'partner.key.revoke',
        subject: `${kind}:${id}`,
        details: { revokedKeys },
      },
      now,
    );
    return { revokedKeys };
  });
}
