import type { App } from '../platform/app-type.js';
import { adminOf, bearer, citizenOf, requireAdmin, requireCitizen, WEB_CHANNELS } from '../platform/auth.js';
import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { FloodLimit } from '../platform/flood-limit.js';
import { noStore } from '../platform/no-store.js';
import { toTaipeiIso } from '../rules/taipei-date.js';
import { authenticatePhone } from './authenticate-phone.js';
import { bindDevice } from './bind-device.js';
import { createChallenge } from './challenges.js';
import { createDeviceCode } from './create-device-code.js';
import { findPersonById } from './identity.repo.js';
import {
  BindDeviceBody,
  BoundDeviceView,
  CardLoginBody,
  CardRegisterBody,
  CardRegisteredView,
  CertificateLoginBody,
  ChallengeView,
  CounterRegistrationBody,
  CounterRegistrationView,
  DeviceCodeView,
  DeviceLoginBody,
  DeviceLoginView,
  LoginView,
  PhoneAuthBody,
  SessionView,
} from './identity.schemas.js';
import { personView } from './login-limits.js';
import { loginWithCard } from './login-with-card.js';
import { type CitizenCa, loginWithCertificate } from './login-with-certificate.js';
import { loginWithDevice } from './login-with-device.js';
import { logout } from './logout.js';
import { registerAtCounter } from './register-at-counter.js';
import { registerCard } from './register-card.js';
import type { TelecomAdapter } from './telecom.js';

/** The partners identity asks (chosen by the composition root, src/adapters.ts). */
export interface IdentityAdapters {
  telecom: TelecomAdapter;
  citizenCa: CitizenCa;
}

/** Every way a person proves who they are (SPEC §2, docs/IDENTITY.md). */
export async function identityRoutes(app: App, deps: Deps, adapters: IdentityAdapters): Promise<void> {
  const tags = ['identity'];
  const security = [{ bearer: [] }];
  const withTelecom = { ...deps, telecom: adapters.telecom };
  const withCitizenCa = { ...deps, citizenCa: adapters.citizenCa };

  // Generous, per client address: every pharmacy sale and sign-in needs one (docs/SECURITY.md).
  const challengeLimit = new FloodLimit(deps.config.challengeRateLimit);
  app.post(
    '/api/v1/auth/challenges',
    { schema: { tags, response: { 201: ChallengeView } } },
    async (request, reply) => {
      challengeLimit.hit(request.ip);
      const c = createChallenge(deps.vault, deps.clock.now());
      return reply
        .status(201)
        .send({ challengeId: c.challengeId, nonce: c.nonce, expiresAt: toTaipeiIso(c.expiresAt) });
    },
  );

  app.post(
    '/api/v1/auth/nhi-card/register',
    {
      ...noStore,
      schema: {
        tags,
        description:
          'Registration with the card in the reader (it signs the challenge) and a password; again sets a new password. A bad signature or unknown card is 401 AUTH_FAILED and counts against the client address only (50 per 10 minutes, then 429).',
        body: CardRegisterBody,
        response: { 201: CardRegisteredView },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await registerCard({ ...request.body, clientAddress: request.ip }, deps)),
  );

  app.post(
    '/api/v1/auth/nhi-card/login',
    {
      ...noStore,
      schema: {
        tags,
        description:
          'Sign-in with the card in the reader and the registration password. Failures are 401 AUTH_FAILED. Every try is reserved against the client address (50 failures per 10 minutes); once the card’s signature proves it present, also against the card (5 wrong passwords per 15 minutes). Beyond either: 429 TOO_MANY_REQUESTS with Retry-After. A bad signature never counts against the card.',
        body: CardLoginBody,
        response: { 200: LoginView },
      },
    },
    async (request) => loginWithCard({ ...request.body, clientAddress: request.ip }, deps),
  );

  app.post(
    '/api/v1/auth/certificate/login',
    {
      ...noStore,
      schema: {
        tags,
        description:
          'Sign-in with the Citizen Digital Certificate. Failures are 401 AUTH_FAILED, counted against the client address only (50 per 10 minutes, then 429 with Retry-After).',
        body: CertificateLoginBody,
        response: { 200: LoginView },
      },
    },
    async (request) => loginWithCertificate({ ...request.body, clientAddress: request.ip }, withCitizenCa),
  );

  app.post(
    '/api/v1/auth/phone',
    {
      ...noStore,
      schema: {
        tags,
        description:
          'Phone check with the own number. The national ID and the card’s last 4 digits are checked against the card holder first: a mismatch is 403 IDENTITY_MISMATCH, and only a caller who passed learns anything about the number (the PHONE_* codes). At most 5 mismatches per ID in 15 minutes and 50 failures per client address in 10 minutes; tries are reserved before they are evaluated, so racing does not help; beyond: 429 TOO_MANY_REQUESTS with Retry-After.',
        body: PhoneAuthBody,
        response: { 201: BoundDeviceView },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await authenticatePhone({ ...request.body, clientAddress: request.ip }, withTelecom)),
  );

  app.post(
    '/api/v1/devices/codes',
    {
      ...noStore,
      schema: { tags, security, response: { 201: DeviceCodeView } },
      preHandler: requireCitizen(deps, WEB_CHANNELS),
    },
    async (request, reply) =>
      reply.status(201).send(await createDeviceCode({ personId: citizenOf(request).personId }, deps)),
  );

  app.post(
    '/api/v1/devices/bind',
    {
      ...noStore,
      schema: {
        tags,
        description:
          'Binds the phone’s key with a live device code. Expired, used and unknown codes all answer 410 DEVICE_CODE_EXPIRED. At most 10 failed codes per client address in 10 minutes (reserved before they are checked), then 429 TOO_MANY_REQUESTS with Retry-After.',
        body: BindDeviceBody,
        response: { 201: BoundDeviceView },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await bindDevice({ ...request.body, clientAddress: request.ip }, deps)),
  );

  app.post(
    '/api/v1/auth/device/login',
    {
      ...noStore,
      schema: {
        tags,
        description:
          'Sign-in of a bound device: its key signs a challenge. Failures are 401 AUTH_FAILED, counted against the client address only (50 per 10 minutes, then 429 with Retry-After).',
        body: DeviceLoginBody,
        response: { 200: DeviceLoginView },
      },
    },
    async (request) => loginWithDevice({ ...request.body, clientAddress: request.ip }, deps),
  );

  app.post(
    '/api/v1/auth/logout',
    { schema: { tags, security, description: 'Revokes the bearer token; 204, or 401 when it is not live.' } },
    async (request, reply) => {
      await logout({ token: bearer(request) }, deps);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/auth/session',
    {
      ...noStore,
      schema: { tags, security, response: { 200: SessionView } },
      preHandler: requireCitizen(deps),
    },
    async (request) => {
      const citizen = citizenOf(request);
      const person = await findPersonById(deps.sql, deps.vault, citizen.personId);
      if (!person) throw new AppError('UNAUTHORIZED', 'Sign in first.');
      return { channel: citizen.channel, deviceId: citizen.deviceId, person: personView(person) };
    },
  );

  app.post(
    '/api/v1/admin/counter-registrations',
    {
      ...noStore,
      schema: {
        tags: ['operators'],
        security,
        body: CounterRegistrationBody,
        response: { 201: CounterRegistrationView },
      },
      preHandler: requireAdmin(deps),
    },
    async (request, reply) =>
      reply.status(201).send(await registerAtCounter(request.body, deps, adminOf(request).username)),
  );
}
