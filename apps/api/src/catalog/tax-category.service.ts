import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { CreateTaxCategoryInput, TaxCategory, UpdateTaxCategoryInput } from '@zakpos/contracts';
import { recordAudit } from '../common/audit/audit-log.js';
import type { RequestContext } from '../common/context/request-context.js';
import { DomainError } from '../common/errors/domain-error.js';
import { Database } from '../db/database.js';
import { nameTaken, rethrowCatalogConflict } from './catalog.errors.js';
import {
  deleteTaxCategory,
  findTaxCategory,
  insertTaxCategory,
  listTaxCategories,
  lockTaxCategory,
  renameTaxCategory,
  replaceTaxRates,
  taxCategoryIdByName,
  taxCategoryInUse,
  type TaxCategoryRow,
} from './tax-category.repository.js';

@Injectable()
export class TaxCategoryService {
  constructor(@Inject(Database) private readonly db: Database) {}

  list(ctx: RequestContext): Promise<TaxCategory[]> {
    return this.db.tenant(ctx, async (tx) => (await listTaxCategories(tx, ctx.tenantId)).map(toTaxCategory));
  }

  get(ctx: RequestContext, id: string): Promise<TaxCategory> {
    return this.db.tenant(ctx, async (tx) => {
      const row = await findTaxCategory(tx, ctx.tenantId, id);
      if (!row) throw DomainError.notFound('tax category');
      return toTaxCategory(row);
    });
  }

  create(ctx: RequestContext, input: CreateTaxCategoryInput): Promise<TaxCategory> {
    return this.db
      .tenant(ctx, async (tx) => {
        if (await taxCategoryIdByName(tx, ctx.tenantId, input.name)) throw nameTaken('tax category');
        const id = randomUUID();
        await insertTaxCategory(tx, { tenant_id: ctx.tenantId, id, name: input.name });
        await replaceTaxRates(tx, ctx.tenantId, id, input.rates);
        const created = toTaxCategory((await findTaxCategory(tx, ctx.tenantId, id))!);
        await recordAudit(tx, ctx, {
          action: 'tax_category.created',
          entityType: 'tax_category',
          entityId: id,
          data: { name: created.name, rates: created.rates },
        });
        return created;
      })
      .catch(rethrowCatalogConflict());
  }

  update(ctx: RequestContext, id: string, input: UpdateTaxCategoryInput): Promise<TaxCategory> {
    return this.db
      .tenant(ctx, async (tx) => {
        const before = await lockTaxCategory(tx, ctx.tenantId, id);
        if (!before) throw DomainError.notFound('tax category');
        if (input.name !== undefined && input.name !== before.name) {
          if (await taxCategoryIdByName(tx, ctx.tenantId, input.name)) throw nameTaken('tax category');
        }
        await renameTaxCategory(tx, ctx.tenantId, id, input.name);
        if (input.rates) await replaceTaxRates(tx, ctx.tenantId, id, input.rates);
        const after = toTaxCategory((await findTaxCategory(tx, ctx.tenantId, id))!);
        await recordAudit(tx, ctx, {
          action: 'tax_category.updated',
          entityType: 'tax_category',
          entityId: id,
          data: {
            before: { name: before.name, rates: toTaxCategory(before).rates },
            after: { name: after.name, rates: after.rates },
          },
        });
        return after;
      })
      .catch(rethrowCatalogConflict());
  }

  remove(ctx: RequestContext, id: string): Promise<{ ok: true }> {
    return this.db.tenant(ctx, async (tx) => {
      const row = await lockTaxCategory(tx, ctx.tenantId, id);
      if (!row) throw DomainError.notFound('tax category');
      if (await taxCategoryInUse(tx, ctx.tenantId, id)) {
        throw new DomainError('CONFLICT', 'the tax category is used by products');
      }
      await deleteTaxCategory(tx, ctx.tenantId, id);
      await recordAudit(tx, ctx, {
        action: 'tax_category.deleted',
        entityType: 'tax_category',
        entityId: id,
        data: { name: row.name, rates: toTaxCategory(row).rates },
      });
      return { ok: true as const };
    });
  }
}

function toTaxCategory(row: TaxCategoryRow): TaxCategory {
  return {
    id: row.id,
    name: row.name,
    rates: row.rates.map((r) => ({ name: r.name, rateBp: r.rate_bp })),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
