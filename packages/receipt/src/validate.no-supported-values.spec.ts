import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReceiptError } from './errors.js';
import { buildReceipt } from './model.js';
import { plainSale } from './test/fixtures.js';
import { renderText } from './text.js';
import { validateSale } from './validate.js';

// Hermes (React Native) has no Intl.supportedValuesOf: the same code must still run there.
describe('without Intl.supportedValuesOf', () => {
  const original = Intl.supportedValuesOf;
  beforeEach(() => {
    delete (Intl as { supportedValuesOf?: unknown }).supportedValuesOf;
  });
  afterEach(() => {
    Intl.supportedValuesOf = original;
  });

  it('validates and renders a sale', () => {
    expect(typeof Intl.supportedValuesOf).toBe('undefined');
    expect(() => validateSale(plainSale)).not.toThrow();
    expect(renderText(buildReceipt(plainSale), { columns: 32 })).toContain(plainSale.store.name);
  });

  it('still refuses a malformed currency code, and accepts any well-formed one', () => {
    expect(() => validateSale({ ...plainSale, currency: 'usd' })).toThrow(ReceiptError);
    expect(() => validateSale({ ...plainSale, currency: 'ZZZ' })).not.toThrow();
  });
});
