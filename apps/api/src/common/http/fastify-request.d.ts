import type { RequestContext } from '../context/request-context.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth guard on authenticated routes. */
    ctx?: RequestContext;
  }
}
