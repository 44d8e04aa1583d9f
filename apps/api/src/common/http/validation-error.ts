import type { z } from 'zod';
import { DomainError, type FieldErrors } from '../errors/domain-error.js';

/** A zod failure as a 400 naming every offending field (`price`, `barcodes.0.code`, …). */
export function validationError(part: 'body' | 'query' | 'params', error: z.ZodError): DomainError {
  const fields: FieldErrors = {};
  const add = (path: string, message: string) => (fields[path || part] ??= []).push(message);
  for (const issue of error.issues) {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) add(base ? `${base}.${key}` : key, 'unknown field');
    } else {
      add(base, issue.message);
    }
  }
  const names = Object.keys(fields);
  return new DomainError('VALIDATION_FAILED', `invalid ${part}: ${names.join(', ')}`, fields);
}
