import type { Insertable, Selectable } from 'kysely';
import type { Tx } from '../db/database.js';
import type { PaymentMethodsTable } from '../sales/sales.tables.js';

export type PaymentMethodRow = Selectable<PaymentMethodsTable>;

export function listPaymentMethods(
  tx: Tx,
  tenantId: string,
  filter: { active?: boolean },
): Promise<PaymentMethodRow[]> {
  let q = tx.selectFrom('payment_methods').selectAll().where('tenant_id', '=', tenantId);
  if (filter.active !== undefined) q = q.where('active', '=', filter.active);
  return q.orderBy('name').orderBy('code').execute();
}

export function findPaymentMethodForUpdate(
  tx: Tx,
  tenantId: string,
  id: string,
): Promise<PaymentMethodRow | undefined> {
  return tx
    .selectFrom('payment_methods')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function paymentMethodIdByCode(
  tx: Tx,
  tenantId: string,
  code: string,
): Promise<string | undefined> {
  const row = await tx
    .selectFrom('payment_methods')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('code', '=', code)
    .executeTakeFirst();
  return row?.id;
}

export function insertPaymentMethod(tx: Tx, row: Insertable<PaymentMethodsTable>): Promise<PaymentMethodRow> {
  return tx.insertInto('payment_methods').values(row).returningAll().executeTakeFirstOrThrow();
}

export function updatePaymentMethod(
  tx: Tx,
  tenantId: string,
  id: string,
  changes: { name?: string; active?: boolean },
): Promise<PaymentMethodRow> {
  return tx
    .updateTable('payment_methods')
    .set(changes)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
