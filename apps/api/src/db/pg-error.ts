/** The one place that reads PostgreSQL errors: SQLSTATE codes by name, and the checks built on them. */
export const SqlState = {
  UNIQUE_VIOLATION: '23505',
  FOREIGN_KEY_VIOLATION: '23503',
  CHECK_VIOLATION: '23514',
  NOT_NULL_VIOLATION: '23502',
  INVALID_TEXT_REPRESENTATION: '22P02',
  NUMERIC_VALUE_OUT_OF_RANGE: '22003',
  INSUFFICIENT_PRIVILEGE: '42501',
  UNDEFINED_TABLE: '42P01',
  SERIALIZATION_FAILURE: '40001',
  DEADLOCK_DETECTED: '40P01',
  FEATURE_NOT_SUPPORTED: '0A000',
  /** Raised by the stock_movements trigger when a 'refuse' store would go below zero. */
  INSUFFICIENT_STOCK: 'ZI001',
  /** Raised by app_session_check: the token's user is inactive or their session version moved on. */
  SESSION_ENDED: 'ZA001',
  /** Raised at commit by the journal's constraint triggers: an entry with under two lines or Σdebit ≠ Σcredit. */
  JOURNAL_UNBALANCED: 'ZJ001',
  /** Raised by the journal's triggers on UPDATE, DELETE or TRUNCATE: corrections are reversing entries. */
  JOURNAL_IMMUTABLE: 'ZJ002',
  /** Raised by the cash sessions' triggers: a closed session or a movement changed, a session deleted. */
  CASH_SESSION_IMMUTABLE: 'ZC001',
  /** Raised by the sales trigger: the sale's currency is no longer the tenant's (changed meanwhile). */
  SALE_CURRENCY_CHANGED: 'ZS001',
  /** Raised by the tenants trigger: a tenant with sales may not change its currency. */
  CURRENCY_LOCKED: 'ZS002',
} as const;

export interface PgError {
  code: string;
  message: string;
  constraint?: string;
  column?: string;
  detail?: string;
}

/** The error as PostgreSQL reported it, or undefined for anything else (a network error, a bug). */
export function pgError(e: unknown): PgError | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? (e as PgError) : undefined;
}

export const hasSqlState = (e: unknown, code: string): boolean => pgError(e)?.code === code;

/** A unique violation, of the named constraint when one is given (two writers that both passed a check). */
export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  const err = pgError(e);
  return (
    err?.code === SqlState.UNIQUE_VIOLATION && (constraint === undefined || err.constraint === constraint)
  );
}

/**
 * A prepared statement whose result columns changed under it (a migration added a column to a table
 * it selects `*` from). The statement is re-prepared and the unit of work retried.
 */
export const isStalePlan = (e: unknown): boolean => {
  const err = pgError(e);
  return err?.code === SqlState.FEATURE_NOT_SUPPORTED && err.message.includes('cached plan must not change');
};

/** A conflict that the same work, run again from the start, can get past. */
export function isRetryable(e: unknown): boolean {
  const code = pgError(e)?.code;
  return code === SqlState.SERIALIZATION_FAILURE || code === SqlState.DEADLOCK_DETECTED || isStalePlan(e);
}
