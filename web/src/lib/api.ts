/** The HTTP contract of ../shared/API.md, seen from the browser: JSON in, JSON out, typed errors. */

export interface ApiErrorBody {
  code: string;
  message: string;
  [detail: string]: unknown;
}

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, unknown>;

  constructor(status: number, body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code;
    this.details = body;
  }
}

export interface CallOptions {
  token?: string | null | undefined;
  body?: unknown;
  idempotencyKey?: string;
  signal?: AbortSignal;
  /** `no-cache` revalidates with the server (the open data may be cached for a second). */
  cache?: RequestCache;
}

async function call<T>(method: string, path: string, options: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body,
      signal: options.signal ?? null,
      ...(options.cache ? { cache: options.cache } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, { code: 'NETWORK', message: String(error) });
  }
  const text = await response.text();
  let parsed: unknown = null;
  if (text && (response.headers.get('content-type') ?? '').includes('json')) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }
  if (!response.ok) {
    const error = (parsed as { error?: ApiErrorBody } | null)?.error;
    const retryAfter = response.headers.get('retry-after');
    throw new ApiError(response.status, {
      ...(error ?? { code: `HTTP_${response.status}`, message: text.slice(0, 200) }),
      ...(retryAfter ? { retryAfter } : {}),
    });
  }
  return (parsed ?? text) as T;
}

export const api = {
  get: <T>(path: string, options?: CallOptions) => call<T>('GET', path, options),
  post: <T>(path: string, body: unknown = {}, options?: CallOptions) =>
    call<T>('POST', path, { ...options, body }),
  put: <T>(path: string, body: unknown = {}, options?: CallOptions) =>
    call<T>('PUT', path, { ...options, body }),
  delete: <T>(path: string, options?: CallOptions) => call<T>('DELETE', path, options),
};

/** Builds a query string from the defined, non-empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

// ---- Shapes of the answers (API.md), as far as the UI reads them ----

export type RoundState = 'upcoming' | 'registration' | 'drawing' | 'payment' | 'pickup' | 'closed';

export interface Round {
  id: number;
  name: string;
  registrationOpensAt: string;
  registrationClosesAt: string;
  paymentOpensAt: string;
  paymentClosesAt: string;
  pickupStartsOn: string;
  pickupEndsOn: string;
  supplyPacks: number;
  state: RoundState;
}

export interface StoreRef {
  id: number;
  chain: string;
  storeNo: string;
  name: string;
  address: string;
}

export interface Store extends StoreRef {
  city: string;
  district: string;
  open: boolean;
}

export type OrderStatus =
  | 'registered'
  | 'not_selected'
  | 'awaiting_payment'
  | 'paid'
  | 'collected'
  | 'forfeited_unpaid'
  | 'forfeited_uncollected';

export interface PaymentBank {
  code: string;
  name: string;
}

export type PaymentMethod = 'atm' | 'card';

export interface Order {
  id?: number;
  roundId: number;
  roundName?: string;
  status: OrderStatus;
  amount: number;
  virtualAccount?: string | null;
  /** The bank holding the personal account: an ATM transfer needs its code (null without an account). */
  bank?: PaymentBank | null;
  /** While awaiting payment (/me/orders): how this session may pay it; absent from older answers. */
  payableBy?: PaymentMethod[];
  paymentClosesAt?: string;
  store: StoreRef | null;
  storeId?: number;
  pickupSerial?: string | null;
  pickupStartsOn?: string;
  pickupEndsOn?: string;
  collectableFrom?: string | null;
  phone?: string;
  email?: string;
}

export interface Purchase {
  date: string;
  channel: 'pharmacy' | 'online' | 'airport';
  place: string;
  item: 'adult' | 'child';
  quantity: number;
}

export interface PurchasesView {
  purchases: Purchase[];
  nextEligibleOn: string | null;
}

export interface Challenge {
  challengeId: string;
  nonce: string;
  expiresAt: string;
}

export interface DrawResult {
  roundId: number;
  orders: number;
  selected: number;
  seed: string;
  algorithm: string;
  [more: string]: unknown;
}

export interface PharmacyFeature {
  type: 'Feature';
  geometry: { type: 'Point'; coordinates: [number, number] } | null;
  properties: {
    code: string;
    name: string;
    address: string;
    phone: string;
    adult: number;
    child: number;
    updatedAt: string | null;
  };
}

export interface PharmacyStock {
  type: 'FeatureCollection';
  features: PharmacyFeature[];
}

export function newChallenge(): Promise<Challenge> {
  return api.post<Challenge>('/api/v1/auth/challenges', {});
}

/** A random idempotency key for one user action (retries of that action reuse it). */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}
