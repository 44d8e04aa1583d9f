import { describe, expect, it } from 'vitest';
import { createCustomerInput, phoneNumber } from './customers.contract.js';

describe('phoneNumber', () => {
  it('keeps digits and a leading +, dropping spaces, hyphens, dots, slashes and parentheses', () => {
    expect(phoneNumber.parse(' +49 (151) 234-56.78 ')).toBe('+491512345678');
    expect(phoneNumber.parse('030/1234567')).toBe('0301234567');
    expect(phoneNumber.parse('1234')).toBe('1234');
    expect(phoneNumber.parse('1'.repeat(20))).toBe('1'.repeat(20));
  });

  it('refuses letters, a + not at the start, fewer than 4 or more than 20 digits', () => {
    for (const bad of ['call me', '12a45', '12+345', '++12345', '+', '123', '+ 1 2 3', '1'.repeat(21), '']) {
      expect(phoneNumber.safeParse(bad).success, bad).toBe(false);
    }
  });
});

describe('createCustomerInput', () => {
  it('lower-cases the email and trims the name', () => {
    expect(createCustomerInput.parse({ name: ' Ada ', email: 'Ada@Example.COM' })).toEqual({
      name: 'Ada',
      email: 'ada@example.com',
    });
  });

  it('takes no unknown field', () => {
    expect(createCustomerInput.safeParse({ name: 'Ada', points: 1 }).success).toBe(false);
  });
});
