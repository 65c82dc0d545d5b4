import type { Adapters } from './adapters.js';
import { adminRoutes } from './admin/admin.routes.js';
import { airportRoutes } from './airport/airport.routes.js';
import { demoRoutes } from './demo/demo.routes.js';
import { drawRoutes } from './draw/draw.routes.js';
import { healthRoutes } from './health/health.routes.js';
import { identityRoutes } from './identity/identity.routes.js';
import type { Notifications } from './notifications/start-notifications.js';
import { verificationRoutes } from './notifications/verification.routes.js';
import { openDataRoutes } from './opendata/opendata.routes.js';
import { ordersRoutes } from './orders/orders.routes.js';
import { partnersRoutes } from './partners/partners.routes.js';
import { paymentsRoutes } from './payments/payments.routes.js';
import { pharmacyRoutes } from './pharmacies/pharmacies.routes.js';
import { pickupRoutes } from './pickup/pickup.routes.js';
import type { App } from './platform/app-type.js';
import type { Deps } from './platform/deps.js';
import { installNoStore } from './platform/no-store.js';
import { purchasesRoutes } from './purchases/purchases.routes.js';
import { roundsRoutes } from './rounds/rounds.routes.js';
import { simBankRoutes } from './sim/bank.routes.js';
import { simClockRoutes } from './sim/clock.routes.js';
import { identitySimRoutes } from './sim/identity-sim.routes.js';
import { simOutboxRoutes } from './sim/outbox.routes.js';
import { statsRoutes } from './stats/stats.routes.js';
import { storesRoutes } from './stores/stores.routes.js';
import { webRoutes } from './web/web.routes.js';

/** What the composition root (src/server.ts) hands the routes besides `deps`. */
export interface RouteWiring {
  adapters: Adapters;
  /** The outbox delivery, which GET /api/v1/sim/outbox drains before it reads. */
  notifications: Notifications;
}

/** Every capability's routes, in one list; called by the composition root (src/server.ts). */
export async function registerRoutes(app: App, deps: Deps, wiring: RouteWiring): Promise<void> {
  const { adapters, notifications } = wiring;
  // Before any route: answers carrying personal data or secrets get Cache-Control: no-store.
  installNoStore(app);
  await healthRoutes(app, deps);
  await simClockRoutes(app, deps);
  await adminRoutes(app, deps);
  await partnersRoutes(app, deps);
  await identityRoutes(app, deps, adapters);
  await identitySimRoutes(app, deps);
  await roundsRoutes(app, deps);
  await storesRoutes(app, deps);
  await ordersRoutes(app, deps);
  await drawRoutes(app, deps);
  await demoRoutes(app, deps);
  await simOutboxRoutes(app, deps, notifications);
  await verificationRoutes(app, deps);
  await paymentsRoutes(app, deps, adapters);
  await simBankRoutes(app, deps);
  await pickupRoutes(app, deps);
  await pharmacyRoutes(app, deps);
  await airportRoutes(app, deps);
  await purchasesRoutes(app, deps);
  await openDataRoutes(app, deps);
  await statsRoutes(app, deps);
  // Last: the web UI's catch-all GET /* answers only the paths no API route claims.
  await webRoutes(app, deps);
}
