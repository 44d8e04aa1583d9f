import { pgError, SqlState } from '../../db/pg-error.js';
import { DomainError } from './domain-error.js';

/**
 * Database constraint violations that reach the edge. Services check what they can first, so these
 * are races (two writers) or another tenant's id: both must neither leak nor become a 500.
 */
export function fromPostgresError(e: unknown): DomainError | undefined {
  const err = pgError(e);
  if (!err) return undefined;
  switch (err.code) {
    case SqlState.UNIQUE_VIOLATION:
      return new DomainError('CONFLICT', `already exists (${err.constraint ?? 'unique'})`);
    case SqlState.FOREIGN_KEY_VIOLATION: // a referenced row is absent, or belongs to another tenant: same answer
      return new DomainError('NOT_FOUND', 'a referenced record was not found');
    case SqlState.CHECK_VIOLATION:
    case SqlState.NOT_NULL_VIOLATION:
    case SqlState.INVALID_TEXT_REPRESENTATION:
    case SqlState.NUMERIC_VALUE_OUT_OF_RANGE:
      return new DomainError(
        'VALIDATION_FAILED',
        `invalid value${err.constraint ? ` (${err.constraint})` : ''}`,
      );
    case SqlState.INSUFFICIENT_PRIVILEGE: // row-level security refused the write: treat as absent
      return new DomainError('NOT_FOUND', 'not found');
    case SqlState.SESSION_ENDED: // deactivated, rights changed, password changed or sessions revoked
      return new DomainError('UNAUTHENTICATED', 'this session has ended; log in again');
    case SqlState.SERIALIZATION_FAILURE: // still conflicting after the unit of work's own retries
    case SqlState.DEADLOCK_DETECTED:
      return new DomainError('CONFLICT', 'concurrent update, retry');
    case SqlState.JOURNAL_UNBALANCED: // postJournalEntry refuses these first: reaching here is a bug
      return new DomainError('INTERNAL', 'a journal entry does not balance; nothing was written');
    case SqlState.JOURNAL_IMMUTABLE:
      return new DomainError('INTERNAL', 'the journal is immutable; nothing was written');
    default:
      return undefined;
  }
}

interface FrameworkError {
  code?: string;
  statusCode?: number;
  message?: string;
}

/** Errors raised by Fastify before a handler runs: bad JSON, wrong media type, oversized body or path. */
export function fromFrameworkError(e: unknown): DomainError | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const err = e as FrameworkError;
  switch (err.code ?? '') {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new DomainError('MALFORMED_JSON', 'request body is not valid JSON', {
        body: ['malformed JSON'],
      });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new DomainError('PAYLOAD_TOO_LARGE', 'request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new DomainError('UNSUPPORTED_MEDIA_TYPE', 'send application/json');
    case 'FST_ERR_MAX_PARAM_LENGTH': // a path parameter longer than the router takes
      return new DomainError('URI_TOO_LONG', 'request URI is too long');
    case 'FST_ERR_BAD_URL':
      return new DomainError('VALIDATION_FAILED', 'the request path is not well-formed', {
        path: ['malformed percent-encoding'],
      });
  }
  if (e instanceof SyntaxError && err.statusCode === 400) {
    return new DomainError('MALFORMED_JSON', 'request body is not valid JSON', { body: ['malformed JSON'] });
  }
  if (err.statusCode === 404) return new DomainError('NOT_FOUND', 'route not found');
  return undefined;
}
