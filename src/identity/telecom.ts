import { AppError } from '../platform/errors.js';

/** The five major carriers of [ID 5.2 item 8], plus MVNOs (二類電信) and anything else. */
export const CARRIERS = ['CHT', 'FET', 'TWM', 'TSTAR', 'APTG', 'MVNO', 'OTHER'] as const;
export type Carrier = (typeof CARRIERS)[number];
export const PLANS = ['monthly', 'prepaid', 'parent_child', 'corporate'] as const;
export type Plan = (typeof PLANS)[number];
export const LINE_STATUSES = ['active', 'suspended', 'arrears'] as const;
export type LineStatus = (typeof LINE_STATUSES)[number];

/** What a telecom tells us about a mobile number (API.md "Simulation", telecom subscribers). */
export interface Subscriber {
  phone: string;
  carrier: Carrier;
  plan: Plan;
  /** The ID the line is registered to: a national ID, an ARC number, a company number… */
  ownerId: string;
  status: LineStatus;
  mobileData: boolean;
}

/**
 * The telecom partner of the phone check (SPEC §2, [ID 12]): the carrier confirms who holds the
 * number; no SMS code is involved. `null` means the number is not known. Which one is used
 * (HttpTelecomAdapter, the simulator, unconfiguredTelecom) is chosen by the composition root
 * (src/adapters.ts).
 */
export interface TelecomAdapter {
  lookupSubscriber(phone: string): Promise<Subscriber | null>;
}

const unavailable = (why: string) =>
  new AppError(
    'SERVICE_UNAVAILABLE',
    `The telecom check is not available right now (${why}). Try again later.`,
  );

function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (list as readonly string[]).includes(value);
}

/** Accepts the gateway's JSON only if it has exactly the shape we rely on. */
export function parseSubscriber(phone: string, body: unknown): Subscriber | null {
  if (typeof body !== 'object' || body === null) return null;
  const b = body as Record<string, unknown>;
  if (
    !isOneOf(CARRIERS, b.carrier) ||
    !isOneOf(PLANS, b.plan) ||
    !isOneOf(LINE_STATUSES, b.status) ||
    typeof b.ownerId !== 'string' ||
    typeof b.mobileData !== 'boolean'
  ) {
    return null;
  }
  return {
    phone,
    carrier: b.carrier,
    plan: b.plan,
    ownerId: b.ownerId.toUpperCase(),
    status: b.status,
    mobileData: b.mobileData,
  };
}

export interface HttpTelecomOptions {
  apiKey?: string | undefined;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * A real telecom gateway over HTTP: `GET {TELECOM_API_URL}/subscribers/{phone}` answers 200 with
 * `{carrier, plan, ownerId, status, mobileData}` (the simulator's fields) or 404 for an unknown
 * number. Anything else, a timeout or a malformed answer is 503 SERVICE_UNAVAILABLE, never a
 * refusal: a gateway failure must not tell a person their number is not theirs.
 */
export class HttpTelecomAdapter implements TelecomAdapter {
  private readonly base: URL;
  private readonly apiKey: string | undefined;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(baseUrl: string, options: HttpTelecomOptions = {}) {
    const base = new URL(baseUrl);
    if (base.protocol !== 'https:' && base.protocol !== 'http:') {
      throw new Error('TELECOM_API_URL must be an http(s) URL');
    }
    if (!base.pathname.endsWith('/')) base.pathname = `${base.pathname}/`;
    this.base = base;
    this.apiKey = options.apiKey;
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.fetchImpl = options.fetch ?? fetch;
  }

  async lookupSubscriber(phone: string): Promise<Subscriber | null> {
    const url = new URL(`subscribers/${encodeURIComponent(phone)}`, this.base);
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        headers: {
          accept: 'application/json',
          ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}),
        },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch {
      throw unavailable('no answer');
    }
    if (response.status === 404) return null;
    if (!response.ok) throw unavailable(`status ${response.status}`);
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      throw unavailable('malformed answer');
    }
    const subscriber = parseSubscriber(phone, body);
    if (!subscriber) throw unavailable('malformed answer');
    return subscriber;
  }
}

/** Without TELECOM_API_URL (and the simulators off) the phone check answers 503. */
export function unconfiguredTelecom(): TelecomAdapter {
  return {
    lookupSubscriber: async () => {
      throw unavailable('TELECOM_API_URL is not set');
    },
  };
}
