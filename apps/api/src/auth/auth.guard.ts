import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../common/errors/domain-error.js';
import { endpointOf } from '../common/http/route.decorator.js';
import { can } from './permission-matrix.js';
import { TokenService } from './token.service.js';

/**
 * Global guard. Every route is bound to a contract endpoint whose `access` says who may call it;
 * a route without one is refused (fail closed). Sets `request.ctx` for the handler. The token's session
 * version is checked by every unit of work the handler opens with that context (db/database.ts), in the
 * round trip that begins it: a request that opens none reads and writes nothing.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(@Inject(TokenService) private readonly tokens: TokenService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const endpoint = endpointOf(context);
    if (!endpoint) throw new DomainError('FORBIDDEN', 'route has no access rule');
    if (endpoint.access === 'public') return true;

    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const header = request.headers.authorization;
    const match = header ? /^Bearer ([A-Za-z0-9._-]+)$/.exec(header) : null;
    if (!match?.[1]) throw new DomainError('UNAUTHENTICATED', 'authentication required');
    const claims = await this.tokens.verify(match[1]);

    request.ctx = {
      requestId: String(request.id),
      tenantId: claims.tenantId,
      userId: claims.userId,
      role: claims.role,
      storeIds: claims.storeIds,
      registerId: claims.registerId,
      sessionKind: claims.sessionKind,
      sessionVersion: claims.sessionVersion,
      ip: request.ip,
      userAgent: request.headers['user-agent'] ?? null,
    };
    request.log = request.log.child({ tenantId: claims.tenantId, userId: claims.userId });

    if (endpoint.access !== 'authenticated' && !can(claims.role, claims.sessionKind, endpoint.access)) {
      throw new DomainError('FORBIDDEN', `requires ${endpoint.access}`);
    }
    return true;
  }
}
