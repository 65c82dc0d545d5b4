/**
 * The app's bound device (健康存摺): its id and its Ed25519 key pair live in IndexedDB. The
 * private key was generated non-extractable, so IndexedDB holds a handle the browser can sign
 * with but nobody can read out.
 */

export interface StoredDevice {
  deviceId: string | number;
  keyPair: CryptoKeyPair;
  boundAt: string;
}

const DB_NAME = 'emask-app';
const STORE = 'device';
const KEY = 'current';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore(STORE);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run<T>(mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = act(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result as T);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

export async function loadDevice(): Promise<StoredDevice | null> {
  const found = await run<StoredDevice | undefined>('readonly', (s) => s.get(KEY));
  return found ?? null;
}

export async function saveDevice(device: StoredDevice): Promise<void> {
  await run('readwrite', (s) => s.put(device, KEY));
}

export async function forgetDevice(): Promise<void> {
  await run('readwrite', (s) => s.delete(KEY));
}
