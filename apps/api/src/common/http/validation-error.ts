import type { z } from 'zod';
import { DomainError, type FieldErrors } from '../errors/domain-error.js';

/** A zod failure as a 400 naming every offending field (`price`, `barcodes.0.code`, …). */
export function validationError(part: 'body' | 'query' | 'params', error: z.ZodError): DomainError {
  // A Map, not an object literal: a client's key may be `__proto__` or `constructor`, which an object already
  // answers through its prototype (the message pushed onto Object.prototype, a 500).
  const byField = new Map<string, string[]>();
  const add = (path: string, message: string) => {
    const key = path || part;
    byField.set(key, [...(byField.get(key) ?? []), message]);
  };
  for (const issue of error.issues) {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) add(base ? `${base}.${key}` : key, 'unknown field');
    } else {
      add(base, issue.message);
    }
  }
  const fields: FieldErrors = Object.fromEntries(byField);
  return new DomainError('VALIDATION_FAILED', `invalid ${part}: ${[...byField.keys()].join(', ')}`, fields);
}
