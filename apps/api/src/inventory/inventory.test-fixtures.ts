import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Database } from '../db/database.js';
import { checkedInject } from '../test/contract-check.js';

/** Test support: inventory tests insert their products directly, independent of the catalog API. */

export interface ProductSpec {
  unit?: 'each' | 'kg';
  active?: boolean;
}

/** Products (and a tax category for them) in the tenant; returns their ids in the order given. */
export async function createProducts(
  app: NestFastifyApplication,
  tenantId: string,
  specs: readonly ProductSpec[],
): Promise<string[]> {
  const ids = specs.map(() => randomUUID());
  const taxCategoryId = randomUUID();
  await app.get(Database).tenant({ tenantId }, async (tx) => {
    await tx
      .insertInto('tax_categories')
      .values({ tenant_id: tenantId, id: taxCategoryId, name: `VAT ${taxCategoryId.slice(0, 8)}` })
      .execute();
    await tx
      .insertInto('products')
      .values(
        specs.map((spec, i) => ({
          tenant_id: tenantId,
          id: ids[i]!,
          sku: `SKU-${ids[i]!.slice(0, 8)}`,
          name: `Product ${i + 1}`,
          price: 1000,
          tax_category_id: taxCategoryId,
          unit: spec.unit ?? 'each',
          active: spec.active ?? true,
        })),
      )
      .execute();
  });
  return ids;
}

export async function setOversellPolicy(
  app: NestFastifyApplication,
  tenantId: string,
  storeId: string,
  policy: 'allow_negative' | 'refuse',
): Promise<void> {
  await app
    .get(Database)
    .tenant({ tenantId }, (tx) =>
      tx
        .updateTable('stores')
        .set({ oversell_policy: policy })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', storeId)
        .execute(),
    );
}

/** `app.inject` as one user, checked against the contracts: `as(headers)('POST', url, body)`. */
export const as =
  (app: NestFastifyApplication, headers: Record<string, string>) =>
  (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
    checkedInject(app, {
      method,
      url,
      headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
