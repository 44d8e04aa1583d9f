import type { Cart } from '@zakpos/contracts';
import { afterCommit, type Tx } from '../db/database.js';
import type { Broadcast } from './broadcast.js';

export const CART_UPDATED_EVENT = 'cart.updated';

/**
 * Pushes a cart's new state (what the REST answer carries) to its store's sockets once the unit of `tx` has
 * committed: a change that rolls back, or an attempt that is retried, pushes nothing.
 */
export function pushCartAfterCommit(tx: Tx, broadcast: Broadcast, tenantId: string, cart: Cart): Cart {
  afterCommit(tx, () => broadcast.toStore(tenantId, cart.storeId, CART_UPDATED_EVENT, cart));
  return cart;
}
