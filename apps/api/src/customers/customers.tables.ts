import type { Generated } from 'kysely';

/** Kysely row types of 0010_customers.sql. */
export interface CustomersTable {
  tenant_id: string;
  id: string;
  name: string;
  phone: string | null;
  email: string | null;
  note: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface CustomerSearchTermsTable {
  tenant_id: string;
  customer_id: string;
  term: string;
}

export interface CustomersTables {
  customers: CustomersTable;
  customer_search_terms: CustomerSearchTermsTable;
}
