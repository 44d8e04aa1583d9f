import { DomainError } from '../common/errors/domain-error.js';

export const storeCodeTaken = () =>
  new DomainError('CONFLICT', 'a store with this code already exists', {
    code: ['already used by another store'],
  });

export const registerNameTaken = () =>
  new DomainError('CONFLICT', 'this store already has a register with this name', {
    name: ['already used by another register of this store'],
  });

export const cashSessionOpenOnRegister = () =>
  new DomainError('CASH_SESSION_OPEN', 'the register has an open cash session: close it first', {
    active: ['the register has an open cash session'],
  });

export const emailTaken = () =>
  new DomainError('EMAIL_TAKEN', 'this email is already used by a ZakPOS account', {
    email: ['already used by a ZakPOS account'],
  });

export const lastOwner = () =>
  new DomainError('LAST_OWNER', 'the tenant must keep at least one active owner');
