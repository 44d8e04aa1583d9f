import type { FastifyInstance } from 'fastify';
import type { MetricsService } from './metrics.service.js';

/** Times every response, labelled with the matched route's template (never the raw URL). */
export function installHttpMetrics(fastify: FastifyInstance, metrics: MetricsService): void {
  fastify.addHook('onResponse', async (request, reply) => {
    metrics.observeRequest(
      request.method,
      request.routeOptions.url,
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  });
}
