import { adminRoutes } from './admin/admin.routes.js';
import { airportRoutes } from './airport/airport.routes.js';
import { demoRoutes } from './demo/demo.routes.js';
import { drawRoutes } from './draw/draw.routes.js';
import { healthRoutes } from './health/health.routes.js';
import { identityRoutes } from './identity/identity.routes.js';
import { notificationsRoutes } from './notifications/notifications.routes.js';
import { verificationRoutes } from './notifications/verification.routes.js';
import { openDataRoutes } from './opendata/opendata.routes.js';
import { ordersRoutes } from './orders/orders.routes.js';
import { partnersRoutes } from './partners/partners.routes.js';
import { paymentsRoutes } from './payments/payments.routes.js';
import { pharmacyRoutes } from './pharmacies/pharmacies.routes.js';
import { pickupRoutes } from './pickup/pickup.routes.js';
import type { App } from './platform/app.js';
import type { Deps } from './platform/deps.js';
import { installNoStore } from './platform/no-store.js';
import { purchasesRoutes } from './purchases/purchases.routes.js';
import { roundsRoutes } from './rounds/rounds.routes.js';
import { simBankRoutes } from './sim/bank.routes.js';
import { simClockRoutes } from './sim/clock.routes.js';
import { identitySimRoutes } from './sim/identity-sim.routes.js';
import { statsRoutes } from './stats/stats.routes.js';
import { storesRoutes } from './stores/stores.routes.js';
import { webRoutes } from './web/web.routes.js';

/** Every capability's routes, in one list. */
export async function registerRoutes(app: App, deps: Deps): Promise<void> {
  // Before any route: answers carrying personal data or secrets get Cache-Control: no-store.
  installNoStore(app);
  await healthRoutes(app, deps);
  await simClockRoutes(app, deps);
  await adminRoutes(app, deps);
  await partnersRoutes(app, deps);
  await identityRoutes(app, deps);
  await identitySimRoutes(app, deps);
  await roundsRoutes(app, deps);
  await storesRoutes(app, deps);
  await ordersRoutes(app, deps);
  await drawRoutes(app, deps);
  await demoRoutes(app, deps);
  await notificationsRoutes(app, deps);
  await verificationRoutes(app, deps);
  await paymentsRoutes(app, deps);
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
