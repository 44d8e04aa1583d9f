import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Tx } from '../db/database.js';
import type { CategoriesTable } from './catalog.tables.js';

export type CategoryRow = Selectable<CategoriesTable>;

export function listCategories(tx: Tx, tenantId: string): Promise<CategoryRow[]> {
  return tx.selectFrom('categories').selectAll().where('tenant_id', '=', tenantId).orderBy('name').execute();
}

export function findCategory(tx: Tx, tenantId: string, id: string): Promise<CategoryRow | undefined> {
  return tx
    .selectFrom('categories')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function lockCategory(tx: Tx, tenantId: string, id: string): Promise<CategoryRow | undefined> {
  return tx
    .selectFrom('categories')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function categoryExists(tx: Tx, tenantId: string, id: string): Promise<boolean> {
  return (await findCategory(tx, tenantId, id)) !== undefined;
}

export async function categoryIdByName(tx: Tx, tenantId: string, name: string): Promise<string | undefined> {
  const row = await tx
    .selectFrom('categories')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('name', '=', name)
    .executeTakeFirst();
  return row?.id;
}

/** The ids of `id` and all its ancestors (parent, grandparent…). */
export async function ancestorIds(tx: Tx, tenantId: string, id: string): Promise<Set<string>> {
  const rows = await tx
    .withRecursive('chain(id, parent_id)', (qb) =>
      qb
        .selectFrom('categories')
        .select(['id', 'parent_id'])
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .union(
          qb
            .selectFrom('categories as c')
            .innerJoin('chain', 'chain.parent_id', 'c.id')
            .select(['c.id', 'c.parent_id'])
            .where('c.tenant_id', '=', tenantId),
        ),
    )
    .selectFrom('chain')
    .select('id')
    .execute();
  return new Set(rows.map((r) => r.id));
}

export async function categoryInUse(
  tx: Tx,
  tenantId: string,
  id: string,
): Promise<'products' | 'children' | null> {
  const product = await tx
    .selectFrom('products')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('category_id', '=', id)
    .limit(1)
    .executeTakeFirst();
  if (product) return 'products';
  const child = await tx
    .selectFrom('categories')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('parent_id', '=', id)
    .limit(1)
    .executeTakeFirst();
  return child ? 'children' : null;
}

export function insertCategory(tx: Tx, row: Insertable<CategoriesTable>): Promise<CategoryRow> {
  return tx.insertInto('categories').values(row).returningAll().executeTakeFirstOrThrow();
}

export function updateCategory(
  tx: Tx,
  tenantId: string,
  id: string,
  changes: Updateable<CategoriesTable>,
): Promise<CategoryRow> {
  return tx
    .updateTable('categories')
    .set(changes)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteCategory(tx: Tx, tenantId: string, id: string): Promise<void> {
  await tx.deleteFrom('categories').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}
