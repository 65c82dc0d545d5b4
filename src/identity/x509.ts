// @peculiar/x509 2.x needs the reflect-metadata polyfill loaded before it.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

// WebCrypto of Node itself; Ed25519 and ECDSA P-256 keys are both supported there.
x509.cryptoProvider.set(globalThis.crypto);

export { x509 };
