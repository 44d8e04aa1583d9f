import { Emitter } from '@socket.io/redis-emitter';
import type { Redis } from 'ioredis';
import { storeRoom, userRoom } from './rooms.js';
import type { Broadcast } from './broadcast.js';

/**
 * Broadcasts from a process with no Socket.IO server (the worker): published on Redis, where every API
 * replica's adapter picks them up for its own sockets. A broadcast made while Redis is down is lost.
 */
export class RedisEmitterBroadcast implements Broadcast {
  private readonly emitter: Emitter;

  constructor(redis: Redis, onError: (err: Error) => void) {
    // The emitter only publishes, and never looks at the promise: a failure is reported, not left unhandled.
    this.emitter = new Emitter({
      publish: (channel: string, message: Buffer) => redis.publish(channel, message).catch(onError),
    });
  }

  toStore(tenantId: string, storeId: string, event: string, data: unknown): void {
    this.emitter.to(storeRoom(tenantId, storeId)).emit(event, data);
  }

  toUser(tenantId: string, userId: string, event: string, data: unknown): void {
    this.emitter.to(userRoom(tenantId, userId)).emit(event, data);
  }
}
