import { describe, expect, it } from 'vitest';
import { Database } from '../db/database.js';
import { useApiHarness } from '../test/api-harness.js';
import { createTenant } from '../test/fixtures.js';
import { basisPointsToPpm, productsByIds, taxRatesByCategory } from './catalog-read.port.js';

describe('the catalog read port', () => {
  const api = useApiHarness();

  async function tenantWithProduct() {
    const t = await createTenant(api.app);
    const tax = await api.call(t, 'owner', 'POST', '/tax-categories', {
      name: 'GST + QST',
      rates: [
        { name: 'GST', rateBp: 500 },
        { name: 'QST', rateBp: 998 },
      ],
    });
    const product = await api.call(t, 'owner', 'POST', '/products', {
      sku: 'PORT-1',
      name: 'Maple syrup',
      price: 1299,
      cost: 700,
      taxCategoryId: tax.json().id,
    });
    expect(product.statusCode).toBe(201);
    return { t, taxCategoryId: tax.json().id as string, productId: product.json().id as string };
  }

  it('reads products by id and tax rates in parts per million, in their order, inside one unit', async () => {
    const { t, taxCategoryId, productId } = await tenantWithProduct();
    const other = await tenantWithProduct();
    const db = api.app.get(Database);
    const { products, rates } = await db.tenant(t, async (tx) => ({
      products: await productsByIds(tx, t, [productId, other.productId, productId]),
      rates: await taxRatesByCategory(tx, t, [taxCategoryId, other.taxCategoryId]),
    }));
    expect([...products.keys()]).toEqual([productId]);
    expect(products.get(productId)).toEqual({
      id: productId,
      sku: 'PORT-1',
      name: 'Maple syrup',
      unit: 'each',
      active: true,
      price: 1299,
      cost: 700,
      taxCategoryId,
      categoryId: null,
    });
    expect(rates.get(taxCategoryId)).toEqual([
      { code: 'GST', ratePpm: 50_000 },
      { code: 'QST', ratePpm: 99_800 },
    ]);
    // Another tenant's category is named but has no rates visible here.
    expect(rates.get(other.taxCategoryId)).toEqual([]);
  });

  it('converts basis points to parts per million exactly', () => {
    expect(basisPointsToPpm(2000)).toBe(200_000);
    expect(basisPointsToPpm(1)).toBe(100);
    expect(basisPointsToPpm(0)).toBe(0);
  });
});
