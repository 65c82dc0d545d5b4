import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';
import pino from 'pino';

/** Stand-in until the HTTP layer's logger exists (and for scripts). */
export const silentLogger: FastifyBaseLogger = pino({ level: 'silent' });

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    // Personal data never reaches the log: only method, route and status of a request.
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
    serializers: {
      req: (req: { method: string; routeOptions?: { url?: string }; url: string; id: string }) => ({
        method: req.method,
        route: req.routeOptions?.url ?? 'unmatched',
        id: req.id,
      }),
    },
  };
}
