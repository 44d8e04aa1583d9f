import { z } from 'zod';
import { idParams, label, page, pageQuery, uuid } from './common.schema.js';
import { endpoint } from './endpoint.js';

const TAG = 'inventory';

// ---------------------------------------------------------------------------------------------
// Quantities

/**
 * Stock quantities are integers in thousandths: 1000 = one unit (products sold 'each') or one kg.
 * Products sold 'each' move in whole units (multiples of 1000); the API checks that per product.
 */
export const QUANTITY_SCALE = 1000;
/** The largest quantity one line may carry: a billion units or kilograms. */
export const MAX_LINE_QUANTITY = 1_000_000_000_000;

export const stockQuantity = z.number().int().min(-MAX_LINE_QUANTITY).max(MAX_LINE_QUANTITY);
export const positiveStockQuantity = z.number().int().min(1).max(MAX_LINE_QUANTITY);
export const countedQuantity = z.number().int().min(0).max(MAX_LINE_QUANTITY);

const productUnit = z.enum(['each', 'kg']);

const note = label(500);

/** Reports a repeated productId at `<path>.<i>.productId`. */
const uniqueProducts =
  (path: string) => (lines: { productId: string }[], ctx: z.RefinementCtx<{ productId: string }[]>) => {
    const seen = new Set<string>();
    lines.forEach((line, i) => {
      if (seen.has(line.productId)) {
        ctx.addIssue({ code: 'custom', path: [i, 'productId'], message: `duplicate product in ${path}` });
      }
      seen.add(line.productId);
    });
  };

// ---------------------------------------------------------------------------------------------
// Movements and adjustments

export const movementReasons = ['adjustment', 'transfer_out', 'transfer_in', 'sale', 'refund'] as const;
export const movementReason = z.enum(movementReasons);
export type MovementReason = z.infer<typeof movementReason>;

export const adjustmentReasonCodes = [
  'received',
  'damaged',
  'lost',
  'theft',
  'expired',
  'correction',
  'count',
] as const;
export const adjustmentReasonCode = z.enum(adjustmentReasonCodes);
export type AdjustmentReasonCode = z.infer<typeof adjustmentReasonCode>;

/** Which sign a reason code's quantities must have: goods in, goods out, or either. */
export const reasonCodeSign: Record<AdjustmentReasonCode, 'positive' | 'negative' | 'any'> = {
  received: 'positive',
  damaged: 'negative',
  lost: 'negative',
  theft: 'negative',
  expired: 'negative',
  correction: 'any',
  count: 'any',
};

/** The codes an adjustment may carry: 'count' is posted only by completing a count sheet. */
export const manualAdjustmentReasonCode = adjustmentReasonCode.exclude(['count'], {
  error:
    'must be one of received, damaged, lost, theft, expired, correction (count comes from completing a count)',
});

export const movementReferenceType = z.enum(['adjustment', 'transfer', 'count', 'sale', 'refund']);

export const stockMovement = z.object({
  id: uuid,
  storeId: uuid,
  productId: uuid,
  /** Signed thousandths: positive in, negative out. */
  quantity: z.number().int(),
  reason: movementReason,
  /** Set for adjustments only. */
  reasonCode: adjustmentReasonCode.nullable(),
  referenceType: movementReferenceType.nullable(),
  referenceId: uuid.nullable(),
  note: z.string().nullable(),
  userId: uuid.nullable(),
  createdAt: z.iso.datetime(),
});
export type StockMovement = z.infer<typeof stockMovement>;

export const adjustmentLine = z.strictObject({
  productId: uuid,
  /** Signed thousandths, never zero. */
  quantity: stockQuantity.refine((q) => q !== 0, 'must not be zero'),
});

export const createAdjustmentInput = z
  .strictObject({
    reasonCode: manualAdjustmentReasonCode,
    note: note.optional(),
    lines: z.array(adjustmentLine).min(1).max(500).superRefine(uniqueProducts('lines')),
  })
  .superRefine((input, ctx) => {
    const sign = reasonCodeSign[input.reasonCode];
    input.lines.forEach((line, i) => {
      if (sign === 'positive' && line.quantity < 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['lines', i, 'quantity'],
          message: `must be positive for ${input.reasonCode}`,
        });
      }
      if (sign === 'negative' && line.quantity > 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['lines', i, 'quantity'],
          message: `must be negative for ${input.reasonCode}`,
        });
      }
    });
  });
export type CreateAdjustmentInput = z.infer<typeof createAdjustmentInput>;

export const stockAdjustment = z.object({
  /** Groups the adjustment's movements (their referenceId). */
  id: uuid,
  storeId: uuid,
  reasonCode: adjustmentReasonCode,
  note: z.string().nullable(),
  movements: z.array(stockMovement),
});
export type StockAdjustment = z.infer<typeof stockAdjustment>;

export const movementQuery = pageQuery.extend({
  productId: uuid.optional(),
  reason: movementReason.optional(),
});
export type MovementQuery = z.infer<typeof movementQuery>;

export const movementPage = page(stockMovement);

// ---------------------------------------------------------------------------------------------
// Stock levels

export const stockStoreParams = z.strictObject({ storeId: uuid });
export type StockStoreParams = z.infer<typeof stockStoreParams>;

export const stockProductParams = z.strictObject({ storeId: uuid, productId: uuid });
export type StockProductParams = z.infer<typeof stockProductParams>;

export const stockLevel = z.object({
  productId: uuid,
  sku: z.string(),
  name: z.string(),
  unit: productUnit,
  active: z.boolean(),
  /** Thousandths; negative only in stores that allow overselling. */
  onHand: z.number().int(),
  lowStockThreshold: z.number().int().nullable(),
  /** Sent to this store by transfers not yet received, in thousandths. */
  inTransit: z.number().int(),
  /** Last change of the level; null when the product never had stock here. */
  updatedAt: z.iso.datetime().nullable(),
});
export type StockLevel = z.infer<typeof stockLevel>;

export const stockLevelQuery = pageQuery.extend({ productId: uuid.optional() });
export type StockLevelQuery = z.infer<typeof stockLevelQuery>;

export const stockLevelPage = page(stockLevel);

export const lowStockQuery = pageQuery;
export type LowStockQuery = z.infer<typeof lowStockQuery>;

export const setThresholdInput = z.strictObject({
  /** Alert when on hand is at or below this many thousandths; null removes the alert. */
  lowStockThreshold: countedQuantity.nullable(),
});
export type SetThresholdInput = z.infer<typeof setThresholdInput>;

// ---------------------------------------------------------------------------------------------
// Transfers

export const transferStatus = z.enum(['in_transit', 'received']);
export type TransferStatus = z.infer<typeof transferStatus>;

export const transferLine = z.strictObject({ productId: uuid, quantity: positiveStockQuantity });

export const createTransferInput = z
  .strictObject({
    fromStoreId: uuid,
    toStoreId: uuid,
    note: note.optional(),
    lines: z.array(transferLine).min(1).max(500).superRefine(uniqueProducts('lines')),
  })
  .refine((t) => t.fromStoreId !== t.toStoreId, {
    path: ['toStoreId'],
    message: 'must differ from fromStoreId',
  });
export type CreateTransferInput = z.infer<typeof createTransferInput>;

export const transfer = z.object({
  id: uuid,
  fromStoreId: uuid,
  toStoreId: uuid,
  status: transferStatus,
  note: z.string().nullable(),
  sentBy: uuid.nullable(),
  sentAt: z.iso.datetime(),
  receivedBy: uuid.nullable(),
  receivedAt: z.iso.datetime().nullable(),
  lines: z.array(z.object({ productId: uuid, quantity: z.number().int() })),
});
export type Transfer = z.infer<typeof transfer>;

export const transferQuery = pageQuery.extend({
  status: transferStatus.optional(),
  /** Transfers from or to this store. */
  storeId: uuid.optional(),
});
export type TransferQuery = z.infer<typeof transferQuery>;

export const transferPage = page(transfer);

// ---------------------------------------------------------------------------------------------
// Stock counts

export const stockCountStatus = z.enum(['open', 'completed']);
export type StockCountStatus = z.infer<typeof stockCountStatus>;

export const openCountInput = z.strictObject({
  /** Count only these products; omitted: every active product and any product with stock here. */
  productIds: z
    .array(uuid)
    .min(1)
    .max(1000)
    .superRefine((ids, ctx) => {
      const seen = new Set<string>();
      ids.forEach((id, i) => {
        if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [i], message: 'duplicate product' });
        seen.add(id);
      });
    })
    .optional(),
  note: note.optional(),
});
export type OpenCountInput = z.infer<typeof openCountInput>;

export const countLineInput = z.strictObject({ productId: uuid, counted: countedQuantity });

export const recordCountLinesInput = z.strictObject({
  lines: z.array(countLineInput).min(1).max(1000).superRefine(uniqueProducts('lines')),
});
export type RecordCountLinesInput = z.infer<typeof recordCountLinesInput>;

export const stockCountLine = z.object({
  productId: uuid,
  sku: z.string(),
  name: z.string(),
  unit: productUnit,
  /** On hand when the product joined the sheet. */
  expected: z.number().int(),
  counted: z.number().int().nullable(),
  /**
   * Completed: the variance posted (counted − on hand at completion). Open: what completing now
   * would post. Null while not counted (uncounted lines post nothing).
   */
  variance: z.number().int().nullable(),
});

export const stockCountSummary = z.object({
  id: uuid,
  storeId: uuid,
  status: stockCountStatus,
  note: z.string().nullable(),
  openedBy: uuid.nullable(),
  openedAt: z.iso.datetime(),
  completedBy: uuid.nullable(),
  completedAt: z.iso.datetime().nullable(),
});
export type StockCountSummary = z.infer<typeof stockCountSummary>;

export const stockCount = stockCountSummary.extend({ lines: z.array(stockCountLine) });
export type StockCount = z.infer<typeof stockCount>;

export const countQuery = pageQuery.extend({ status: stockCountStatus.optional() });
export type CountQuery = z.infer<typeof countQuery>;

export const stockCountPage = page(stockCountSummary);

// ---------------------------------------------------------------------------------------------

export const inventoryEndpoints = {
  listStock: endpoint({
    method: 'GET',
    path: '/stores/:storeId/stock',
    summary: "A store's stock per product (by SKU), with quantities in transit to it",
    tag: TAG,
    access: 'inventory.read',
    params: stockStoreParams,
    query: stockLevelQuery,
    response: stockLevelPage,
  }),
  listLowStock: endpoint({
    method: 'GET',
    path: '/stores/:storeId/stock/low',
    summary: 'Products at or below their low-stock threshold in a store',
    tag: TAG,
    access: 'inventory.read',
    params: stockStoreParams,
    query: lowStockQuery,
    response: stockLevelPage,
  }),
  listMovements: endpoint({
    method: 'GET',
    path: '/stores/:storeId/stock/movements',
    summary: "A store's stock movements, newest first",
    tag: TAG,
    access: 'inventory.read',
    params: stockStoreParams,
    query: movementQuery,
    response: movementPage,
  }),
  createAdjustment: endpoint({
    method: 'POST',
    path: '/stores/:storeId/stock/adjustments',
    summary: 'Adjust stock with a reason code (one movement per line, all or nothing)',
    tag: TAG,
    access: 'inventory.adjust',
    params: stockStoreParams,
    body: createAdjustmentInput,
    response: stockAdjustment,
    status: 201,
  }),
  setLowStockThreshold: endpoint({
    method: 'PUT',
    path: '/stores/:storeId/stock/:productId/threshold',
    summary: "Set or clear a product's low-stock threshold in a store",
    tag: TAG,
    access: 'inventory.adjust',
    params: stockProductParams,
    body: setThresholdInput,
    response: stockLevel,
  }),
  sendTransfer: endpoint({
    method: 'POST',
    path: '/transfers',
    summary: 'Send stock to another store (taken from the source now, in transit until received)',
    tag: TAG,
    access: 'inventory.transfer',
    body: createTransferInput,
    response: transfer,
    status: 201,
  }),
  receiveTransfer: endpoint({
    method: 'POST',
    path: '/transfers/:id/receive',
    summary: 'Receive a transfer at its destination',
    tag: TAG,
    access: 'inventory.transfer',
    params: idParams,
    response: transfer,
  }),
  listTransfers: endpoint({
    method: 'GET',
    path: '/transfers',
    summary: 'Transfers from or to the caller’s stores, newest first',
    tag: TAG,
    access: 'inventory.read',
    query: transferQuery,
    response: transferPage,
  }),
  getTransfer: endpoint({
    method: 'GET',
    path: '/transfers/:id',
    summary: 'One transfer',
    tag: TAG,
    access: 'inventory.read',
    params: idParams,
    response: transfer,
  }),
  openCount: endpoint({
    method: 'POST',
    path: '/stores/:storeId/counts',
    summary: 'Open a stock count sheet (expected quantities snapshotted)',
    tag: TAG,
    access: 'inventory.count',
    params: stockStoreParams,
    body: openCountInput,
    response: stockCount,
    status: 201,
  }),
  listCounts: endpoint({
    method: 'GET',
    path: '/stores/:storeId/counts',
    summary: "A store's stock counts, newest first",
    tag: TAG,
    access: 'inventory.count',
    params: stockStoreParams,
    query: countQuery,
    response: stockCountPage,
  }),
  getCount: endpoint({
    method: 'GET',
    path: '/counts/:id',
    summary: 'One stock count with its lines and variances',
    tag: TAG,
    access: 'inventory.count',
    params: idParams,
    response: stockCount,
  }),
  recordCountLines: endpoint({
    method: 'PUT',
    path: '/counts/:id/lines',
    summary: 'Record counted quantities (products not yet on the sheet are added)',
    tag: TAG,
    access: 'inventory.count',
    params: idParams,
    body: recordCountLinesInput,
    response: stockCount,
  }),
  completeCount: endpoint({
    method: 'POST',
    path: '/counts/:id/complete',
    summary: 'Complete a count: post counted − on hand as count adjustments',
    tag: TAG,
    access: 'inventory.count',
    params: idParams,
    response: stockCount,
  }),
};
