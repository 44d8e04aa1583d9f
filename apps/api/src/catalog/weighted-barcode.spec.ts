import { describe, expect, it } from 'vitest';
import { withCheckDigit } from './barcode.js';
import {
  labelQuantity,
  parseWeightedBarcode,
  validPrefixRules,
  type WeightedPrefixRule,
} from './weighted-barcode.js';

const rules: WeightedPrefixRule[] = [
  { prefix: '21', kind: 'weight' },
  { prefix: '22', kind: 'price' },
];

describe('weighted EAN-13 labels', () => {
  it('reads a weight label: prefix, item code, grams', () => {
    const code = withCheckDigit('211234501250'); // item 12345, 1.250 kg
    expect(parseWeightedBarcode(code, rules)).toEqual({
      prefix: '21',
      kind: 'weight',
      itemCode: '12345',
      value: 1250,
    });
  });

  it('reads a price label: the value is in minor units', () => {
    const code = withCheckDigit('220004200399'); // item 00042, 3.99
    expect(parseWeightedBarcode(code, rules)).toEqual({
      prefix: '22',
      kind: 'price',
      itemCode: '00042',
      value: 399,
    });
  });

  it('is not a label when the prefix is not configured, the check digit is wrong, or the shape is not EAN-13', () => {
    expect(parseWeightedBarcode(withCheckDigit('231234501250'), rules)).toBeNull();
    const good = withCheckDigit('211234501250');
    const bad = good.slice(0, 12) + String((Number(good[12]) + 1) % 10);
    expect(parseWeightedBarcode(bad, rules)).toBeNull();
    expect(parseWeightedBarcode('21123450125', rules)).toBeNull();
    expect(parseWeightedBarcode('21123450125X', rules)).toBeNull();
    expect(parseWeightedBarcode(good, [])).toBeNull();
  });

  it('keeps only well-formed prefix rules from the tenant setting', () => {
    expect(
      validPrefixRules([
        { prefix: '21', kind: 'weight' },
        { prefix: '19', kind: 'weight' },
        { prefix: '2', kind: 'price' },
        { prefix: '25', kind: 'volume' },
        null,
        'x',
        { prefix: '29', kind: 'price' },
      ]),
    ).toEqual([
      { prefix: '21', kind: 'weight' },
      { prefix: '29', kind: 'price' },
    ]);
    expect(validPrefixRules(null)).toEqual([]);
    expect(validPrefixRules({ prefix: '21' })).toEqual([]);
  });

  it('turns a label into a quantity in thousandths', () => {
    const weight = { prefix: '21', kind: 'weight', itemCode: '12345', value: 1250 } as const;
    expect(labelQuantity(weight, 999)).toBe(1250);
    const price = { prefix: '22', kind: 'price', itemCode: '00042', value: 399 } as const;
    expect(labelQuantity(price, 798)).toBe(500); // 3.99 at 7.98/kg = 0.5 kg
    expect(labelQuantity(price, 1000)).toBe(399);
    expect(labelQuantity(price, 0)).toBe(1000);
  });
});
