import type { ErrorCode } from './error-codes.js';

export type FieldErrors = Record<string, string[]>;

/** An expected failure with a stable code. Thrown by services; mapped to HTTP in one filter. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldErrors,
    /** For RATE_LIMITED / TOO_MANY_ATTEMPTS: seconds until a retry may succeed (sent as Retry-After). */
    readonly retryAfterSeconds?: number,
    /** Sent as `error.current`: what a conflicting write would have changed, as it now is. */
    readonly current?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static notFound(what: string): DomainError {
    return new DomainError('NOT_FOUND', `${what} not found`);
  }

  static validation(field: string, message: string): DomainError {
    return new DomainError('VALIDATION_FAILED', `${field}: ${message}`, { [field]: [message] });
  }
}
