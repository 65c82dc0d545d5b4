import { generateDeviceKey } from './crypto';
import { saveDevice } from './device-store';
import { setSession } from './session';

/**
 * Binds this browser as an app device: a new non-extractable Ed25519 key, its public half sent
 * by `request` (phone check or device code), the key kept in IndexedDB and the app signed in.
 */
export async function bindThisDevice(
  request: (publicKeyPem: string) => Promise<{ deviceId: string | number; token: string }>,
): Promise<void> {
  const { keyPair, publicKeyPem } = await generateDeviceKey();
  const answer = await request(publicKeyPem);
  await saveDevice({ deviceId: answer.deviceId, keyPair, boundAt: new Date().toISOString() });
  setSession('app', { token: answer.token, deviceId: answer.deviceId });
}
