/** Pushes one Socket.IO event to every socket in a store's room, on every API replica. Best effort: never throws. */
export interface StoreBroadcast {
  toStore(tenantId: string, storeId: string, event: string, data: unknown): void;
}
