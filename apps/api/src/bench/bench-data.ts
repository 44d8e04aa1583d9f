import { withCheckDigit } from '../catalog/barcode.js';

/**
 * The synthetic catalog of the benchmark: product g (1..N) is named from these word lists and carries
 * the EAN-13 `40` + g (10 digits) + check digit. The SQL seed and the load generator share them.
 */
export const BRANDS = [
  'Alpine',
  'Bellavista',
  'Cascade',
  'Dorado',
  'Evergreen',
  'Fjord',
  'Golden',
  'Harvest',
  'Island',
  'Juniper',
  'Kestrel',
  'Lakeside',
  'Meadow',
  'Northwind',
  'Orchard',
  'Prairie',
  'Quarry',
  'Riverside',
  'Sunrise',
  'Terra',
  'Upland',
  'Valley',
  'Willow',
  'Yarrow',
  'Zenith',
];
export const ADJECTIVES = [
  'Organic',
  'Classic',
  'Light',
  'Spicy',
  'Smoked',
  'Roasted',
  'Fresh',
  'Crunchy',
  'Creamy',
  'Sweet',
  'Salted',
  'Unsalted',
  'Wholegrain',
  'Mild',
  'Extra',
  'Premium',
  'Rustic',
  'Tender',
  'Zesty',
  'Golden',
];
export const NOUNS = [
  'Milk',
  'Yoghurt',
  'Butter',
  'Cheese',
  'Bread',
  'Croissant',
  'Coffee',
  'Tea',
  'Juice',
  'Water',
  'Pasta',
  'Rice',
  'Lentils',
  'Chickpeas',
  'Olive Oil',
  'Vinegar',
  'Mustard',
  'Ketchup',
  'Mayonnaise',
  'Honey',
  'Jam',
  'Cereal',
  'Granola',
  'Biscuits',
  'Crackers',
  'Crisps',
  'Chocolate',
  'Candy',
  'Peanuts',
  'Almonds',
  'Tuna',
  'Sardines',
  'Salmon',
  'Chicken',
  'Ham',
  'Sausages',
  'Bacon',
  'Soup',
  'Beans',
  'Tomatoes',
];
export const SIZES = [
  '100 g',
  '200 g',
  '250 g',
  '500 g',
  '1 kg',
  '330 ml',
  '500 ml',
  '1 L',
  '1.5 L',
  'x6',
  'x12',
  'family pack',
];

/** A 12-digit EAN-13 body for product g. */
export const barcodeBody = (g: number) => `40${String(g).padStart(10, '0')}`;
export const barcodeOf = (g: number) => withCheckDigit(barcodeBody(g));

/**
 * pgbench meta-commands that set `:code` to the barcode of a random product 1..products: the same
 * EAN-13 as barcodeOf(g), computed in pgbench's integer arithmetic. Digits 3..12 of the body are g's
 * ten digits; the GS1 check digit weighs the body's odd positions 1 and its even positions 3 (the
 * leading 4 and 0 are positions 1 and 2).
 */
export function pgbenchBarcodeVariable(products: number): string[] {
  const digit = (power: number) => `(:g / ${10 ** power}) % 10`;
  const odd = [9, 7, 5, 3, 1].map(digit).join(' + ');
  const even = [8, 6, 4, 2, 0].map(digit).join(' + ');
  return [
    `\\set g random(1, ${products})`,
    `\\set sum 4 + ${odd} + 3 * (${even})`,
    `\\set code 4000000000000 + :g * 10 + (10 - :sum % 10) % 10`,
  ];
}

/** Search terms a cashier or back-office user types: whole words and 3–5 letter prefixes of them. */
export function searchTerms(): string[] {
  const words = [...BRANDS, ...ADJECTIVES, ...NOUNS.map((n) => n.split(' ')[0]!)];
  const prefixes = words.flatMap((w) => [w.slice(0, 3), w.slice(0, 4), w.slice(0, 5)]);
  return [...new Set([...words, ...prefixes].map((t) => t.toLowerCase()))];
}
