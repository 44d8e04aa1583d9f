/** Test-only fast-check generators shared by the property specs. */
import fc from 'fast-check';
import type { CartInput, CartLineInput, Discount, TaxRate } from './types.js';

export const CURRENCIES = ['GBP', 'EUR', 'CAD', 'CHF', 'JPY', 'KWD'] as const;

export const discountArb: fc.Arbitrary<Discount> = fc.oneof(
  fc.record({ kind: fc.constant('percent' as const), basisPoints: fc.integer({ min: 0, max: 10_000 }) }),
  fc.record({ kind: fc.constant('amount' as const), amount: fc.integer({ min: 0, max: 500_000 }) }),
);

const rateArb = fc.oneof(
  fc.constantFrom(0, 50_000, 70_000, 80_000, 99_750, 100_000, 200_000),
  fc.integer({ min: 0, max: 400_000 }),
);

const taxesArb: fc.Arbitrary<TaxRate[]> = fc
  .uniqueArray(fc.constantFrom('A', 'B', 'C'), { maxLength: 3 })
  .chain((codes) => fc.tuple(...codes.map((code) => rateArb.map((ratePpm) => ({ code, ratePpm })))));

const quantityArb = fc.oneof(
  fc.integer({ min: 1, max: 12 }).map((units) => units * 1000),
  fc.integer({ min: 0, max: 25_000 }),
);

function lineArb(id: string): fc.Arbitrary<CartLineInput> {
  return fc.record(
    {
      id: fc.constant(id),
      unitPrice: fc.oneof(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 100_000_000 })),
      quantity: quantityArb,
      discount: discountArb,
      taxes: taxesArb,
    },
    { requiredKeys: ['id', 'unitPrice', 'quantity', 'taxes'] },
  );
}

export const cartArb: fc.Arbitrary<CartInput> = fc.integer({ min: 1, max: 8 }).chain((count) =>
  fc.record(
    {
      currency: fc.constantFrom(...CURRENCIES),
      pricing: fc.constantFrom('inclusive' as const, 'exclusive' as const),
      rounding: fc.constantFrom('half-up' as const, 'half-even' as const),
      lines: fc.tuple(...Array.from({ length: count }, (_, i) => lineArb(`line-${i}`))),
      cartDiscount: discountArb,
    },
    { requiredKeys: ['currency', 'pricing', 'lines'] },
  ),
);
