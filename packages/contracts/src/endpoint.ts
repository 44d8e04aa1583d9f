import type { z } from 'zod';
import type { Permission } from './permission.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One HTTP endpoint: path, input and output schemas and the permission it needs.
 * The API binds controllers to these, validates with them and generates OpenAPI from them.
 */
export interface Endpoint<
  B extends z.ZodType | undefined = z.ZodType | undefined,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
  P extends z.ZodType | undefined = z.ZodType | undefined,
  R extends z.ZodType = z.ZodType,
> {
  method: HttpMethod;
  /** Fastify-style path: /products/:id */
  path: string;
  summary: string;
  tag: string;
  /** 'public' needs no token; 'authenticated' any valid token; otherwise a permission. */
  access: 'public' | 'authenticated' | Permission;
  body?: B;
  query?: Q;
  params?: P;
  response: R;
  /** HTTP status on success (200 unless set). */
  status?: number;
}

export function endpoint<
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
  R extends z.ZodType = z.ZodType,
>(e: Endpoint<B, Q, P, R>): Endpoint<B, Q, P, R> {
  return e;
}
