import { DomainError } from './domain-error.js';

interface PgError {
  code: string;
  constraint?: string;
  column?: string;
  detail?: string;
}

const isPgError = (e: unknown): e is PgError =>
  typeof e === 'object' &&
  e !== null &&
  typeof (e as PgError).code === 'string' &&
  /^[0-9A-Z]{5}$/.test((e as PgError).code);

/**
 * Database constraint violations that reach the edge. Services check what they can first, so these
 * are races (two writers) or another tenant's id: both must neither leak nor become a 500.
 */
export function fromPostgresError(e: unknown): DomainError | undefined {
  if (!isPgError(e)) return undefined;
  switch (e.code) {
    case '23505':
      return new DomainError('CONFLICT', `already exists (${e.constraint ?? 'unique'})`);
    case '23503': // a referenced row is absent, or belongs to another tenant: same answer
      return new DomainError('NOT_FOUND', 'a referenced record was not found');
    case '23514':
    case '23502':
    case '22P02':
    case '22003':
      return new DomainError('VALIDATION_FAILED', `invalid value${e.constraint ? ` (${e.constraint})` : ''}`);
    case '42501': // row-level security refused the write: treat as absent
      return new DomainError('NOT_FOUND', 'not found');
    case '40001':
    case '40P01':
      return new DomainError('CONFLICT', 'concurrent update, retry');
    default:
      return undefined;
  }
}

interface FrameworkError {
  code?: string;
  statusCode?: number;
  message?: string;
}

/** Errors raised by Fastify before a handler runs: bad JSON, wrong media type, oversized body. */
export function fromFrameworkError(e: unknown): DomainError | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const err = e as FrameworkError;
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new DomainError('MALFORMED_JSON', 'request body is not valid JSON', {
        body: ['malformed JSON'],
      });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new DomainError('PAYLOAD_TOO_LARGE', 'request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new DomainError('UNSUPPORTED_MEDIA_TYPE', 'send application/json');
  }
  if (e instanceof SyntaxError && err.statusCode === 400) {
    return new DomainError('MALFORMED_JSON', 'request body is not valid JSON', { body: ['malformed JSON'] });
  }
  if (err.statusCode === 404) return new DomainError('NOT_FOUND', 'route not found');
  return undefined;
}
