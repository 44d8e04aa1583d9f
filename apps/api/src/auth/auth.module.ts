import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ENV, type Env } from '../config/env.js';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { AuthRateLimitGuard } from './rate-limit.guard.js';
import { REDIS, type RedisOrNone } from '../redis/redis.module.js';
import { AUTH_RATE_LIMITER, InMemoryRateLimiter } from './rate-limiter.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';
import { SessionService } from './session.service.js';
import { SignupService } from './signup.service.js';
import { TokenService } from './token.service.js';

@Module({
  controllers: [AuthController],
  providers: [
    TokenService,
    SessionService,
    AuthService,
    SignupService,
    AuthRateLimitGuard,
    {
      // With Redis, one budget per IP for every replica; the failed-attempt throttles are already shared
      // (PostgreSQL, throttle.repository.ts).
      provide: AUTH_RATE_LIMITER,
      inject: [ENV, REDIS],
      useFactory: (env: Env, redis: RedisOrNone) => {
        const local = new InMemoryRateLimiter(env.AUTH_RATE_LIMIT_PER_MINUTE);
        return redis ? new RedisRateLimiter(redis, env.AUTH_RATE_LIMIT_PER_MINUTE, local) : local;
      },
    },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [TokenService, SessionService],
})
export class AuthModule {}
