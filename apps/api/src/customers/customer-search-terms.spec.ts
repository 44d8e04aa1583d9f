import { describe, expect, it } from 'vitest';
import { customerQuery, customerTerms } from './customer-search-terms.js';

describe('customer search terms', () => {
  it('are the folded name words, the email and the phone digits', () => {
    expect(
      customerTerms({ name: 'Zoë Müller-Lüdenscheidt', email: 'zoe@x.io', phone: '+491512345678' }).sort(),
    ).toEqual(['491512345678', 'ludenscheidt', 'muller', 'muller-ludenscheidt', 'zoe', 'zoe@x.io'].sort());
    expect(customerTerms({ name: 'Bob', email: null, phone: null })).toEqual(['bob']);
  });

  it('read a query as words, and as phone digits when it looks like a phone number', () => {
    expect(customerQuery('Zoë MÜL')).toEqual({ words: ['zoe', 'mul'] });
    expect(customerQuery('+49 151-23')).toEqual({ words: ['+49', '151-23'], phoneDigits: '4915123' });
    expect(customerQuery('100%')).toEqual({ words: ['100%'] });
    expect(customerQuery('a b c d e f g').words).toHaveLength(5);
  });
});
