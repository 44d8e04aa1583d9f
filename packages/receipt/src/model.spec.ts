import { describe, expect, it } from 'vitest';
import { buildReceipt } from './model.js';
import { discountedMultiTaxSale, partialRefund, plainSale, splitTenderSale } from './test/fixtures.js';

describe('buildReceipt', () => {
  it('formats every figure of a sale in its locale', () => {
    const model = buildReceipt(plainSale);
    expect(model.mark).toBeNull();
    expect(model.meta).toEqual([
      { label: 'Receipt', value: 'S1-000123' },
      { label: 'Date', value: '11/22/2026, 01:40 AM' },
      { label: 'Register', value: 'Till 1' },
      { label: 'Cashier', value: 'Alex' },
    ]);
    expect(model.lines[0]).toEqual({
      name: 'Coffee beans 1 lb',
      sku: 'SKU 0012345678905',
      detail: null,
      discount: null,
      total: '$12.99',
    });
    expect(model.lines[2]?.detail).toBe('1.250 kg x $1.29');
    expect(model.totals.map((row) => row.label)).toEqual(['Subtotal', 'Net', 'Tax', 'Total']);
    expect(model.totals.at(-1)).toEqual({ label: 'Total', value: '$22.93' });
    expect(model.taxes).toEqual([
      { label: 'Sales tax 6.25%', tax: '$1.35', detail: 'Net $21.58, Gross $22.93' },
    ]);
    expect(model.change).toBeNull();
    expect(model.code).toEqual({ symbology: 'code128', value: 'S1-000123' });
  });

  it('shows line and cart discounts as reductions', () => {
    const model = buildReceipt(discountedMultiTaxSale);
    expect(model.lines[1]?.discount).toEqual({ label: 'Discount', value: '-0,92\u00a0€' });
    expect(model.totals[1]).toEqual({ label: 'Cart discount', value: '-2,83\u00a0€' });
    expect(model.taxes.map((tax) => tax.label)).toEqual(['TVA 5,5\u00a0%', 'TVA 20\u00a0%']);
  });

  it('shows the cash rounding on the cash tender and the change', () => {
    const model = buildReceipt(splitTenderSale);
    expect(model.tenders[0]).toEqual({ row: { label: 'Maestro', value: 'CHF\u00a010.00' }, rounding: null });
    expect(model.tenders[1]).toEqual({
      row: { label: 'Cash', value: 'CHF\u00a020.00' },
      rounding: { label: 'Rounding', value: 'CHF+0.02' },
    });
    expect(model.change).toEqual({ label: 'Change', value: 'CHF\u00a06.05' });
  });

  it('marks refunds with the original receipt, and voids', () => {
    const refund = buildReceipt(partialRefund);
    expect(refund.mark).toBe('REFUND');
    expect(refund.meta.at(-1)).toEqual({ label: 'Original receipt', value: 'T3-001234' });
    expect(refund.totals.at(-1)?.value).toBe('￥324');
    expect(buildReceipt({ ...plainSale, kind: 'void' }).mark).toBe('VOID');
  });

  it('prints what the sale recorded, never recomputing it', () => {
    const inconsistent = { ...plainSale, total: 1, subtotal: 999999 };
    const model = buildReceipt(inconsistent);
    expect(model.totals[0]?.value).toBe('$9,999.99');
    expect(model.totals.at(-1)?.value).toBe('$0.01');
  });

  it('takes the words of the tenant language', () => {
    const model = buildReceipt(splitTenderSale, {
      labels: { total: 'Total CHF', change: 'Rückgeld', tenders: { cash: 'Bar' } },
    });
    expect(model.totals.at(-1)?.label).toBe('Total CHF');
    expect(model.change?.label).toBe('Rückgeld');
    expect(model.tenders[1]?.row.label).toBe('Bar');
    expect(model.meta[0]?.label).toBe('Receipt');
  });

  it('validates before formatting', () => {
    expect(() => buildReceipt({ ...plainSale, currency: 'XYZ1' })).toThrow(/currency/);
  });
});
