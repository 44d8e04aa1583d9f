import type { Refund } from '@zakpos/contracts';
import type { RefundLineTaxRow, RefundRecord } from './refund.repository.js';

const byCode = (a: { code: string }, b: { code: string }) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

/**
 * A refund as the API shows it, from its stored rows only: the 201, a retry's 200 and every later read are
 * built by this one function from the same rows, so they are identical.
 */
export function refundView(r: RefundRecord): Refund {
  const f = r.refund;
  const taxesOf = (lineNo: number): RefundLineTaxRow[] =>
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
    id: f.id,
    saleId: f.sale_id,
    storeId: f.store_id,
    registerId: f.register_id,
    cashSessionId: f.cash_session_id,
    receiptNumber: f.receipt_number,
    cashierId: f.cashier_id,
    approvedBy: f.approved_by,
    currency: f.currency,
    pricing: f.pricing,
    reason: f.reason,
    lines: [...r.lines]
      .sort((a, b) => a.line_no - b.line_no)
      .map((l) => ({
        lineNo: l.line_no,
        saleLineNo: l.sale_line_no,
        productId: l.product_id,
        name: l.name,
        sku: l.sku,
        quantity: l.quantity,
        unitPrice: l.unit_price,
        restock: l.restock,
        extended: l.extended,
        discount: l.discount,
        net: l.net,
        tax: l.tax,
        gross: l.gross,
        taxes: taxesOf(l.line_no).map((t) => ({ code: t.code, ratePpm: t.rate_ppm, tax: t.tax })),
      })),
    totals: {
      extended: f.extended,
      discount: f.discount,
      net: f.net,
      tax: f.tax,
      gross: f.gross,
      cashRounding: f.cash_rounding,
      paid: f.paid,
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
        provider: p.provider,
        reference: p.reference,
        approvalCode: p.approval_code,
      })),
    createdAt: f.created_at.toISOString(),
  };
}
