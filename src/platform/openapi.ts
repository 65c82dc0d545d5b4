import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { App } from './app-type.js';

/**
 * The OpenAPI document, generated from the route schemas, and the Swagger UI at /docs.
 * Registered before any route: @fastify/swagger collects the routes as they are added.
 */
export async function registerOpenApi(app: App): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Name-based rationing platform (口罩實名制 2.0)',
        description: 'The HTTP contract of ../shared/API.md, generated from the route schemas.',
        version: '1',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      },
    },
  });
  // No validator badge: it would load an image from validator.swagger.io, which the CSP forbids.
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { validatorUrl: null } });
}
