import { z } from 'zod';
import {
  basisPoints,
  idParams,
  label,
  minorUnits,
  NOT_EMPTY,
  notEmpty,
  okResponse,
  pageQuery,
  page,
  text,
  uuid,
} from './common.schema.js';
import { endpoint } from './endpoint.js';

const TAG = 'catalog';

// ---- Tax categories ---------------------------------------------------------------------------

export const taxRateInput = z.strictObject({ name: label(60), rateBp: basisPoints });

export const createTaxCategoryInput = z.strictObject({
  name: label(120),
  rates: z.array(taxRateInput).min(1).max(5),
});
export type CreateTaxCategoryInput = z.infer<typeof createTaxCategoryInput>;

export const updateTaxCategoryInput = createTaxCategoryInput.partial().refine(notEmpty, NOT_EMPTY);
export type UpdateTaxCategoryInput = z.infer<typeof updateTaxCategoryInput>;

export const taxCategory = z.object({
  id: uuid,
  name: z.string(),
  rates: z.array(z.object({ name: z.string(), rateBp: z.number().int() })),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TaxCategory = z.infer<typeof taxCategory>;

// ---- Product categories -----------------------------------------------------------------------

export const createCategoryInput = z.strictObject({
  name: label(120),
  parentId: uuid.nullable().optional(),
});
export type CreateCategoryInput = z.infer<typeof createCategoryInput>;

export const updateCategoryInput = createCategoryInput.partial().refine(notEmpty, NOT_EMPTY);
export type UpdateCategoryInput = z.infer<typeof updateCategoryInput>;

export const category = z.object({
  id: uuid,
  name: z.string(),
  parentId: uuid.nullable(),
  createdAt: z.string(),
});
export type Category = z.infer<typeof category>;

// ---- Products and barcodes --------------------------------------------------------------------

export const symbology = z.enum(['ean13', 'ean8', 'upca', 'code128']);
export type Symbology = z.infer<typeof symbology>;

/**
 * A barcode as given. Its shape and check digit (EAN-13, EAN-8, UPC-A: GS1 mod-10; Code 128:
 * 1–80 printable ASCII characters) are checked by the API, which names the offending field.
 */
export const barcodeInput = z.strictObject({
  code: text().min(1).max(80),
  symbology: symbology.optional(),
});
export type BarcodeInput = z.infer<typeof barcodeInput>;

export const barcode = z.object({ code: z.string(), symbology });
export type Barcode = z.infer<typeof barcode>;

export const sku = text()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._/-]+$/, 'letters, digits and . _ / - only');

/** The 5-digit item code printed in weighted EAN-13 labels. */
export const plu = text().regex(/^[0-9]{5}$/, 'must be 5 digits');

export const productUnit = z.enum(['each', 'kg']);

export const createProductInput = z.strictObject({
  sku,
  name: label(200),
  price: minorUnits,
  cost: minorUnits.default(0),
  taxCategoryId: uuid,
  categoryId: uuid.nullable().default(null),
  unit: productUnit.default('each'),
  plu: plu.nullable().default(null),
  active: z.boolean().default(true),
  barcodes: z.array(barcodeInput).max(20).default([]),
});
export type CreateProductInput = z.infer<typeof createProductInput>;

/** Every field optional; `barcodes`, when given, replaces the product's barcodes. */
export const updateProductInput = z
  .strictObject({
    sku: sku.optional(),
    name: label(200).optional(),
    price: minorUnits.optional(),
    cost: minorUnits.optional(),
    taxCategoryId: uuid.optional(),
    categoryId: uuid.nullable().optional(),
    unit: productUnit.optional(),
    plu: plu.nullable().optional(),
    active: z.boolean().optional(),
    barcodes: z.array(barcodeInput).max(20).optional(),
  })
  .refine(notEmpty, NOT_EMPTY);
export type UpdateProductInput = z.infer<typeof updateProductInput>;

export const product = z.object({
  id: uuid,
  sku: z.string(),
  name: z.string(),
  price: z.number().int(),
  cost: z.number().int(),
  taxCategoryId: uuid,
  categoryId: uuid.nullable(),
  unit: productUnit,
  plu: z.string().nullable(),
  active: z.boolean(),
  barcodes: z.array(barcode),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Product = z.infer<typeof product>;

/**
 * `q` matches a name substring (case-insensitive), a SKU prefix or a barcode prefix. Results are
 * ordered by name then id; `cursor` is the opaque `nextCursor` of the previous page.
 */
export const productListQuery = z.strictObject({
  ...pageQuery.shape,
  q: text()
    .trim()
    .max(100)
    .optional()
    .transform((q) => q || undefined),
  active: z.stringbool().optional(),
  categoryId: uuid.optional(),
});
export type ProductListQuery = z.infer<typeof productListQuery>;

export const productBarcodeParams = z.strictObject({ id: uuid, code: text().min(1).max(80) });

/** A scanned code: printable ASCII, as a scanner sends it. */
export const scannedCodeParams = z.strictObject({
  code: text()
    .min(1)
    .max(80)
    .regex(/^[ -~]+$/, 'printable ASCII only'),
});

export const barcodeResolution = z.object({
  product,
  /** Thousandths: 1000 = one unit, or 1 kg for products sold by weight. */
  quantity: z.number().int(),
  /** The amount printed on a price label (minor units), else null. */
  price: z.number().int().nullable(),
  source: z.enum(['barcode', 'weighted']),
});
export type BarcodeResolution = z.infer<typeof barcodeResolution>;

const list = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

export const catalogEndpoints = {
  listTaxCategories: endpoint({
    method: 'GET',
    path: '/tax-categories',
    summary: 'List tax categories with their rates',
    tag: TAG,
    access: 'catalog.read',
    response: list(taxCategory),
  }),
  getTaxCategory: endpoint({
    method: 'GET',
    path: '/tax-categories/:id',
    summary: 'Get a tax category',
    tag: TAG,
    access: 'catalog.read',
    params: idParams,
    response: taxCategory,
  }),
  createTaxCategory: endpoint({
    method: 'POST',
    path: '/tax-categories',
    summary: 'Create a tax category with 1–5 rates in basis points',
    tag: TAG,
    access: 'catalog.manage',
    body: createTaxCategoryInput,
    response: taxCategory,
    status: 201,
  }),
  updateTaxCategory: endpoint({
    method: 'PATCH',
    path: '/tax-categories/:id',
    summary: 'Rename a tax category or replace its rates',
    tag: TAG,
    access: 'catalog.manage',
    params: idParams,
    body: updateTaxCategoryInput,
    response: taxCategory,
  }),
  deleteTaxCategory: endpoint({
    method: 'DELETE',
    path: '/tax-categories/:id',
    summary: 'Delete a tax category no product uses',
    tag: TAG,
    access: 'catalog.manage',
    params: idParams,
    response: okResponse,
  }),
  listCategories: endpoint({
    method: 'GET',
    path: '/categories',
    summary: 'List product categories',
    tag: TAG,
    access: 'catalog.read',
    response: list(category),
  }),
  getCategory: endpoint({
    method: 'GET',
    path: '/categories/:id',
    summary: 'Get a product category',
    tag: TAG,
    access: 'catalog.read',
    params: idParams,
    response: category,
  }),
  createCategory: endpoint({
    method: 'POST',
    path: '/categories',
    summary: 'Create a product category',
    tag: TAG,
    access: 'catalog.manage',
    body: createCategoryInput,
    response: category,
    status: 201,
  }),
  updateCategory: endpoint({
    method: 'PATCH',
    path: '/categories/:id',
    summary: 'Rename or move a product category',
    tag: TAG,
    access: 'catalog.manage',
    params: idParams,
    body: updateCategoryInput,
    response: category,
  }),
  deleteCategory: endpoint({
    method: 'DELETE',
    path: '/categories/:id',
    summary: 'Delete a product category with no products and no subcategories',
    tag: TAG,
    access: 'catalog.manage',
    params: idParams,
    response: okResponse,
  }),
  listProducts: endpoint({
    method: 'GET',
    path: '/products',
    summary: 'List and search products (name, SKU prefix, barcode prefix), cursor-paginated',
    tag: TAG,
    access: 'catalog.read',
    query: productListQuery,
    response: page(product),
  }),
  getProduct: endpoint({
    method: 'GET',
    path: '/products/:id',
    summary: 'Get a product with its barcodes',
    tag: TAG,
    access: 'catalog.read',
    params: idParams,
    response: product,
  }),
  createProduct: endpoint({
    method: 'POST',
    path: '/products',
    summary: 'Create a product with its barcodes',
    tag: TAG,
    access: 'catalog.manage',
    body: createProductInput,
    response: product,
    status: 201,
  }),
  updateProduct: endpoint({
    method: 'PATCH',
    path: '/products/:id',
    summary: 'Update a product; `barcodes` replaces its barcodes',
    tag: TAG,
    access: 'catalog.manage',
    params: idParams,
    body: updateProductInput,
    response: product,
  }),
  deactivateProduct: endpoint({
    method: 'DELETE',
    path: '/products/:id',
    summary: 'Deactivate a product (it stays for history)',
    tag: TAG,
    access: 'catalog.manage',
    params: idParams,
    response: product,
  }),
  addProductBarcode: endpoint({
    method: 'POST',
    path: '/products/:id/barcodes',
    summary: 'Add a barcode to a product',
    tag: TAG,
    access: 'catalog.manage',
    params: idParams,
    body: barcodeInput,
    response: product,
    status: 201,
  }),
  removeProductBarcode: endpoint({
    method: 'DELETE',
    path: '/products/:id/barcodes/:code',
    summary: 'Remove a barcode from a product',
    tag: TAG,
    access: 'catalog.manage',
    params: productBarcodeParams,
    response: product,
  }),
  resolveBarcode: endpoint({
    method: 'GET',
    path: '/barcodes/:code',
    summary: 'Resolve a scanned code (product barcode or weighted EAN-13 label) into product and quantity',
    tag: TAG,
    access: 'catalog.read',
    params: scannedCodeParams,
    response: barcodeResolution,
  }),
};
