import { subscribe } from 'node:diagnostics_channel';
import { type Span, trace } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { scrubUrl } from '../ops/logging/logger.js';

const spans = new WeakMap<FastifyRequest, Span>();

/**
 * Completes the HTTP server span of each request with what only Fastify and the app know: the route
 * (span name `GET /products/:id`, `http.route`), the request id, the tenant once the auth guard has
 * run, and the query string scrubbed as in the request log. Nothing personal is recorded. Fastify
 * announces every instance it creates on the `fastify.initialization` channel, early enough to add
 * hooks, so the app itself carries no tracing code.
 */
export function traceFastifyRequests(): void {
  subscribe('fastify.initialization', (message) => {
    const { fastify } = message as { fastify: FastifyInstance };
    fastify.addHook('onRequest', (request, _reply, done) => {
      const span = trace.getActiveSpan();
      if (span?.isRecording()) {
        spans.set(request, span);
        span.setAttribute('zakpos.request_id', String(request.id));
        // The instrumentation redacts only a few well-known query parameters; blank what the logs blank.
        const query = scrubUrl(request.url).split('?')[1];
        if (query !== undefined) span.setAttribute('url.query', query);
        const route = request.routeOptions.url;
        if (route) span.updateName(`${request.method} ${route}`).setAttribute('http.route', route);
      }
      done();
    });
    fastify.addHook('onSend', (request, _reply, payload, done) => {
      const tenantId = request.ctx?.tenantId;
      if (tenantId) spans.get(request)?.setAttribute('zakpos.tenant_id', tenantId);
      done(null, payload);
    });
  });
}
