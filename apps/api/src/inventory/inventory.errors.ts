import { DomainError } from '../common/errors/domain-error.js';
import { pgError, SqlState } from '../db/pg-error.js';

interface RefusedMovement {
  storeId: string;
  productId: string;
  /** On hand before the refused movement, in thousandths. */
  available: number;
  requested: number;
}

/** The trigger's refusal, parsed; undefined for any other error. */
export function refusedMovement(e: unknown): RefusedMovement | undefined {
  const err = pgError(e);
  if (err?.code !== SqlState.INSUFFICIENT_STOCK) return undefined;
  try {
    return JSON.parse(String(err.detail)) as RefusedMovement;
  } catch {
    return undefined;
  }
}

export const insufficientStock = (refused: RefusedMovement, field?: string) =>
  new DomainError(
    'INSUFFICIENT_STOCK',
    `insufficient stock for product ${refused.productId}: ${refused.available} available, ${refused.requested} requested (thousandths)`,
    {
      [field ?? 'productId']: [
        `insufficient stock for product ${refused.productId} (${refused.available} available)`,
      ],
    },
  );

export const productNotFound = (productId: string, field: string) =>
  new DomainError('NOT_FOUND', `product ${productId} not found`, { [field]: ['product not found'] });

export const notWholeUnits = (field: string) =>
  DomainError.validation(field, 'must be whole units (a multiple of 1000) for a product sold each');

export const invalidCursor = () => DomainError.validation('cursor', 'invalid cursor');

export const transferNotInTransit = (status: string) =>
  new DomainError('INVALID_STATE', `the transfer is ${status.replace('_', ' ')}, not in transit`);

export const countNotOpen = () => new DomainError('INVALID_STATE', 'the count is already completed');
