import { registerAirportCounter } from '../airport/register-counter.js';
import { issueCard } from '../cards/issue-card.js';
import { registerPharmacy } from '../pharmacies/register-pharmacy.js';
import type { App } from '../platform/app-type.js';
import { adminOf, requireAdmin } from '../platform/auth.js';
import type { Deps } from '../platform/deps.js';
import { noStore } from '../platform/no-store.js';
import { createRound } from '../rounds/create-round.js';
import { roundView } from '../rounds/rounds.repo.js';
import { RoundView } from '../rounds/rounds.schemas.js';
import { registerStore } from '../stores/register-store.js';
import {
  AdminLoginBody,
  CreateCounterBody,
  CreatedPharmacyView,
  CreatedWithKeyView,
  CreatePharmacyBody,
  CreateRoundBody,
  CreateStoreBody,
  IssueCardBody,
  IssuedCardView,
  TokenView,
} from './admin.schemas.js';
import { loginAdmin } from './login-admin.js';

export async function adminRoutes(app: App, deps: Deps): Promise<void> {
  const admin = { preHandler: requireAdmin(deps) };
  const tags = ['operators'];
  const security = [{ bearer: [] }];

  app.post(
    '/api/v1/admin/login',
    {
      ...noStore,
      schema: {
        tags,
        description:
          'Operator sign-in. Wrong username or password: 401 BAD_CREDENTIALS. After 10 failures in 15 minutes for one username from one client address, every try is refused with 429 TOO_MANY_REQUESTS and Retry-After until the window passes (tries are reserved before they are checked, so racing does not help).',
        body: AdminLoginBody,
        response: { 200: TokenView },
      },
    },
    async (request) => ({ token: await loginAdmin({ ...request.body, clientAddress: request.ip }, deps) }),
  );

  app.post(
    '/api/v1/admin/cards',
    {
      ...admin,
      ...noStore,
      schema: { tags, security, body: IssueCardBody, response: { 201: IssuedCardView } },
    },
    async (request, reply) =>
      reply.status(201).send(await issueCard(request.body, deps, adminOf(request).username)),
  );

  app.post(
    '/api/v1/admin/pharmacies',
    {
      ...admin,
      ...noStore,
      schema: { tags, security, body: CreatePharmacyBody, response: { 201: CreatedPharmacyView } },
    },
    async (request, reply) =>
      reply.status(201).send(await registerPharmacy(request.body, deps, adminOf(request).username)),
  );

  app.post(
    '/api/v1/admin/stores',
    {
      ...admin,
      ...noStore,
      schema: { tags, security, body: CreateStoreBody, response: { 201: CreatedWithKeyView } },
    },
    async (request, reply) =>
      reply.status(201).send(await registerStore(request.body, deps, adminOf(request).username)),
  );

  app.post(
    '/api/v1/admin/airport-counters',
    {
      ...admin,
      ...noStore,
      schema: { tags, security, body: CreateCounterBody, response: { 201: CreatedWithKeyView } },
    },
    async (request, reply) =>
      reply.status(201).send(await registerAirportCounter(request.body, deps, adminOf(request).username)),
  );

  app.post(
    '/api/v1/admin/rounds',
    { ...admin, schema: { tags, security, body: CreateRoundBody, response: { 201: RoundView } } },
    async (request, reply) => {
      const round = await createRound(request.body, deps, adminOf(request).username);
      return reply.status(201).send(roundView(round, deps.clock.now()));
    },
  );
}
