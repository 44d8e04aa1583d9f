import { withCheckDigit } from '../catalog/barcode.js';

/** The demo tenant's catalog: a small French grocery (EUR, prices include tax). */

export type DemoTax = 'standard' | 'reduced' | 'zero';

export const DEMO_TAX_CATEGORIES: Record<
  DemoTax,
  { name: string; rates: { name: string; rateBp: number }[] }
> = {
  standard: { name: 'Standard 20 %', rates: [{ name: 'TVA 20 %', rateBp: 2000 }] },
  reduced: { name: 'Reduced 5.5 %', rates: [{ name: 'TVA 5,5 %', rateBp: 550 }] },
  zero: { name: 'Zero rated', rates: [{ name: 'Exempt', rateBp: 0 }] },
};

export const DEMO_CATEGORIES = [
  'Fruit & Vegetables',
  'Dairy & Eggs',
  'Bakery',
  'Meat & Deli',
  'Beverages',
  'Pantry',
  'Snacks & Sweets',
  'Frozen',
  'Household',
  'Personal Care',
] as const;
export type DemoCategory = (typeof DEMO_CATEGORIES)[number];

export interface DemoProduct {
  sku: string;
  name: string;
  /** Minor units (cents), tax included; per kg for weighed products. */
  price: number;
  cost: number;
  tax: DemoTax;
  category: DemoCategory;
  unit: 'each' | 'kg';
  /** EAN-13 of packaged goods; weighed goods are sold by scale labels carrying their PLU. */
  ean13?: string;
  plu?: string;
}

// GS1 France numbers (prefix 3) under a made-up company prefix; the check digit is computed.
const ean = (itemReference: number) => withCheckDigit(`3770009${String(itemReference).padStart(5, '0')}`);

type Row = [sku: string, name: string, price: number, cost: number, tax: DemoTax, category: DemoCategory];

const PACKAGED: Row[] = [
  ['DAI-001', 'Semi-skimmed milk 1 L', 115, 72, 'reduced', 'Dairy & Eggs'],
  ['DAI-002', 'Whole milk 1 L', 129, 80, 'reduced', 'Dairy & Eggs'],
  ['DAI-003', 'Free-range eggs x6', 289, 180, 'reduced', 'Dairy & Eggs'],
  ['DAI-004', 'Natural yoghurt 4 x 125 g', 169, 95, 'reduced', 'Dairy & Eggs'],
  ['DAI-005', 'Salted butter 250 g', 319, 210, 'reduced', 'Dairy & Eggs'],
  ['DAI-006', 'Camembert 250 g', 279, 170, 'reduced', 'Dairy & Eggs'],
  ['DAI-007', 'Grated emmental 200 g', 239, 150, 'reduced', 'Dairy & Eggs'],
  ['DAI-008', 'Crème fraîche 20 cl', 149, 85, 'reduced', 'Dairy & Eggs'],
  ['BAK-001', 'Baguette tradition', 135, 45, 'reduced', 'Bakery'],
  ['BAK-002', 'Butter croissant', 119, 40, 'reduced', 'Bakery'],
  ['BAK-003', 'Sliced wholemeal bread 500 g', 229, 120, 'reduced', 'Bakery'],
  ['BAK-004', 'Pain au chocolat x4', 319, 150, 'reduced', 'Bakery'],
  ['MEA-001', 'Cooked ham 4 slices', 349, 220, 'reduced', 'Meat & Deli'],
  ['MEA-002', 'Chicken breast fillets 400 g', 699, 470, 'reduced', 'Meat & Deli'],
  ['MEA-003', 'Pork sausages x6', 459, 290, 'reduced', 'Meat & Deli'],
  ['BEV-001', 'Still mineral water 1.5 L', 59, 28, 'reduced', 'Beverages'],
  ['BEV-002', 'Sparkling water 6 x 1 L', 379, 230, 'reduced', 'Beverages'],
  ['BEV-003', 'Orange juice 1 L', 249, 140, 'reduced', 'Beverages'],
  ['BEV-004', 'Cola 1.5 L', 199, 95, 'standard', 'Beverages'],
  ['BEV-005', 'Ground coffee 250 g', 399, 240, 'reduced', 'Beverages'],
  ['BEV-006', 'Green tea 20 bags', 259, 130, 'reduced', 'Beverages'],
  ['BEV-007', 'Red wine Côtes du Rhône 75 cl', 690, 390, 'standard', 'Beverages'],
  ['BEV-008', 'Lager beer 6 x 25 cl', 549, 320, 'standard', 'Beverages'],
  ['PAN-001', 'Spaghetti 500 g', 119, 60, 'reduced', 'Pantry'],
  ['PAN-002', 'Basmati rice 1 kg', 299, 170, 'reduced', 'Pantry'],
  ['PAN-003', 'Tomato passata 700 g', 159, 85, 'reduced', 'Pantry'],
  ['PAN-004', 'Extra virgin olive oil 75 cl', 899, 590, 'reduced', 'Pantry'],
  ['PAN-005', 'Dijon mustard 210 g', 189, 95, 'reduced', 'Pantry'],
  ['PAN-006', 'Plain flour 1 kg', 109, 55, 'reduced', 'Pantry'],
  ['PAN-007', 'Caster sugar 1 kg', 149, 80, 'reduced', 'Pantry'],
  ['PAN-008', 'Tuna in olive oil 160 g', 329, 200, 'reduced', 'Pantry'],
  ['PAN-009', 'Chickpeas 400 g', 99, 50, 'reduced', 'Pantry'],
  ['SNA-001', 'Dark chocolate 70 % 100 g', 229, 120, 'reduced', 'Snacks & Sweets'],
  ['SNA-002', 'Salted crisps 150 g', 189, 90, 'reduced', 'Snacks & Sweets'],
  ['SNA-003', 'Butter biscuits 200 g', 169, 85, 'reduced', 'Snacks & Sweets'],
  ['SNA-004', 'Salted peanuts 200 g', 209, 110, 'reduced', 'Snacks & Sweets'],
  ['FRO-001', 'Garden peas 1 kg', 249, 140, 'reduced', 'Frozen'],
  ['FRO-002', 'Margherita pizza 400 g', 319, 180, 'reduced', 'Frozen'],
  ['FRO-003', 'Vanilla ice cream 1 L', 399, 220, 'reduced', 'Frozen'],
  ['HOU-001', 'Washing-up liquid 500 ml', 179, 90, 'standard', 'Household'],
  ['HOU-002', 'Toilet paper 12 rolls', 549, 330, 'standard', 'Household'],
  ['HOU-003', 'Laundry detergent 1.5 L', 799, 480, 'standard', 'Household'],
  ['HOU-004', 'Kitchen towels 2 rolls', 259, 150, 'standard', 'Household'],
  ['HOU-005', 'Bin bags 30 L x20', 219, 110, 'standard', 'Household'],
  ['PER-001', 'Toothpaste 75 ml', 219, 110, 'standard', 'Personal Care'],
  ['PER-002', 'Shower gel 250 ml', 249, 125, 'standard', 'Personal Care'],
  ['PER-003', 'Shampoo 250 ml', 329, 170, 'standard', 'Personal Care'],
  ['PER-004', 'Baby wipes x64', 199, 100, 'standard', 'Personal Care'],
  ['FRU-001', 'Lemons net 500 g', 199, 110, 'reduced', 'Fruit & Vegetables'],
  ['FRU-002', 'Potatoes 2.5 kg bag', 349, 190, 'reduced', 'Fruit & Vegetables'],
  ['MIS-001', 'Reusable shopping bag', 150, 60, 'zero', 'Household'],
];

/** Weighed at the counter or the scale: sold by weight (21 labels) or by printed price (22 labels). */
const WEIGHED: Row[] = [
  ['FRU-101', 'Bananas', 199, 110, 'reduced', 'Fruit & Vegetables'],
  ['FRU-102', 'Gala apples', 249, 140, 'reduced', 'Fruit & Vegetables'],
  ['FRU-103', 'Vine tomatoes', 329, 190, 'reduced', 'Fruit & Vegetables'],
  ['FRU-104', 'Loose carrots', 149, 70, 'reduced', 'Fruit & Vegetables'],
  ['DEL-101', 'Comté 18 months', 2490, 1650, 'reduced', 'Meat & Deli'],
  ['DEL-102', 'Smoked salmon', 4590, 3100, 'reduced', 'Meat & Deli'],
];

export const DEMO_PRODUCTS: DemoProduct[] = [
  ...PACKAGED.map(([sku, name, price, cost, tax, category], i) => ({
    sku,
    name,
    price,
    cost,
    tax,
    category,
    unit: 'each' as const,
    ean13: ean(i + 1),
  })),
  ...WEIGHED.map(([sku, name, price, cost, tax, category], i) => ({
    sku,
    name,
    price,
    cost,
    tax,
    category,
    unit: 'kg' as const,
    plu: String(10001 + i),
  })),
];
