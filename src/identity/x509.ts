// @peculiar/x509 2.x needs the reflect-metadata polyfill loaded before it: tsyringe, its dependency
// container, throws on load without Reflect.getMetadata. ES modules evaluate in import order, so this
// import stays above @peculiar/x509. Every use of @peculiar/x509 goes through this module, which is
// the one place reflect-metadata is imported.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

// WebCrypto of Node itself; Ed25519 and ECDSA P-256 keys are both supported there.
x509.cryptoProvider.set(globalThis.crypto);

export { x509 };
