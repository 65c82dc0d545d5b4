import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';

/** Stand-in until the HTTP layer's logger exists (and for scripts). */
export const silentLogger: FastifyBaseLogger = pino({ level: 'silent' });
