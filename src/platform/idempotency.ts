import { createHash } from 'node:crypto';
import { Type } from 'typebox';
import type { Tx } from './db.js';
import type { Deps } from './deps.js';
import { AppError, type errorBody } from './errors.js';
import { claimKeys, type Outcome, refusalOutcome, settleKeys } from './idempotency-batch.js';

export type { Outcome } from './idempotency-batch.js';

export interface IdempotencyRequest {
  /** Whose keys these are, e.g. `pharmacy:5901010101` or `store:17`: keys never collide across partners. */
  scope: string;
  /** The `Idempotency-Key` header; undefined runs the action once without recording it. */
  key: string | undefined;
  /** `fingerprintOf(…)` of the request: the same key with a different request is refused. */
  fingerprint: string;
}

/** Longest key accepted (header value); longer keys are a validation failure, never a 500. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

/** JSON with object keys sorted, so that `{a,b}` and `{b,a}` fingerprint the same. */
function canonical(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

/** A stable fingerprint of a request: sha256 over the canonical JSON of the given parts. */
export function fingerprintOf(...parts: unknown[]): string {
  return createHash('sha256').update(canonical(parts)).digest('base64url');
}

/** Route schema of the header, for validation and the OpenAPI document. */
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: MAX_IDEMPOTENCY_KEY_LENGTH,
      description:
        'A retry with the same key returns the first answer (status and body) and changes nothing.',
    }),
  ),
});

/** Validates an `Idempotency-Key` header value (absent is fine; empty or oversized is not). */
export function idempotencyKeyOf(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return undefined;
  if (value.length === 0 || value.length > MAX_IDEMPOTENCY_KEY_LENGTH || !/^[\x21-\x7e]+$/.test(value)) {
    throw new AppError(
      'VALIDATION_FAILED',
      `Idempotency-Key must be 1–${MAX_IDEMPOTENCY_KEY_LENGTH} visible ASCII characters.`,
      { fields: [{ field: 'headers/idempotency-key' }] },
    );
  }
  return value;
}

/**
 * Runs `act` in one transaction and records its outcome under (scope, key) in that same
 * transaction (API.md "Conventions": a retry returns the first outcome and does nothing twice).
 * The one-request form of idempotency-batch.ts (`claimKeys`, `settleKeys`): the same statements.
 *
 * - First call: claims the key (insert), runs `act`, stores `{status, body}`, commits together.
 * - Retry after commit: returns the stored outcome; `act` does not run. `replayed` is true.
 * - Concurrent duplicate: its insert waits on the primary key until the first transaction ends;
 *   then it replays (first committed) or acts itself (first rolled back). Never both act.
 * - Same key, different fingerprint: 409 IDEMPOTENCY_KEY_REUSED, nothing done.
 * - `act` throws: everything rolls back, nothing is recorded, the error propagates; a retry
 *   runs afresh. Use `refusalsAsOutcome` inside `act` for refusals that must be recorded
 *   (and whose side effects before the refusal, e.g. a used-up challenge, must commit).
 * - No key: runs `act` in a transaction without recording anything.
 */
export async function withIdempotency<B>(
  deps: Pick<Deps, 'sql' | 'clock'>,
  request: IdempotencyRequest,
  act: (tx: Tx) => Promise<Outcome<B>>,
): Promise<Outcome<B> & { replayed: boolean }> {
  const { scope, key, fingerprint } = request;
  if (key === undefined) {
    const outcome = await deps.sql.begin((tx) => act(tx));
    return { ...(outcome as Outcome<B>), replayed: false };
  }
  const now = deps.clock.now();
  const result = await deps.sql.begin(async (tx) => {
    const [claim] = await claimKeys<B>(tx, [{ scope, key, fingerprint, now }]);
    if (claim?.kind === 'reused') throw claim.error;
    if (claim?.kind === 'replay') return { ...claim.outcome, replayed: true };
    if (claim?.kind !== 'claimed') {
      // Unreachable under READ COMMITTED (the conflicting insert waited for the other commit).
      throw new AppError('CONFLICT', 'A request with this Idempotency-Key is still in progress.');
    }
    const outcome = await act(tx);
    await settleKeys(tx, [{ scope, key, status: outcome.status, body: outcome.body }]);
    return { ...outcome, replayed: false };
  });
  return result as Outcome<B> & { replayed: boolean };
}

/**
 * Runs `act` inside a savepoint: an `AppError` refusal (4xx) rolls back what `act` wrote and
 * becomes an outcome `{status, body: {error}}`, so the enclosing transaction still commits
 * what came before (e.g. a used-up challenge) and `withIdempotency` records the refusal.
 * Other errors propagate and roll everything back.
 */
export async function refusalsAsOutcome<B>(
  tx: Tx,
  act: (sp: Tx) => Promise<Outcome<B>>,
): Promise<Outcome<B | ReturnType<typeof errorBody>>> {
  try {
    return (await tx.savepoint((sp) => act(sp))) as Outcome<B>;
  } catch (error) {
    if (error instanceof AppError && error.status < 500) return refusalOutcome(error);
    throw error;
  }
}

/** The part of a Fastify reply `sendOutcome` uses (any status, any body). */
export interface OutcomeReply {
  code(statusCode: number): OutcomeReply;
  header(name: string, value: string): OutcomeReply;
  send(payload?: unknown): OutcomeReply;
}

/**
 * Sends an outcome as it was first answered; a replay carries `Idempotent-Replayed: true`.
 * Refusal outcomes already have the `{error: {code, message, …}}` shape of the error handler.
 */
export function sendOutcome<R extends OutcomeReply>(reply: R, outcome: Outcome & { replayed: boolean }): R {
  if (outcome.replayed) reply.header('idempotent-replayed', 'true');
  reply.code(outcome.status).send(outcome.body);
  return reply;
}
