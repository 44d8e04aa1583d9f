import { DomainError } from '../common/errors/domain-error.js';
import { isUniqueViolation, pgError } from '../db/pg-error.js';

export const customerFieldTaken = (field: 'email' | 'phone') =>
  new DomainError('CONFLICT', `another customer has this ${field}`, {
    [field]: ['already used by another customer'],
  });

/** A unique violation that slipped past the checks (two writers at once) becomes the checks' answer. */
export function rethrowCustomerConflict(e: unknown): never {
  if (isUniqueViolation(e)) {
    switch (pgError(e)?.constraint ?? '') {
      case 'customers_email_key':
        throw customerFieldTaken('email');
      case 'customers_phone_key':
        throw customerFieldTaken('phone');
    }
  }
  throw e;
}
