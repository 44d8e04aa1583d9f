import { type Selectable, sql } from 'kysely';
import type { Transfer, TransferStatus } from '@zakpos/contracts';
import type { Tx } from '../db/database.js';
import type { TransferLinesTable, TransfersTable } from './inventory.tables.js';

export type TransferRow = Selectable<TransfersTable>;
type LineRow = Selectable<TransferLinesTable>;

export async function insertTransfer(
  tx: Tx,
  tenantId: string,
  t: {
    id: string;
    fromStoreId: string;
    toStoreId: string;
    note: string | null;
    sentBy: string;
  },
  lines: readonly { productId: string; quantity: number }[],
): Promise<TransferRow> {
  const row = await tx
    .insertInto('transfers')
    .values({
      tenant_id: tenantId,
      id: t.id,
      from_store_id: t.fromStoreId,
      to_store_id: t.toStoreId,
      status: 'in_transit',
      note: t.note,
      sent_by: t.sentBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await tx
    .insertInto('transfer_lines')
    .values(
      lines.map((l) => ({
        tenant_id: tenantId,
        transfer_id: t.id,
        product_id: l.productId,
        quantity: l.quantity,
      })),
    )
    .execute();
  return row;
}

export function findTransfer(tx: Tx, tenantId: string, id: string): Promise<TransferRow | undefined> {
  return tx
    .selectFrom('transfers')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Marks an in-transit transfer received; undefined when it was not in transit (e.g. a second receive). */
export function markReceived(
  tx: Tx,
  tenantId: string,
  id: string,
  userId: string,
): Promise<TransferRow | undefined> {
  return tx
    .updateTable('transfers')
    .set({ status: 'received', received_by: userId, received_at: sql<Date>`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('status', '=', 'in_transit')
    .returningAll()
    .executeTakeFirst();
}

export function listTransfers(
  tx: Tx,
  tenantId: string,
  o: { status?: TransferStatus; storeIds?: readonly string[]; beforeSeq?: number; limit: number },
): Promise<TransferRow[]> {
  let q = tx
    .selectFrom('transfers')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('seq', 'desc')
    .limit(o.limit);
  if (o.status !== undefined) q = q.where('status', '=', o.status);
  if (o.beforeSeq !== undefined) q = q.where('seq', '<', o.beforeSeq);
  const storeIds = o.storeIds;
  if (storeIds !== undefined) {
    if (storeIds.length === 0) return Promise.resolve([]);
    q = q.where((eb) => eb.or([eb('from_store_id', 'in', storeIds), eb('to_store_id', 'in', storeIds)]));
  }
  return q.execute();
}

export async function linesOf(
  tx: Tx,
  tenantId: string,
  transferIds: string[],
): Promise<Map<string, LineRow[]>> {
  const byTransfer = new Map<string, LineRow[]>(transferIds.map((id) => [id, []]));
  if (transferIds.length === 0) return byTransfer;
  const rows = await tx
    .selectFrom('transfer_lines')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('transfer_id', 'in', transferIds)
    .orderBy('transfer_id')
    .orderBy('product_id')
    .execute();
  for (const row of rows) byTransfer.get(row.transfer_id)?.push(row);
  return byTransfer;
}

export const toTransfer = (row: TransferRow, lines: readonly LineRow[]): Transfer => ({
  id: row.id,
  fromStoreId: row.from_store_id,
  toStoreId: row.to_store_id,
  status: row.status,
  note: row.note,
  sentBy: row.sent_by,
  sentAt: row.sent_at.toISOString(),
  receivedBy: row.received_by,
  receivedAt: row.received_at ? row.received_at.toISOString() : null,
  lines: lines.map((l) => ({ productId: l.product_id, quantity: l.quantity })),
});
