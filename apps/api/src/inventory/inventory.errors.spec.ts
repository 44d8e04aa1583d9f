import { describe, expect, it } from 'vitest';
import { SqlState } from '../db/pg-error.js';
import { insufficientStock, refusedMovement } from './inventory.errors.js';

describe('the oversell refusal raised by the movement trigger', () => {
  const detail = { storeId: 's', productId: 'p', available: 2000, requested: 3000 };

  it('is recognised by its SQLSTATE and parsed from its detail', () => {
    expect(refusedMovement({ code: SqlState.INSUFFICIENT_STOCK, detail: JSON.stringify(detail) })).toEqual(
      detail,
    );
    expect(refusedMovement({ code: '23514', detail: JSON.stringify(detail) })).toBeUndefined();
    expect(refusedMovement(new Error('boom'))).toBeUndefined();
    expect(refusedMovement(null)).toBeUndefined();
  });

  it('becomes a 409 INSUFFICIENT_STOCK naming the product and the input field', () => {
    const err = insufficientStock(detail, 'lines.2.quantity');
    expect(err.code).toBe('INSUFFICIENT_STOCK');
    expect(err.message).toContain('product p');
    expect(err.fields).toEqual({ 'lines.2.quantity': [expect.stringContaining('2000 available')] });
  });
});
