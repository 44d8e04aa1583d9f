import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorBody } from '@zakpos/contracts';
import { DomainError } from './domain-error.js';
import { errorStatus } from './error-codes.js';
import { fromFrameworkError, fromPostgresError } from './error-mapping.js';

/** Turns anything thrown while serving a request into the one error shape. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendError(http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), exception);
  }
}

export function sendError(request: FastifyRequest, reply: FastifyReply, exception: unknown): void {
  const error = toDomainError(exception);
  const status = errorStatus[error.code];
  if (status >= 500) request.log.error({ err: exception }, 'request failed');
  if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
  // `current`: declared per endpoint (errorBodies), e.g. the cart of a stale cart write.
  const body: { error: ErrorBody['error'] & { current?: unknown } } = {
    error: { code: error.code, message: error.message },
  };
  if (error.fields) body.error.fields = error.fields;
  if (error.current !== undefined) body.error.current = error.current;
  void reply.status(status).send(body);
}

export function toDomainError(exception: unknown): DomainError {
  if (exception instanceof DomainError) return exception;
  return (
    fromPostgresError(exception) ??
    fromFrameworkError(exception) ??
    (exception instanceof HttpException && exception.getStatus() === 404
      ? new DomainError('NOT_FOUND', 'route not found')
      : new DomainError('INTERNAL', 'internal error'))
  );
}
