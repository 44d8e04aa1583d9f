import type { Generated } from 'kysely';
import type { TenderKind } from '../sales/sales.tables.js';

/** Kysely row types of 0015_refunds.sql. Amounts are minor units, quantities thousandths. */

export interface RefundsTable {
  tenant_id: string;
  id: string;
  seq: Generated<number>;
  sale_id: string | null;
  store_id: string;
  register_id: string;
  cash_session_id: string | null;
  receipt_number: number;
  cashier_id: string;
  approved_by: string | null;
  currency: string;
  pricing: 'inclusive' | 'exclusive';
  reason: string;
  extended: number;
  discount: number;
  net: number;
  tax: number;
  gross: number;
  cash_rounding: number;
  paid: number;
  restocked_value: number;
  request_hash: string;
  created_at: Generated<Date>;
}

export interface RefundLinesTable {
  tenant_id: string;
  refund_id: string;
  line_no: number;
  sale_id: string | null;
  sale_line_no: number | null;
  product_id: string;
  name: string;
  sku: string | null;
  quantity: number;
  unit_price: number;
  restock: boolean;
  extended: number;
  discount: number;
  net: number;
  tax: number;
  gross: number;
}

export interface RefundLineTaxesTable {
  tenant_id: string;
  refund_id: string;
  line_no: number;
  code: string;
  rate_ppm: number;
  taxable_net: number;
  tax: number;
}

export interface RefundPaymentsTable {
  tenant_id: string;
  refund_id: string;
  payment_no: number;
  kind: TenderKind;
  method_code: string | null;
  amount: number;
  provider: string | null;
  reference: string | null;
  approval_code: string | null;
}

export interface SaleVoidsTable {
  tenant_id: string;
  id: string;
  sale_id: string;
  cash_session_id: string;
  voided_by: string;
  approved_by: string | null;
  reason: string;
  request_hash: string;
  created_at: Generated<Date>;
}

export interface RefundsTables {
  refunds: RefundsTable;
  refund_lines: RefundLinesTable;
  refund_line_taxes: RefundLineTaxesTable;
  refund_payments: RefundPaymentsTable;
  sale_voids: SaleVoidsTable;
}
