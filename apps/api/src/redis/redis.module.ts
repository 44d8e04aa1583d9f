import {
  Global,
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Redis } from 'ioredis';
import { ENV, type Env } from '../config/env.js';
import { HealthService } from '../ops/health/health.service.js';
import { OpsModule } from '../ops/ops.module.js';
import { redisCheck } from './redis.check.js';
import { redisClient } from './redis-client.js';

/** The process's Redis client, or null in the embedded default (no REDIS_URL). */
export const REDIS = Symbol('REDIS');
export type RedisOrNone = Redis | null;

@Global()
@Module({
  imports: [OpsModule],
  providers: [
    {
      provide: REDIS,
      inject: [ENV],
      useFactory: (env: Env): RedisOrNone => {
        if (!env.REDIS_URL) return null;
        const logger = new Logger('Redis');
        let last = '';
        return redisClient(env.REDIS_URL, 'zakpos-api', (err) => {
          // One line per distinct failure, not one per reconnect attempt.
          if (err.message !== last) logger.warn(`redis: ${err.message}`);
          last = err.message;
        });
      },
    },
  ],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(REDIS) private readonly redis: RedisOrNone,
    @Inject(HealthService) private readonly health: HealthService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.redis) this.health.register(redisCheck(this.redis));
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis?.disconnect();
  }
}
