import { DomainError } from '../common/errors/domain-error.js';

export const paymentMethodCodeTaken = () =>
  new DomainError('CONFLICT', 'a payment method with this code already exists', {
    code: ['already used by another payment method'],
  });
