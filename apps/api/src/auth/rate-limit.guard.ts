import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../common/errors/domain-error.js';
import { endpointOf } from '../common/http/route.decorator.js';
import { AUTH_RATE_LIMITER, type RateLimiter } from './rate-limiter.js';

/**
 * Per-IP budget on the public auth routes (each route has its own). Runs before the body is
 * validated, so malformed attempts count too.
 */
@Injectable()
export class AuthRateLimitGuard implements CanActivate {
  constructor(@Inject(AUTH_RATE_LIMITER) private readonly limiter: RateLimiter) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const endpoint = endpointOf(context);
    const route = endpoint ? `${endpoint.method} ${endpoint.path}` : request.url;
    const decision = await this.limiter.consume(`${route}|${request.ip}`);
    if (!decision.allowed) {
      throw new DomainError(
        'RATE_LIMITED',
        'too many attempts; retry later',
        undefined,
        decision.retryAfterSeconds,
      );
    }
    return true;
  }
}
