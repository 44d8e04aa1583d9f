import { describe, expect, it } from 'vitest';
import { fold, productTerms, queryWords } from './search-terms.js';

describe('search terms', () => {
  it('folds case and accents', () => {
    expect(fold('Crème Brûlée ÉTÉ')).toBe('creme brulee ete');
    expect(fold('Ｍｉｌｋ')).toBe('milk'); // full-width letters
  });

  it('takes the words of the name, whole chunks with punctuation, the SKU and the barcodes', () => {
    expect(
      productTerms({
        name: 'Coca-Cola 1.5 L',
        sku: 'BEV-004',
        barcodes: [{ code: '5449000000996' }, { code: 'Shelf-A7' }],
      }).sort(),
    ).toEqual(
      ['1', '1.5', '5', '5449000000996', 'bev-004', 'coca', 'coca-cola', 'cola', 'l', 'shelf-a7'].sort(),
    );
    expect(productTerms({ name: 'Milk milk MILK', sku: 'milk', barcodes: [] })).toEqual(['milk']);
    expect(productTerms({ name: 'Crème fraîche 20 cl', sku: 'D-8', barcodes: [] })).toContain('creme');
  });

  it('splits a query into at most five distinct folded words', () => {
    expect(queryWords('  Choc   MILK ')).toEqual(['choc', 'milk']);
    expect(queryWords('a b c d e f g')).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(queryWords('milk Milk')).toEqual(['milk']);
    expect(queryWords('   ')).toEqual([]);
    expect(queryWords('crème')).toEqual(['creme']);
  });
});
