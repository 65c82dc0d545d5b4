import { createHash, randomInt } from 'node:crypto';
import QRCode from 'qrcode';
import { writeAudit } from '../platform/audit.js';
import type { Deps } from '../platform/deps.js';
import { toTaipeiIso } from '../rules/taipei-date.js';
import { insertDeviceCode } from './identity.repo.js';

/** API.md: a device code lives at most 10 minutes and is single use. */
export const DEVICE_CODE_TTL_MS = 10 * 60 * 1000;
export const DEVICE_CODE_DIGITS = 8;

export function deviceCodeHash(code: string): Buffer {
  return createHash('sha256').update(`device-code\u0000${code}`).digest();
}

/**
 * Device code (裝置碼, SPEC §2 [ID 14, 5.1]): made from a web session (NHI card or certificate),
 * shown as digits and as a QR code, typed or scanned in the app to bind the phone. Only a hash
 * of the digits is stored.
 */
export async function createDeviceCode(
  input: { personId: number },
  deps: Deps,
): Promise<{ code: string; qrSvg: string; expiresAt: string }> {
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + DEVICE_CODE_TTL_MS);
  const code = await deps.sql.begin(async (tx) => {
    // A live code with the same digits (1 in 10^8 per live code) is simply drawn again.
    for (let attempt = 0; attempt < 10; attempt++) {
      const candidate = String(randomInt(10 ** DEVICE_CODE_DIGITS)).padStart(DEVICE_CODE_DIGITS, '0');
      if (
        await insertDeviceCode(
          tx,
          { hash: deviceCodeHash(candidate), personId: input.personId, expiresAt },
          now,
        )
      ) {
        await writeAudit(
          tx,
          { actorKind: 'citizen', actorId: `person:${input.personId}`, action: 'device_code.create' },
          now,
        );
        return candidate;
      }
    }
    throw new Error('no free device code after 10 draws');
  });
  const qrSvg = await QRCode.toString(code, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { code, qrSvg, expiresAt: toTaipeiIso(expiresAt) };
}
