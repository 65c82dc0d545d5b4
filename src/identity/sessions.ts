import { writeAudit } from '../platform/audit.js';
import { type Channel, createSession } from '../platform/auth.js';
import type { Db } from '../platform/db.js';

/** A citizen session and its audit row, in the caller's transaction. */
export async function openCitizenSession(
  db: Db,
  session: { personId: number; channel: Channel; deviceId?: number | undefined },
  now: Date,
): Promise<string> {
  const token = await createSession(
    db,
    {
      kind: 'citizen',
      personId: session.personId,
      channel: session.channel,
      ...(session.deviceId !== undefined ? { deviceId: session.deviceId } : {}),
    },
    now,
  );
  await writeAudit(
    db,
    {
      actorKind: 'citizen',
      actorId: `person:${session.personId}`,
      action: 'citizen.login',
      subject: session.deviceId !== undefined ? `device:${session.deviceId}` : `person:${session.personId}`,
      details: { channel: session.channel },
    },
    now,
  );
  return token;
}
