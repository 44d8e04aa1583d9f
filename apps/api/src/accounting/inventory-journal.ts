import type { TenantScope } from '../common/context/request-context.js';
import type { Tx } from '../db/database.js';
import { productsByIds } from '../catalog/catalog-read.port.js';
import type { MovementRow } from '../inventory/stock-ledger.js';
import type { AccountPurpose } from './accounting.tables.js';
import { stockValue } from './money.js';
import { postedBalance, postJournalEntry } from './journal-posting.js';

/**
 * The journal side of stock movements, at the product's current cost, posted in the movements' own
 * unit of work. A level's value is stockValue(on hand, cost); a movement posts the change of its
 * level's value (value after − value before), so rounding of weighed goods never accumulates and the
 * inventory account equals Σ stockValue(on hand, cost) as long as costs do not change (a cost change is
 * not revalued: GET /accounting/inventory-check shows the difference).
 *
 * Lines that come to zero (a product without a cost) are left out; an entry whose lines all come to zero
 * is not posted at all (an entry needs two non-zero lines), so such a source simply has no entry.
 */

interface SignedLine {
  purpose: AccountPurpose;
  storeId: string | null;
  /** Debit positive, credit negative. */
  amount: number;
}

/** Received stock is owed to a supplier until purchasing (later) matches an invoice; the rest is shrinkage. */
const adjustmentCounterpart = (reasonCode: MovementRow['reason_code']): AccountPurpose =>
  reasonCode === 'received' ? 'goods_received_not_invoiced' : 'inventory_shrinkage';

/** Adjustments and count variances: Dr/Cr inventory per store against the reason's account. */
export async function postStockAdjustmentEntry(
  tx: Tx,
  scope: TenantScope,
  source: { sourceType: 'stock_adjustment' | 'stock_count'; sourceId: string; memo: string },
  movements: readonly MovementRow[],
): Promise<void> {
  const values = await levelValueChanges(tx, scope, movements);
  const lines = values.flatMap((v): SignedLine[] => [
    { purpose: 'inventory', storeId: v.storeId, amount: v.value },
    { purpose: adjustmentCounterpart(v.reasonCode), storeId: v.storeId, amount: -v.value },
  ]);
  await postNetted(tx, scope, source, lines);
}

/** A sent transfer: the stock leaves the source store's inventory for inventory in transit. */
export async function postTransferSentEntry(
  tx: Tx,
  scope: TenantScope,
  transferId: string,
  movements: readonly MovementRow[],
): Promise<void> {
  const values = await levelValueChanges(tx, scope, movements);
  const lines = values.flatMap((v): SignedLine[] => [
    { purpose: 'inventory', storeId: v.storeId, amount: v.value },
    { purpose: 'inventory_in_transit', storeId: null, amount: -v.value },
  ]);
  await postNetted(
    tx,
    scope,
    { sourceType: 'transfer_send', sourceId: transferId, memo: 'Transfer sent' },
    lines,
  );
}

/**
 * A received transfer: in transit is cleared of exactly what the send put there, the destination's
 * inventory gains its levels' value change, and what differs (rounding of weighed goods, or a cost
 * changed while in transit) goes to shrinkage and adjustments at the destination.
 */
export async function postTransferReceivedEntry(
  tx: Tx,
  scope: TenantScope,
  transfer: { id: string; toStoreId: string },
  movements: readonly MovementRow[],
): Promise<void> {
  const values = await levelValueChanges(tx, scope, movements);
  // What the send of this transfer debited to inventory in transit (0 if it posted nothing).
  const sent = await postedBalance(
    tx,
    scope,
    { sourceType: 'transfer_send', sourceId: transfer.id },
    'inventory_in_transit',
  );
  const received = values.reduce((sum, v) => sum + v.value, 0);
  const lines: SignedLine[] = [
    ...values.map((v) => ({ purpose: 'inventory' as const, storeId: v.storeId, amount: v.value })),
    { purpose: 'inventory_in_transit', storeId: null, amount: -sent },
    { purpose: 'inventory_shrinkage', storeId: transfer.toStoreId, amount: sent - received },
  ];
  await postNetted(
    tx,
    scope,
    { sourceType: 'transfer_receive', sourceId: transfer.id, memo: 'Transfer received' },
    lines,
  );
}

export interface LevelValueChange {
  storeId: string;
  productId: string;
  reasonCode: MovementRow['reason_code'];
  value: number;
}

/**
 * Per store, product and reason code: the change of the level's value these movements made. Read after
 * postMovements, in the same transaction: the trigger's upsert holds each level's row lock until commit,
 * so on hand is this transaction's result. `known`: the products' costs, when the caller has them.
 */
export async function levelValueChanges(
  tx: Tx,
  scope: TenantScope,
  movements: readonly MovementRow[],
  known?: ReadonlyMap<string, { cost: number }>,
): Promise<LevelValueChange[]> {
  if (movements.length === 0) return [];
  const products =
    known ??
    (await productsByIds(
      tx,
      scope,
      movements.map((m) => m.product_id),
    ));
  const levels = await tx
    .selectFrom('stock_levels')
    .select(['store_id', 'product_id', 'on_hand'])
    .where('tenant_id', '=', scope.tenantId)
    .where('store_id', 'in', [...new Set(movements.map((m) => m.store_id))])
    .where('product_id', 'in', [...new Set(movements.map((m) => m.product_id))])
    .execute();
  const onHand = new Map(levels.map((l) => [`${l.store_id}/${l.product_id}`, l.on_hand]));

  const moved = new Map<string, { storeId: string; productId: string; quantity: number }>();
  for (const m of movements) {
    const key = `${m.store_id}/${m.product_id}`;
    const level = moved.get(key) ?? { storeId: m.store_id, productId: m.product_id, quantity: 0 };
    level.quantity += m.quantity;
    moved.set(key, level);
  }
  const changes: LevelValueChange[] = [];
  for (const [key, level] of moved) {
    const cost = products.get(level.productId)?.cost ?? 0;
    const after = onHand.get(key) ?? 0;
    const value = stockValue(after, cost) - stockValue(after - level.quantity, cost);
    // One source posts one reason code per level (an adjustment, a count, a transfer).
    const reasonCode = movements.find((m) => `${m.store_id}/${m.product_id}` === key)!.reason_code;
    if (value !== 0) changes.push({ storeId: level.storeId, productId: level.productId, reasonCode, value });
  }
  return changes;
}

/** Nets the lines per account and store, drops those that come to zero, and posts what is left. */
async function postNetted(
  tx: Tx,
  scope: TenantScope,
  source: { sourceType: string; sourceId: string; memo: string },
  lines: readonly SignedLine[],
): Promise<void> {
  const net = new Map<string, SignedLine>();
  for (const l of lines) {
    const key = `${l.purpose}/${l.storeId ?? ''}`;
    const sum = net.get(key) ?? { ...l, amount: 0 };
    sum.amount += l.amount;
    net.set(key, sum);
  }
  const kept = [...net.values()].filter((l) => l.amount !== 0);
  if (kept.length === 0) return;
  await postJournalEntry(tx, scope, {
    ...source,
    lines: kept.map((l) => ({
      purpose: l.purpose,
      storeId: l.storeId,
      ...(l.amount > 0 ? { debit: l.amount } : { credit: -l.amount }),
    })),
  });
}
