import { DomainError } from '../common/errors/domain-error.js';

interface PgError {
  code: string;
  constraint?: string;
}

/** A unique violation of the named constraint (a race between two writers that both passed our check). */
export function isUniqueViolation(e: unknown, constraint: string): boolean {
  const err = e as PgError | null;
  return typeof err === 'object' && err !== null && err.code === '23505' && err.constraint === constraint;
}

export const storeCodeTaken = () =>
  new DomainError('CONFLICT', 'a store with this code already exists', {
    code: ['already used by another store'],
  });

export const registerNameTaken = () =>
  new DomainError('CONFLICT', 'this store already has a register with this name', {
    name: ['already used by another register of this store'],
  });

export const emailTaken = () =>
  new DomainError('EMAIL_TAKEN', 'this email is already used by a ZakPOS account', {
    email: ['already used by a ZakPOS account'],
  });

export const lastOwner = () =>
  new DomainError('LAST_OWNER', 'the tenant must keep at least one active owner');
