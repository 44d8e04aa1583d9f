import type { Sale } from '@zakpos/contracts';
import { discountOf } from '../carts/cart-pricing.js';
import type { SaleLineTaxRow, SaleRecord } from './sale.repository.js';

const byCode = (a: { code: string }, b: { code: string }) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

/**
 * A sale as the API shows it, from its stored rows only: the checkout's 201 and every later read (a retry's
 * 200, GET /sales/{id}, a receipt) are built by this one function from the same rows, so they are identical.
 */
export function saleView(r: SaleRecord): Sale {
  const s = r.sale;
  const taxesOf = (lineNo: number): SaleLineTaxRow[] =>
    r.taxes.filter((t) => t.line_no === lineNo).sort(byCode);
  const summary = new Map<string, { code: string; ratePpm: number; taxableNet: number; tax: number }>();
  for (const t of r.taxes) {
    const key = `${t.code}\u0000${t.rate_ppm}`;
    const row = summary.get(key) ?? { code: t.code, ratePpm: t.rate_ppm, taxableNet: 0, tax: 0 };
    row.taxableNet += t.taxable_net;
    row.tax += t.tax;
    summary.set(key, row);
  }
  return {
    id: s.id,
    storeId: s.store_id,
    registerId: s.register_id,
    cashSessionId: s.cash_session_id,
    receiptNumber: s.receipt_number,
    cartId: s.cart_id,
    customerId: s.customer_id,
    cashierId: s.cashier_id,
    status: s.status,
    currency: s.currency,
    pricing: s.pricing,
    discount: discountOf({ discount_bp: s.cart_discount_bp, discount_amount: s.cart_discount_amount }),
    discountApprovedBy: s.discount_approved_by,
    note: s.note,
    lines: [...r.lines]
      .sort((a, b) => a.line_no - b.line_no)
      .map((l) => ({
        lineNo: l.line_no,
        productId: l.product_id,
        name: l.name,
        sku: l.sku,
        barcode: l.barcode,
        quantity: l.quantity,
        unitPrice: l.unit_price,
        discount: discountOf(l),
        approvedBy: l.approved_by,
        extended: l.extended,
        lineDiscount: l.line_discount,
        cartDiscount: l.cart_discount,
        net: l.net,
        tax: l.tax,
        gross: l.gross,
        taxes: taxesOf(l.line_no).map((t) => ({ code: t.code, ratePpm: t.rate_ppm, tax: t.tax })),
      })),
    totals: {
      extended: s.extended,
      lineDiscount: s.line_discount,
      cartDiscount: s.cart_discount,
      discount: s.line_discount + s.cart_discount,
      net: s.net,
      tax: s.tax,
      gross: s.gross,
      cashRounding: s.cash_rounding,
      paid: s.gross + s.cash_rounding,
      tendered: s.tendered,
      change: s.change,
    },
    taxSummary: [...summary.values()]
      .sort((a, b) => byCode(a, b) || a.ratePpm - b.ratePpm)
      .map((t) => ({ ...t, gross: t.taxableNet + t.tax })),
    payments: [...r.payments]
      .sort((a, b) => a.payment_no - b.payment_no)
      .map((p) => ({
        paymentNo: p.payment_no,
        kind: p.kind,
        methodCode: p.method_code,
        amount: p.amount,
        applied: p.applied,
        provider: p.provider,
        reference: p.reference,
        approvalCode: p.approval_code,
      })),
    createdAt: s.created_at.toISOString(),
    voidedAt: s.voided_at?.toISOString() ?? null,
    voidedBy: s.voided_by,
  };
}
