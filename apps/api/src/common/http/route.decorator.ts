import {
  applyDecorators,
  createParamDecorator,
  type ExecutionContext,
  HttpCode,
  RequestMapping,
  RequestMethod,
  SetMetadata,
} from '@nestjs/common';
import { type Endpoint, NOT_EMPTY_MESSAGE, notEmpty } from '@zakpos/contracts';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { RequestContext } from '../context/request-context.js';
import { DomainError } from '../errors/domain-error.js';
import { refuseNul } from './nul-input.js';
import { validationError } from './validation-error.js';

export const ENDPOINT_KEY = 'zakpos:endpoint';

/** Binds a controller method to a contract endpoint: path, method, status, access rule, schemas. */
export function Route(endpoint: Endpoint): MethodDecorator {
  return applyDecorators(
    RequestMapping({ path: endpoint.path, method: RequestMethod[endpoint.method] }),
    HttpCode(endpoint.status ?? 200),
    SetMetadata(ENDPOINT_KEY, endpoint),
  );
}

export function endpointOf(ctx: ExecutionContext): Endpoint | undefined {
  return Reflect.getMetadata(ENDPOINT_KEY, ctx.getHandler()) as Endpoint | undefined;
}

type Part = 'body' | 'query' | 'params';

function parsePart(part: Part, ctx: ExecutionContext): unknown {
  const endpoint = endpointOf(ctx);
  const schema = endpoint?.[part] as z.ZodType | undefined;
  if (!schema) throw new Error(`endpoint ${endpoint?.path ?? '?'} declares no ${part} schema`);
  const request = ctx.switchToHttp().getRequest<FastifyRequest>();
  refuseNul(request);
  const raw = part === 'body' ? (request.body ?? {}) : request[part];
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw validationError(part, parsed.error);
  // Every PATCH route, whatever its schema says: an update of no column is not an UPDATE.
  if (part === 'body' && endpoint?.method === 'PATCH' && !notEmpty(parsed.data as object)) {
    throw DomainError.validation('body', NOT_EMPTY_MESSAGE);
  }
  return parsed.data;
}

/** The request body, validated by the endpoint's body schema. */
export const Body = createParamDecorator((_: unknown, ctx: ExecutionContext) => parsePart('body', ctx));
/** The query string, validated by the endpoint's query schema. */
export const Query = createParamDecorator((_: unknown, ctx: ExecutionContext) => parsePart('query', ctx));
/** The path parameters, validated by the endpoint's params schema. */
export const Params = createParamDecorator((_: unknown, ctx: ExecutionContext) => parsePart('params', ctx));

/** The authenticated request context (set by the auth guard). */
export const Ctx = createParamDecorator((_: unknown, ctx: ExecutionContext): RequestContext => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest>();
  if (!request.ctx) throw new DomainError('UNAUTHENTICATED', 'authentication required');
  return request.ctx;
});

/** Where the request came from, for public routes (login, signup) that have no context yet. */
export interface ClientInfo {
  requestId: string;
  ip: string;
  userAgent: string | null;
}
export const Client = createParamDecorator((_: unknown, ctx: ExecutionContext): ClientInfo => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest>();
  return { requestId: String(request.id), ip: request.ip, userAgent: request.headers['user-agent'] ?? null };
});
