import { endpointFor, type HttpMethod } from '@zakpos/contracts';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../errors/domain-error.js';
import { sendError } from '../errors/error.filter.js';

const METHODS: HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** The methods the contracts serve on `path`, as an Allow header lists them (HEAD with GET). */
export function allowedMethods(path: string): string[] {
  return METHODS.filter((m) => endpointFor(m, path)).flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m]));
}

/**
 * A request no route serves is answered before Fastify reads its body (a QUERY without a content
 * type would otherwise fail there, unmapped): 405 with Allow where the path is a contract route under
 * other methods, otherwise 404, both in the error shape.
 */
export function installUnroutedAnswer(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request, reply) => {
    if (!request.is404) return;
    const allowed = allowedMethods(request.url.split('?')[0]!);
    if (allowed.length) {
      reply.header('allow', allowed.join(', '));
      sendError(
        request,
        reply,
        new DomainError('METHOD_NOT_ALLOWED', `${request.method} is not allowed on this route`),
      );
    } else {
      sendError(request, reply, new DomainError('NOT_FOUND', 'route not found'));
    }
    return reply;
  });
}
