import type { Generated } from 'kysely';

/** Kysely row types of 0013_carts.sql. */
export interface CartsTable {
  tenant_id: string;
  id: string;
  store_id: string;
  register_id: string;
  status: Generated<'open' | 'parked' | 'voided' | 'checked_out'>;
  customer_id: string | null;
  note: string | null;
  discount_bp: number | null;
  discount_amount: number | null;
  discount_approved_by: string | null;
  version: Generated<number>;
  created_by: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface CartLinesTable {
  tenant_id: string;
  cart_id: string;
  id: string;
  position: number;
  product_id: string;
  quantity: number;
  unit_price: number;
  discount_bp: number | null;
  discount_amount: number | null;
  approved_by: string | null;
  barcode: string | null;
  created_at: Generated<Date>;
}

export interface CartsTables {
  carts: CartsTable;
  cart_lines: CartLinesTable;
}
