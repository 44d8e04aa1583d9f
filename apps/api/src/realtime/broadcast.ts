/**
 * Pushes one Socket.IO event to the sockets of a room, on every API replica: a store's (every user who may
 * see it) or a user's own. Best effort: never throws.
 */
export interface Broadcast {
  toStore(tenantId: string, storeId: string, event: string, data: unknown): void;
  toUser(tenantId: string, userId: string, event: string, data: unknown): void;
}

/** Nest injection token: this process's Broadcast, or null when it can reach no socket (a worker without Redis). */
export const BROADCAST = Symbol('BROADCAST');
export type BroadcastOrNone = Broadcast | null;
