import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import type {
  BarcodeInput,
  CreateProductInput,
  Product,
  ProductListQuery,
  UpdateProductInput,
} from '@zakpos/contracts';
import { changes } from '../common/audit/audit-diff.js';
import { recordAudit } from '../common/audit/audit-log.js';
import type { RequestContext } from '../common/context/request-context.js';
import { DomainError, type FieldErrors } from '../common/errors/domain-error.js';
import { Cursors, cursorKind } from '../common/paging/cursor.js';
import { afterCommit, Database, type Tx } from '../db/database.js';
import { productChanged, productCreated } from '../events/catalog-events.js';
import { type NewEvent, recordEvents } from '../events/outbox.js';
import { equivalentCodes } from './barcode.js';
import { validateBarcodeInputs, type ValidBarcode } from './barcode-input.js';
import { LookupCache } from './lookup-cache.js';
import {
  barcodeTaken,
  invalidBarcodes,
  pluTaken,
  referenceNotFound,
  rethrowCatalogConflict,
  skuTaken,
} from './catalog.errors.js';
import { categoryExists } from './category.repository.js';
import {
  barcodeOwners,
  deleteBarcode,
  deleteBarcodesOf,
  findProduct,
  insertBarcodes,
  insertProduct,
  lockProduct,
  productIdByPlu,
  productIdBySku,
  type ProductRow,
  updateProduct,
} from './product.repository.js';
import { type ProductCursor, replaceSearchTerms, searchProducts } from './product-search.repository.js';
import { productTerms, queryWords } from './search-terms.js';
import { taxCategoryExists } from './tax-category.repository.js';

const productCursor = cursorKind('products', z.tuple([z.string().min(1).max(200), z.uuid()]));

@Injectable()
export class ProductService {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(Cursors) private readonly cursors: Cursors,
    @Inject(LookupCache) private readonly cache: LookupCache,
  ) {}

  get(ctx: RequestContext, id: string): Promise<Product> {
    return this.db.tenant(ctx, async (tx) => toProduct(await this.existing(tx, ctx.tenantId, id)));
  }

  list(
    ctx: RequestContext,
    query: ProductListQuery,
  ): Promise<{ items: Product[]; nextCursor: string | null }> {
    const after: ProductCursor | undefined =
      query.cursor === undefined ? undefined : this.afterCursor(ctx.tenantId, query.cursor);
    return this.db.tenant(ctx, async (tx) => {
      const rows = await searchProducts(tx, ctx.tenantId, {
        words: query.q === undefined ? [] : queryWords(query.q),
        active: query.active,
        categoryId: query.categoryId,
        after,
        limit: query.limit + 1,
      });
      return this.cursors.page(ctx.tenantId, productCursor, rows, query.limit, toProduct, (r) => [
        r.name,
        r.id,
      ]);
    });
  }

  private afterCursor(tenantId: string, cursor: string): ProductCursor {
    const [name, id] = this.cursors.decode(tenantId, productCursor, cursor);
    return { name, id };
  }

  create(ctx: RequestContext, input: CreateProductInput): Promise<Product> {
    const barcodes = validBarcodes(input.barcodes, (i) => `barcodes.${i}.code`);
    return this.db
      .tenant(ctx, async (tx) => {
        const t = ctx.tenantId;
        if (!(await taxCategoryExists(tx, t, input.taxCategoryId))) {
          throw referenceNotFound('taxCategoryId', 'tax category');
        }
        if (input.categoryId && !(await categoryExists(tx, t, input.categoryId))) {
          throw referenceNotFound('categoryId', 'category');
        }
        if (await productIdBySku(tx, t, input.sku)) throw skuTaken();
        if (input.plu && (await productIdByPlu(tx, t, input.plu))) throw pluTaken();
        await assertBarcodesFree(tx, t, barcodes, null);

        const id = randomUUID();
        await insertProduct(tx, {
          tenant_id: t,
          id,
          sku: input.sku,
          name: input.name,
          price: input.price,
          cost: input.cost,
          tax_category_id: input.taxCategoryId,
          category_id: input.categoryId,
          unit: input.unit,
          plu: input.plu,
          active: input.active,
        });
        await insertBarcodes(tx, barcodeRows(t, id, barcodes));
        const product = await this.reindexed(tx, t, id);
        await recordAudit(tx, ctx, {
          action: 'product.created',
          entityType: 'product',
          entityId: id,
          data: { product: auditable(product) },
        });
        await this.publish(tx, ctx, id, [productCreated(product)]);
        return product;
      })
      .catch(rethrowCatalogConflict(fieldsOf(barcodes)));
  }

  update(ctx: RequestContext, id: string, input: UpdateProductInput): Promise<Product> {
    const barcodes = input.barcodes && validBarcodes(input.barcodes, (i) => `barcodes.${i}.code`);
    return this.db
      .tenant(ctx, async (tx) => {
        const t = ctx.tenantId;
        const current = await lockProduct(tx, t, id);
        if (!current) throw DomainError.notFound('product');
        if (input.taxCategoryId !== undefined && !(await taxCategoryExists(tx, t, input.taxCategoryId))) {
          throw referenceNotFound('taxCategoryId', 'tax category');
        }
        if (input.categoryId && !(await categoryExists(tx, t, input.categoryId))) {
          throw referenceNotFound('categoryId', 'category');
        }
        if (
          input.sku !== undefined &&
          input.sku !== current.sku &&
          (await productIdBySku(tx, t, input.sku))
        ) {
          throw skuTaken();
        }
        if (input.plu && input.plu !== current.plu && (await productIdByPlu(tx, t, input.plu))) {
          throw pluTaken();
        }
        if (barcodes) await assertBarcodesFree(tx, t, barcodes, id);

        await updateProduct(tx, t, id, {
          sku: input.sku,
          name: input.name,
          price: input.price,
          cost: input.cost,
          tax_category_id: input.taxCategoryId,
          category_id: input.categoryId,
          unit: input.unit,
          plu: input.plu,
          active: input.active,
        });
        if (barcodes) {
          await deleteBarcodesOf(tx, t, id);
          await insertBarcodes(tx, barcodeRows(t, id, barcodes));
        }
        const product = await this.reindexed(tx, t, id);
        const changed = changes(auditable(toProduct(current)), auditable(product));
        // An update that changed nothing is neither audited nor published.
        if (Object.keys(changed).length) {
          await recordAudit(tx, ctx, {
            action: 'product.updated',
            entityType: 'product',
            entityId: id,
            data: { changes: changed },
          });
          await this.publish(tx, ctx, id, productChanged(current, product));
        }
        return product;
      })
      .catch(rethrowCatalogConflict(fieldsOf(barcodes ?? [])));
  }

  /** DELETE: products stay for the history of sales and stock; they are only deactivated. */
  deactivate(ctx: RequestContext, id: string): Promise<Product> {
    return this.db.tenant(ctx, async (tx) => {
      const current = await lockProduct(tx, ctx.tenantId, id);
      if (!current) throw DomainError.notFound('product');
      if (!current.active) return toProduct(current);
      await updateProduct(tx, ctx.tenantId, id, { active: false });
      await recordAudit(tx, ctx, {
        action: 'product.deactivated',
        entityType: 'product',
        entityId: id,
      });
      const product = await this.reindexed(tx, ctx.tenantId, id);
      await this.publish(tx, ctx, id, productChanged(current, product));
      return product;
    });
  }

  addBarcode(ctx: RequestContext, id: string, input: BarcodeInput): Promise<Product> {
    const barcodes = validBarcodes([input], () => 'code');
    return this.db
      .tenant(ctx, async (tx) => {
        const current = await lockProduct(tx, ctx.tenantId, id);
        if (!current) throw DomainError.notFound('product');
        await assertBarcodesFree(tx, ctx.tenantId, barcodes, null);
        await insertBarcodes(tx, barcodeRows(ctx.tenantId, id, barcodes));
        await recordAudit(tx, ctx, {
          action: 'product.barcode_added',
          entityType: 'product',
          entityId: id,
          data: { code: barcodes[0]!.code, symbology: barcodes[0]!.symbology },
        });
        const product = await this.reindexed(tx, ctx.tenantId, id);
        await this.publish(tx, ctx, id, productChanged(current, product));
        return product;
      })
      .catch(rethrowCatalogConflict(fieldsOf(barcodes)));
  }

  removeBarcode(ctx: RequestContext, id: string, code: string): Promise<Product> {
    return this.db.tenant(ctx, async (tx) => {
      const current = await lockProduct(tx, ctx.tenantId, id);
      if (!current) throw DomainError.notFound('product');
      if (!(await deleteBarcode(tx, ctx.tenantId, id, code))) throw DomainError.notFound('barcode');
      await recordAudit(tx, ctx, {
        action: 'product.barcode_removed',
        entityType: 'product',
        entityId: id,
        data: { code },
      });
      const product = await this.reindexed(tx, ctx.tenantId, id);
      await this.publish(tx, ctx, id, productChanged(current, product));
      return product;
    });
  }

  /**
   * Records the product's events and, once they committed, drops its cached lookups, so the next scan reads
   * the change (the catalog events drop them again in whichever process consumes them).
   */
  private async publish(tx: Tx, ctx: RequestContext, productId: string, events: NewEvent[]): Promise<void> {
    await recordEvents(tx, ctx, events);
    afterCommit(tx, async () => {
      await this.cache.invalidate(ctx.tenantId, [productId]);
    });
  }

  /** The product as written, with its rows in the search index rewritten to match. */
  private async reindexed(tx: Tx, tenantId: string, id: string): Promise<Product> {
    const product = toProduct(await this.existing(tx, tenantId, id));
    await replaceSearchTerms(tx, tenantId, product, productTerms(product));
    return product;
  }

  private async existing(tx: Tx, tenantId: string, id: string): Promise<ProductRow> {
    const row = await findProduct(tx, tenantId, id);
    if (!row) throw DomainError.notFound('product');
    return row;
  }
}

function validBarcodes(inputs: readonly BarcodeInput[], fieldOf: (i: number) => string): ValidBarcode[] {
  const { barcodes, errors } = validateBarcodeInputs(inputs, fieldOf);
  if (errors) throw invalidBarcodes(errors);
  return barcodes;
}

/** 409 BARCODE_TAKEN naming each field whose code (in any spelling) another product holds. */
async function assertBarcodesFree(
  tx: Tx,
  tenantId: string,
  barcodes: readonly ValidBarcode[],
  self: string | null,
) {
  const owners = await barcodeOwners(
    tx,
    tenantId,
    barcodes.flatMap((b) => equivalentCodes(b.code)),
  );
  const taken: FieldErrors = {};
  for (const b of barcodes) {
    const owner = equivalentCodes(b.code)
      .map((c) => owners.get(c))
      .find((o) => o !== undefined);
    if (owner !== undefined && owner !== self) taken[b.field] = ['already used by a product'];
  }
  if (Object.keys(taken).length) throw barcodeTaken(taken);
}

function barcodeRows(tenantId: string, productId: string, barcodes: readonly ValidBarcode[]) {
  return barcodes.map((b) => ({
    tenant_id: tenantId,
    product_id: productId,
    code: b.code,
    symbology: b.symbology,
  }));
}

function fieldsOf(barcodes: readonly ValidBarcode[]): string[] {
  return barcodes.map((b) => b.field);
}

/** What the audit log keeps of a product: everything but its timestamps. */
function auditable(p: Product): Omit<Product, 'createdAt' | 'updatedAt'> {
  const { createdAt: _c, updatedAt: _u, ...rest } = p;
  return rest;
}

export function toProduct(row: ProductRow): Product {
  return {
    id: row.id,
    sku: row.sku,
    name: row.name,
    price: row.price,
    cost: row.cost,
    taxCategoryId: row.tax_category_id,
    categoryId: row.category_id,
    unit: row.unit,
    plu: row.plu,
    active: row.active,
    barcodes: row.barcodes,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
