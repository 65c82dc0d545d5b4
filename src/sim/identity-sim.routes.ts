import { Type } from 'typebox';
import { CARRIERS, LINE_STATUSES, PLANS } from '../identity/telecom.js';
import type { App } from '../platform/app-type.js';
import type { Deps } from '../platform/deps.js';
import { noStore } from '../platform/no-store.js';
import { DEFAULT_VALID_DAYS, issueCitizenCertificate } from './moica.js';
import { addSubscriber } from './telecom.repo.js';

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

const SubscriberBody = Type.Object({
  phone: Type.String({ pattern: '^09[0-9]{8}$' }),
  carrier: literals(CARRIERS),
  plan: literals(PLANS),
  ownerId: Type.String({ minLength: 1, maxLength: 20 }),
  status: literals(LINE_STATUSES),
  mobileData: Type.Boolean(),
});
const SubscriberView = Type.Object({
  phone: Type.String(),
  carrier: Type.String(),
  plan: Type.String(),
  ownerId: Type.String(),
  status: Type.String(),
  mobileData: Type.Boolean(),
});

const CertificateBody = Type.Object({
  nationalId: Type.String({ minLength: 10, maxLength: 10 }),
  keyAlgorithm: Type.Optional(
    Type.Union([Type.Literal('Ed25519'), Type.Literal('ECDSA-P256')], {
      description: 'key of the certificate holder; Ed25519 unless asked',
    }),
  ),
  validDays: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 3650, description: `default ${DEFAULT_VALID_DAYS} days` }),
  ),
});
const CertificateView = Type.Object({
  certificatePem: Type.String(),
  privateKeyPem: Type.String({ description: 'PKCS#8 PEM, handed out once' }),
  serialNumber: Type.String(),
  notBefore: Type.String(),
  notAfter: Type.String(),
});

/**
 * Partner simulators of identity (API.md "Simulation"): the telecom's subscriber book and the
 * Citizen Digital Certificate CA. Registered only with SIMULATORS=on; otherwise these paths are
 * 404 UNKNOWN_ROUTE like any other unknown path.
 */
export async function identitySimRoutes(app: App, deps: Deps): Promise<void> {
  if (!deps.config.simulators) return;
  const tags = ['simulation'];

  app.post(
    '/api/v1/sim/telecom/subscribers',
    { schema: { tags, body: SubscriberBody, response: { 201: SubscriberView } } },
    async (request, reply) => {
      const subscriber = { ...request.body, ownerId: request.body.ownerId.toUpperCase() };
      await addSubscriber(deps.sql, subscriber, deps.clock.now());
      return reply.status(201).send(subscriber);
    },
  );

  app.post(
    '/api/v1/sim/moica/certificates',
    { ...noStore, schema: { tags, body: CertificateBody, response: { 201: CertificateView } } },
    async (request, reply) => reply.status(201).send(await issueCitizenCertificate(request.body, deps)),
  );
}
