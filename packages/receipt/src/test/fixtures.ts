import type { ReceiptSale, ReceiptSaleLine } from '../sale.js';

/** Sales the golden tests print. Figures are as a sales engine would have recorded them. */

const base: Pick<ReceiptSale, 'kind' | 'registerName' | 'cashierName' | 'issuedAt' | 'footerLines'> = {
  kind: 'sale',
  registerName: 'Till 1',
  cashierName: 'Alex',
  issuedAt: '2026-11-22T07:40:00Z',
  footerLines: ['Thank you for shopping with us!'],
};

/** en-US / USD: three lines, one tax, card. */
export const plainSale: ReceiptSale = {
  ...base,
  store: {
    name: 'Corner Market',
    addressLines: ['12 Main St', 'Springfield, IL 62701'],
    taxId: 'EIN 12-3456789',
  },
  receiptNumber: 'S1-000123',
  timeZone: 'America/Chicago',
  locale: 'en-US',
  currency: 'USD',
  lines: [
    {
      name: 'Coffee beans 1 lb',
      sku: '0012345678905',
      quantity: 1000,
      unit: 'each',
      unitPrice: 1299,
      lineDiscount: 0,
      lineTotal: 1299,
    },
    { name: 'Oat milk', quantity: 2000, unit: 'each', unitPrice: 349, lineDiscount: 0, lineTotal: 698 },
    { name: 'Bananas', quantity: 1250, unit: 'kg', unitPrice: 129, lineDiscount: 0, lineTotal: 161 },
  ],
  cartDiscount: 0,
  subtotal: 2158,
  net: 2158,
  tax: 135,
  total: 2293,
  taxSummary: [{ label: 'Sales tax', ratePpm: 62500, net: 2158, tax: 135, gross: 2293 }],
  tenders: [{ kind: 'card', label: 'Visa **** 4242', amount: 2293, cashRoundingAdjustment: 0 }],
  changeDue: 0,
  code: { symbology: 'code128', value: 'S1-000123' },
};

/** fr-FR / EUR: line and cart discounts, 5.5 % and 20 % VAT included in prices. */
export const discountedMultiTaxSale: ReceiptSale = {
  ...base,
  store: {
    name: 'Épicerie du Marché',
    addressLines: ['3 rue des Halles', '75001 Paris'],
    taxId: 'FR40303265045',
  },
  registerName: 'Caisse 2',
  cashierName: 'Léa',
  receiptNumber: 'P2-004711',
  timeZone: 'Europe/Paris',
  locale: 'fr-FR',
  currency: 'EUR',
  lines: [
    {
      name: 'Baguette tradition',
      quantity: 3000,
      unit: 'each',
      unitPrice: 130,
      lineDiscount: 0,
      lineTotal: 390,
    },
    {
      name: 'Comté AOP 18 mois',
      quantity: 320,
      unit: 'kg',
      unitPrice: 2890,
      lineDiscount: 92,
      lineTotal: 833,
    },
    {
      name: 'Vin rouge Côtes du Rhône 75 cl',
      quantity: 2000,
      unit: 'each',
      unitPrice: 895,
      lineDiscount: 179,
      lineTotal: 1611,
    },
  ],
  cartDiscount: 283,
  subtotal: 2834,
  net: 2218,
  tax: 333,
  total: 2551,
  taxSummary: [
    { label: 'TVA', ratePpm: 55000, net: 1005, tax: 55, gross: 1060 },
    { label: 'TVA', ratePpm: 200000, net: 1213, tax: 278, gross: 1491 },
  ],
  tenders: [{ kind: 'card', label: 'CB', amount: 2551, cashRoundingAdjustment: 0 }],
  changeDue: 0,
  footerLines: ['Merci de votre visite !', 'Échange sous 14 jours avec ce ticket.'],
  code: { symbology: 'qr', value: 'P2-004711' },
};

/** de-CH / CHF: card part and a cash part rounded to 0.05, with change. */
export const splitTenderSale: ReceiptSale = {
  ...base,
  store: {
    name: 'Quartierladen Oerlikon',
    addressLines: ['Bahnhofstrasse 1', '8050 Zürich'],
    taxId: 'CHE-123.456.789 MWST',
  },
  registerName: 'Kasse 1',
  cashierName: 'Jonas',
  receiptNumber: 'Z1-000042',
  timeZone: 'Europe/Zurich',
  locale: 'de-CH',
  currency: 'CHF',
  lines: [
    { name: 'Brot', quantity: 1000, unit: 'each', unitPrice: 455, lineDiscount: 0, lineTotal: 455 },
    { name: 'Käse', quantity: 233, unit: 'kg', unitPrice: 3190, lineDiscount: 0, lineTotal: 743 },
    {
      name: 'Mineralwasser 6 x 1.5 l',
      quantity: 1000,
      unit: 'each',
      unitPrice: 1195,
      lineDiscount: 0,
      lineTotal: 1195,
    },
  ],
  cartDiscount: 0,
  subtotal: 2393,
  net: 2337,
  tax: 56,
  total: 2393,
  taxSummary: [{ label: 'MWST', ratePpm: 26000, net: 2337, tax: 56, gross: 2393 }],
  tenders: [
    { kind: 'card', label: 'Maestro', amount: 1000, cashRoundingAdjustment: 0 },
    { kind: 'cash', amount: 2000, cashRoundingAdjustment: 2 },
  ],
  changeDue: 605,
  footerLines: ['Danke für Ihren Einkauf!'],
  code: { symbology: 'code128', value: 'Z1-000042' },
};

/** ja-JP / JPY: two of three units of one line returned to cash; no minor digits. */
export const partialRefund: ReceiptSale = {
  ...base,
  kind: 'refund',
  store: {
    name: 'Tokyo Mart Shibuya',
    addressLines: ['1-2-3 Dogenzaka', 'Shibuya-ku, Tokyo'],
    taxId: 'T1234567890123',
  },
  registerName: 'Register 3',
  cashierName: 'Sato',
  receiptNumber: 'T3-R00007',
  originalReceiptNumber: 'T3-001234',
  timeZone: 'Asia/Tokyo',
  locale: 'ja-JP',
  currency: 'JPY',
  lines: [
    {
      name: 'Green tea 500 ml',
      quantity: 2000,
      unit: 'each',
      unitPrice: 162,
      lineDiscount: 0,
      lineTotal: 324,
    },
  ],
  cartDiscount: 0,
  subtotal: 324,
  net: 300,
  tax: 24,
  total: 324,
  taxSummary: [{ label: 'Consumption tax', ratePpm: 80000, net: 300, tax: 24, gross: 324 }],
  tenders: [{ kind: 'cash', label: 'Cash refund', amount: 324, cashRoundingAdjustment: 0 }],
  changeDue: 0,
  footerLines: [],
  code: { symbology: 'qr', value: 'T3-R00007' },
};

/** de-CH / CHF: the store name needs the code page (é, ü, en dash, Ø). */
export const nonAsciiStore: ReceiptSale = {
  ...base,
  store: { name: 'Café Zürich – Ørsted', addressLines: ['Münsterhof 5', '8001 Zürich'] },
  registerName: 'Kasse 2',
  cashierName: 'Chloé',
  receiptNumber: 'Z2-000900',
  timeZone: 'Europe/Zurich',
  locale: 'de-CH',
  currency: 'CHF',
  lines: [
    { name: 'Café crème', quantity: 2000, unit: 'each', unitPrice: 490, lineDiscount: 0, lineTotal: 980 },
    { name: 'Gipfeli', quantity: 1000, unit: 'each', unitPrice: 220, lineDiscount: 0, lineTotal: 220 },
  ],
  cartDiscount: 0,
  subtotal: 1200,
  net: 1110,
  tax: 90,
  total: 1200,
  taxSummary: [{ label: 'MWST', ratePpm: 81000, net: 1110, tax: 90, gross: 1200 }],
  tenders: [{ kind: 'cash', amount: 1200, cashRoundingAdjustment: 0 }],
  changeDue: 0,
  footerLines: ['Merci vielmal – à bientôt!'],
  code: { symbology: 'code128', value: 'Z2-000900' },
};

function hundredLines(): ReceiptSaleLine[] {
  return Array.from({ length: 100 }, (_, i) => {
    const quantity = ((i % 3) + 1) * 1000;
    const unitPrice = 100 + i * 7;
    return {
      name:
        i % 10 === 0
          ? `Item ${i + 1} with a very long descriptive product name that must wrap`
          : `Item ${i + 1}`,
      sku: String(4000001 + i),
      quantity,
      unit: 'each',
      unitPrice,
      lineDiscount: 0,
      lineTotal: (quantity / 1000) * unitPrice,
    };
  });
}

const longLines = hundredLines();
const longTotal = longLines.reduce((sum, line) => sum + line.lineTotal, 0);

/** en-US / USD: 100 lines. Tax-inclusive so the figures stay simple to state. */
export const hundredLineSale: ReceiptSale = {
  ...base,
  store: { name: 'Warehouse Club', addressLines: ['1 Industrial Way'] },
  receiptNumber: 'W9-100000',
  timeZone: 'America/New_York',
  locale: 'en-US',
  currency: 'USD',
  lines: longLines,
  cartDiscount: 0,
  subtotal: longTotal,
  net: longTotal - Math.round(longTotal / 11),
  tax: Math.round(longTotal / 11),
  total: longTotal,
  taxSummary: [
    {
      label: 'VAT',
      ratePpm: 100000,
      net: longTotal - Math.round(longTotal / 11),
      tax: Math.round(longTotal / 11),
      gross: longTotal,
    },
  ],
  tenders: [{ kind: 'cash', amount: longTotal + 1000, cashRoundingAdjustment: 0 }],
  changeDue: 1000,
  code: { symbology: 'qr', value: 'W9-100000' },
};

export const goldenCases: Record<string, ReceiptSale> = {
  'plain-sale': plainSale,
  'discounted-multi-tax': discountedMultiTaxSale,
  'split-tender-cash-rounding': splitTenderSale,
  'partial-refund': partialRefund,
  'non-ascii-store': nonAsciiStore,
  'hundred-lines': hundredLineSale,
};
