import type { Generated } from 'kysely';

/** Kysely row types of 0014_sales.sql. Amounts are minor units, quantities thousandths. */

export type TenderKind = 'cash' | 'card' | 'other';

export interface PaymentMethodsTable {
  tenant_id: string;
  id: string;
  code: string;
  name: string;
  active: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface RegisterCountersTable {
  tenant_id: string;
  register_id: string;
  last_document_number: Generated<number>;
}

export interface SalesTable {
  tenant_id: string;
  id: string;
  seq: Generated<number>;
  store_id: string;
  register_id: string;
  cash_session_id: string;
  receipt_number: number;
  cart_id: string | null;
  customer_id: string | null;
  cashier_id: string;
  status: Generated<'completed' | 'voided'>;
  currency: string;
  pricing: 'inclusive' | 'exclusive';
  cart_discount_bp: number | null;
  cart_discount_amount: number | null;
  discount_approved_by: string | null;
  extended: number;
  line_discount: number;
  cart_discount: number;
  net: number;
  tax: number;
  gross: number;
  cash_rounding: number;
  tendered: number;
  change: number;
  /**
   * Σ of the lines' cost (quantity × unit cost, each rounded). The journal books COGS by the levels' value
   * change, which for weighed goods may differ from it by rounding: read the entry for what was booked.
   */
  cost: number;
  note: string | null;
  request_hash: string;
  created_at: Generated<Date>;
  voided_at: Date | null;
  voided_by: string | null;
}

export interface SaleLinesTable {
  tenant_id: string;
  sale_id: string;
  line_no: number;
  product_id: string;
  name: string;
  sku: string | null;
  category_id: string | null;
  barcode: string | null;
  quantity: number;
  unit_price: number;
  unit_cost: number;
  discount_bp: number | null;
  discount_amount: number | null;
  approved_by: string | null;
  extended: number;
  line_discount: number;
  cart_discount: number;
  net: number;
  tax: number;
  gross: number;
  cost: number;
}

export interface SaleLineTaxesTable {
  tenant_id: string;
  sale_id: string;
  line_no: number;
  code: string;
  rate_ppm: number;
  taxable_net: number;
  tax: number;
}

export interface SalePaymentsTable {
  tenant_id: string;
  sale_id: string;
  payment_no: number;
  kind: TenderKind;
  method_code: string | null;
  amount: number;
  applied: number;
  provider: string | null;
  reference: string | null;
  approval_code: string | null;
}

export interface SalesTables {
  payment_methods: PaymentMethodsTable;
  register_counters: RegisterCountersTable;
  sales: SalesTable;
  sale_lines: SaleLinesTable;
  sale_line_taxes: SaleLineTaxesTable;
  sale_payments: SalePaymentsTable;
}
