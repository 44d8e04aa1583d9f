import { z } from 'zod';

/**
 * Every error code the API answers with, in `{"error":{"code","message","fields"?}}`. Clients switch on
 * these; the API maps each to its HTTP status in one table (apps/api/src/common/errors/error-codes.ts).
 */
export const errorCodes = [
  'VALIDATION_FAILED',
  'MALFORMED_JSON',
  'UNSUPPORTED_MEDIA_TYPE',
  'PAYLOAD_TOO_LARGE',
  'URI_TOO_LONG',
  /** The request line and headers are over the server's limit (a very long query string counts). */
  'HEADERS_TOO_LARGE',
  /** Not a valid HTTP request (answered by the server before any route). */
  'MALFORMED_REQUEST',
  'UNAUTHENTICATED',
  'TOKEN_EXPIRED',
  'INVALID_CREDENTIALS',
  'REFRESH_TOKEN_INVALID',
  'FORBIDDEN',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'CONFLICT',
  'EMAIL_TAKEN',
  'SKU_TAKEN',
  'BARCODE_TAKEN',
  'PLU_TAKEN',
  'INSUFFICIENT_STOCK',
  'INVALID_STATE',
  /** A cart write named a stale version; `error.current` is the cart as it now is. */
  'CART_VERSION_CONFLICT',
  /** A discount beyond the cashier's limit without a valid manager's approval. */
  'APPROVAL_REQUIRED',
  'LAST_OWNER',
  /** A sale (refund, void) id was used before by a request with a different body. */
  'IDEMPOTENCY_MISMATCH',
  /** A refund of more of a sale line than was sold, counting its earlier refunds. */
  'REFUND_EXCEEDS_SALE',
  /** The tenant has sales: its currency can no longer change. */
  'CURRENCY_LOCKED',
  /** The register already has an open cash session. */
  'CASH_SESSION_OPEN',
  /** The register has no open cash session (to sell, or to read the current one). */
  'NO_OPEN_CASH_SESSION',
  /** The cash session is closed: no movement, no second close. */
  'CASH_SESSION_CLOSED',
  'RATE_LIMITED',
  'TOO_MANY_ATTEMPTS',
  'NOT_READY',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export const errorCode = z.enum(errorCodes);

/** The body of every error response. `fields` names the offending inputs, each with its messages. */
export const errorBody = z.object({
  error: z.object({
    code: errorCode,
    message: z.string(),
    fields: z.record(z.string(), z.array(z.string())).optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBody>;
