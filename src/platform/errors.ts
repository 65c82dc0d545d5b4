/**
 * Every failure the API can report, with its HTTP status (API.md "Conventions").
 * One table: adding a code means adding it here.
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  INVALID_NATIONAL_ID: 400,
  UNAUTHORIZED: 401,
  BAD_CREDENTIALS: 401,
  AUTH_FAILED: 401,
  FORBIDDEN: 403,
  PAYMENT_METHOD_NOT_ALLOWED: 403,
  IDENTITY_MISMATCH: 403,
  PHONE_PARENT_CHILD_PLAN: 403,
  PHONE_PREPAID: 403,
  PHONE_FOREIGN_HOLDER: 403,
  PHONE_CORPORATE: 403,
  PHONE_MVNO: 403,
  PHONE_SUSPENDED: 403,
  PHONE_NOT_OWNER: 403,
  PHONE_CARRIER_NOT_SUPPORTED: 403,
  PHONE_NO_MOBILE_DATA: 403,
  PHONE_UNKNOWN: 403,
  NOT_FOUND: 404,
  UNKNOWN_ROUTE: 404,
  UNKNOWN_CARD: 404,
  UNKNOWN_PERSON: 404,
  UNKNOWN_PHARMACY: 404,
  UNKNOWN_STORE: 404,
  UNKNOWN_COUNTER: 404,
  UNKNOWN_ROUND: 404,
  UNKNOWN_ORDER: 404,
  UNKNOWN_SERIAL: 404,
  UNKNOWN_CHALLENGE: 404,
  UNKNOWN_DEVICE: 404,
  UNKNOWN_DRAW: 404,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_TIMEOUT: 408,
  CONFLICT: 409,
  ALREADY_EXISTS: 409,
  REGISTRATION_CLOSED: 409,
  REGISTRATION_NOT_CLOSED: 409,
  PAYMENT_CLOSED: 409,
  NOT_YET_ELIGIBLE: 409,
  WRONG_DAY_FOR_ID: 409,
  OUT_OF_STOCK: 409,
  OUTSIDE_PICKUP_WINDOW: 409,
  ALREADY_COLLECTED: 409,
  ALREADY_PAID: 409,
  NOT_AWAITING_PAYMENT: 409,
  FORFEITED: 409,
  STORE_CLOSED: 409,
  NOT_COLLECTED: 409,
  EXCHANGE_CLOSED: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
  CHALLENGE_EXPIRED: 410,
  DEVICE_CODE_EXPIRED: 410,
  PAYLOAD_TOO_LARGE: 413,
  EXPECTATION_FAILED: 417,
  HEADERS_TOO_LARGE: 431,
  UNSUPPORTED_MEDIA_TYPE: 415,
  CHILD_ITEM_NOT_ALLOWED: 422,
  CARD_NOT_PRESENT: 422,
  DOCUMENT_MISMATCH: 422,
  NOT_A_PASSPORT: 422,
  WRONG_STORE: 422,
  CARD_DECLINED: 422,
  AMOUNT_MISMATCH: 422,
  EXCHANGE_EXCEEDS_COLLECTED: 422,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** Details a person needs travel beside code and message (API.md: nextEligibleOn, allowedWeekdays, …). */
export type ErrorDetails = Record<string, unknown>;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: ErrorDetails;
  /** Extra response headers, e.g. Retry-After for 429. */
  readonly headers: Record<string, string>;

  constructor(
    code: ErrorCode,
    message: string,
    details: ErrorDetails = {},
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.details = details;
    this.headers = headers;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string } & ErrorDetails;
}

export function errorBody(error: AppError): ErrorBody {
  return { error: { ...error.details, code: error.code, message: error.message } };
}
