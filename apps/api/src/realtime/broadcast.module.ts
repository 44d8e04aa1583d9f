import { type DynamicModule, Global, Logger, Module } from '@nestjs/common';
import type { ProcessRole } from '../config/process-role.js';
import { REDIS, type RedisOrNone } from '../redis/redis.module.js';
import { BROADCAST, type BroadcastOrNone } from './broadcast.js';
import { RealtimeGateway } from './realtime.gateway.js';
import { RedisEmitterBroadcast } from './redis-emitter-broadcast.js';

/**
 * This process's way to the sockets (BROADCAST), for whatever pushes from outside a request (the realtime
 * consumer, the export jobs): an API process pushes through its own Socket.IO server (and its Redis adapter
 * to the other replicas); the worker, which has none, publishes through the Redis emitter, or pushes
 * nothing without Redis.
 */
@Global()
@Module({})
export class BroadcastModule {
  static register(role: ProcessRole): DynamicModule {
    return {
      module: BroadcastModule,
      providers: [
        {
          provide: BROADCAST,
          inject: [{ token: RealtimeGateway, optional: true }, REDIS],
          useFactory: (gateway: RealtimeGateway | undefined, redis: RedisOrNone): BroadcastOrNone => {
            const logger = new Logger('Realtime');
            if (role === 'api') {
              if (!gateway) throw new Error('an API process needs the RealtimeModule to push to sockets');
              // Not the gateway itself: Nest would run its lifecycle hooks again for this provider, and the
              // Socket.IO server would attach twice.
              return {
                toStore: (...args) => gateway.toStore(...args),
                toUser: (...args) => gateway.toUser(...args),
              };
            }
            if (!redis) {
              logger.warn('no REDIS_URL: this worker pushes no events to sockets');
              return null;
            }
            let last = '';
            redis.on('ready', () => (last = ''));
            return new RedisEmitterBroadcast(redis, (err) => {
              if (err.message !== last) logger.warn(`socket.io redis emitter: ${err.message}`);
              last = err.message;
            });
          },
        },
      ],
      exports: [BROADCAST],
    };
  }
}
