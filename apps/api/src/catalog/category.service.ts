import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Category, CreateCategoryInput, UpdateCategoryInput } from '@zakpos/contracts';
import type { RequestContext } from '../common/context/request-context.js';
import { DomainError } from '../common/errors/domain-error.js';
import { Database, type Tx } from '../db/database.js';
import { nameTaken, referenceNotFound, rethrowCatalogConflict } from './catalog.errors.js';
import {
  ancestorIds,
  categoryExists,
  categoryIdByName,
  categoryInUse,
  type CategoryRow,
  deleteCategory,
  findCategory,
  insertCategory,
  listCategories,
  lockCategory,
  updateCategory,
} from './category.repository.js';

/** Product categories: a tree by parentId. Not money-relevant, so not audited. */
@Injectable()
export class CategoryService {
  constructor(@Inject(Database) private readonly db: Database) {}

  list(ctx: RequestContext): Promise<Category[]> {
    return this.db.tenant(ctx, async (tx) => (await listCategories(tx, ctx.tenantId)).map(toCategory));
  }

  get(ctx: RequestContext, id: string): Promise<Category> {
    return this.db.tenant(ctx, async (tx) => {
      const row = await findCategory(tx, ctx.tenantId, id);
      if (!row) throw DomainError.notFound('category');
      return toCategory(row);
    });
  }

  create(ctx: RequestContext, input: CreateCategoryInput): Promise<Category> {
    return this.db
      .tenant(ctx, async (tx) => {
        if (await categoryIdByName(tx, ctx.tenantId, input.name)) throw nameTaken('category');
        const parentId = input.parentId ?? null;
        if (parentId && !(await categoryExists(tx, ctx.tenantId, parentId))) {
          throw referenceNotFound('parentId', 'parent category');
        }
        const row = await insertCategory(tx, {
          tenant_id: ctx.tenantId,
          id: randomUUID(),
          name: input.name,
          parent_id: parentId,
        });
        return toCategory(row);
      })
      .catch(rethrowCatalogConflict());
  }

  update(ctx: RequestContext, id: string, input: UpdateCategoryInput): Promise<Category> {
    return this.db
      .tenant(ctx, async (tx) => {
        const current = await lockCategory(tx, ctx.tenantId, id);
        if (!current) throw DomainError.notFound('category');
        if (input.name !== undefined && input.name !== current.name) {
          if (await categoryIdByName(tx, ctx.tenantId, input.name)) throw nameTaken('category');
        }
        if (input.parentId) await this.assertParentAllowed(tx, ctx.tenantId, id, input.parentId);
        const row = await updateCategory(tx, ctx.tenantId, id, {
          name: input.name,
          parent_id: input.parentId,
        });
        return toCategory(row);
      })
      .catch(rethrowCatalogConflict());
  }

  remove(ctx: RequestContext, id: string): Promise<{ ok: true }> {
    return this.db.tenant(ctx, async (tx) => {
      if (!(await lockCategory(tx, ctx.tenantId, id))) throw DomainError.notFound('category');
      const use = await categoryInUse(tx, ctx.tenantId, id);
      if (use) throw new DomainError('CONFLICT', `the category still has ${use}`);
      await deleteCategory(tx, ctx.tenantId, id);
      return { ok: true as const };
    });
  }

  /** The new parent must exist and must not be the category itself or one of its descendants. */
  private async assertParentAllowed(tx: Tx, tenantId: string, id: string, parentId: string): Promise<void> {
    const chain = await ancestorIds(tx, tenantId, parentId);
    if (chain.size === 0) throw referenceNotFound('parentId', 'parent category');
    if (chain.has(id)) {
      throw DomainError.validation(
        'parentId',
        'a category cannot be placed under itself or its subcategories',
      );
    }
  }
}

function toCategory(row: CategoryRow): Category {
  return { id: row.id, name: row.name, parentId: row.parent_id, createdAt: row.created_at.toISOString() };
}
