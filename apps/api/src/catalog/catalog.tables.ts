import type { Generated } from 'kysely';

/** Kysely row types of 0002_catalog.sql. */
export interface TaxCategoriesTable {
  tenant_id: string;
  id: string;
  name: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface TaxCategoryRatesTable {
  tenant_id: string;
  tax_category_id: string;
  position: number;
  name: string;
  rate_bp: number;
}

export interface CategoriesTable {
  tenant_id: string;
  id: string;
  name: string;
  parent_id: string | null;
  created_at: Generated<Date>;
}

export interface ProductsTable {
  tenant_id: string;
  id: string;
  sku: string;
  name: string;
  price: number;
  cost: Generated<number>;
  tax_category_id: string;
  category_id: string | null;
  unit: Generated<'each' | 'kg'>;
  plu: string | null;
  active: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ProductBarcodesTable {
  tenant_id: string;
  code: string;
  product_id: string;
  symbology: 'ean13' | 'ean8' | 'upca' | 'code128';
}

export interface ProductSearchTermsTable {
  tenant_id: string;
  product_id: string;
  term: string;
  /** Copies of the product's sort key and filters, so a search pages through the index alone. */
  name: string;
  active: boolean;
  category_id: string | null;
}

export interface CatalogTables {
  tax_categories: TaxCategoriesTable;
  tax_category_rates: TaxCategoryRatesTable;
  categories: CategoriesTable;
  products: ProductsTable;
  product_barcodes: ProductBarcodesTable;
  product_search_terms: ProductSearchTermsTable;
}
