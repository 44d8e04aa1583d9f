import { Logger, type Provider } from '@nestjs/common';
import { PROCESS_ROLE, type ProcessRole } from '../config/process-role.js';
import { REDIS, type RedisOrNone } from '../redis/redis.module.js';
import { RealtimeConsumer } from './realtime.consumer.js';
import { RealtimeGateway } from './realtime.gateway.js';
import { RedisEmitterBroadcast } from './redis-emitter-broadcast.js';
import type { StoreBroadcast } from './store-broadcast.js';

/**
 * The realtime consumer of this process: an API process pushes through its own Socket.IO server (and its
 * Redis adapter to the other replicas); the worker, which has none, publishes through the Redis emitter,
 * or pushes nothing without Redis.
 */
export const realtimeConsumerProvider: Provider = {
  provide: RealtimeConsumer,
  inject: [PROCESS_ROLE, { token: RealtimeGateway, optional: true }, { token: REDIS, optional: true }],
  useFactory: (role: ProcessRole, gateway?: RealtimeGateway, redis?: RedisOrNone): RealtimeConsumer => {
    const logger = new Logger('Realtime');
    let broadcast: StoreBroadcast | null;
    if (role === 'api') {
      if (!gateway) throw new Error('an API process needs the RealtimeModule for its realtime consumer');
      broadcast = gateway;
    } else if (redis) {
      let last = '';
      redis.on('ready', () => (last = ''));
      broadcast = new RedisEmitterBroadcast(redis, (err) => {
        if (err.message !== last) logger.warn(`socket.io redis emitter: ${err.message}`);
        last = err.message;
      });
    } else {
      logger.warn('no REDIS_URL: this worker pushes no events to sockets');
      broadcast = null;
    }
    return new RealtimeConsumer(broadcast);
  },
};
