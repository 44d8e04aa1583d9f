import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

/**
 * One `request completed` line per request, written with `request.log` rather than Fastify's
 * `reply.log`: the auth guard replaces `request.log` with a child carrying tenantId and userId, and
 * only that logger has them. The `incoming request` line is kept for debugging only.
 */
export class RequestLogController extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const line = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (error) request.log.error({ ...line, err: error }, 'request errored');
    else request.log.info(line, 'request completed');
  }
}
