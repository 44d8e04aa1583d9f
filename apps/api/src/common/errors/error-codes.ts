import type { ErrorCode } from '@zakpos/contracts';

export type { ErrorCode };

/**
 * The HTTP status of every error code the contracts list (packages/contracts/src/errors.ts): the one
 * place codes map to statuses. A code without a status, or a status without a code, does not compile.
 * The exception filter turns a DomainError into {"error":{"code","message","fields"?}}.
 */
export const errorStatus = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  URI_TOO_LONG: 414,
  HEADERS_TOO_LARGE: 431,
  MALFORMED_REQUEST: 400,
  UNAUTHENTICATED: 401,
  TOKEN_EXPIRED: 401,
  INVALID_CREDENTIALS: 401,
  REFRESH_TOKEN_INVALID: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  EMAIL_TAKEN: 409,
  SKU_TAKEN: 409,
  BARCODE_TAKEN: 409,
  PLU_TAKEN: 409,
  INSUFFICIENT_STOCK: 409,
  INVALID_STATE: 409,
  CART_VERSION_CONFLICT: 409,
  APPROVAL_REQUIRED: 403,
  LAST_OWNER: 409,
  IDEMPOTENCY_MISMATCH: 422,
  REFUND_EXCEEDS_SALE: 409,
  CURRENCY_LOCKED: 409,
  CASH_SESSION_OPEN: 409,
  NO_OPEN_CASH_SESSION: 409,
  CASH_SESSION_CLOSED: 409,
  RATE_LIMITED: 429,
  TOO_MANY_ATTEMPTS: 429,
  NOT_READY: 503,
  INTERNAL: 500,
} as const satisfies Record<ErrorCode, number>;
