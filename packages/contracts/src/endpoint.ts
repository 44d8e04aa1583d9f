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
  /**
   * The media types of a success that is not JSON (text, HTML, bytes), one of which the route answers with;
   * the OpenAPI document lists each. Unset: JSON, or text/plain for a string response.
   */
  mediaTypes?: string[];
  /**
   * Other media types the route answers with when asked (`Accept` or a format parameter), each with its own
   * schema: a report's rows as CSV. The OpenAPI document lists them beside the success's own.
   */
  alternatives?: Record<string, z.ZodType>;
  /** HTTP status on success (200 unless set). */
  status?: number;
  /**
   * Failure statuses answered with `response` rather than the error body: readiness answers 503 with
   * the same report as its 200. The client resolves with the parsed body for these too.
   */
  otherStatuses?: number[];
  /**
   * Error statuses (error body) beyond those the OpenAPI generator lists on every operation and, where a
   * token is needed, 401/403: a public login answers 401 for wrong credentials.
   */
  errorStatuses?: number[];
  /**
   * Error statuses whose body is a specific extension of the error body (a stale cart write: 409 with the
   * current cart in `error.current`). Documented in OpenAPI instead of the shared error response.
   */
  errorBodies?: Record<number, z.ZodType>;
}

export function endpoint<
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
  R extends z.ZodType = z.ZodType,
>(e: Endpoint<B, Q, P, R>): Endpoint<B, Q, P, R> {
  return e;
}

type Input<S> = S extends z.ZodType ? z.input<S> : undefined;
type Output<S> = S extends z.ZodType ? z.output<S> : undefined;

/*
 * Two views of each request part. A caller sends the schema's input (defaults may be left out, a
 * coerced number may be a string); the handler receives the parsed output (defaults filled in,
 * transforms applied). The response is the other way round: the client parses the body and gets the
 * output.
 */

/** The path parameters as the handler receives them (parsed). */
export type ParamsOf<E extends Endpoint> =
  E extends Endpoint<infer _B, infer _Q, infer P> ? Output<P> : never;
/** The query as the handler receives it (parsed). */
export type QueryOf<E extends Endpoint> = E extends Endpoint<infer _B, infer Q> ? Output<Q> : never;
/** The body as the handler receives it (parsed). */
export type BodyOf<E extends Endpoint> = E extends Endpoint<infer B> ? Output<B> : never;

/** The path parameters as a caller gives them. */
export type ParamsInputOf<E extends Endpoint> =
  E extends Endpoint<infer _B, infer _Q, infer P> ? Input<P> : never;
/** The query as a caller gives it. */
export type QueryInputOf<E extends Endpoint> = E extends Endpoint<infer _B, infer Q> ? Input<Q> : never;
/** The body as a caller gives it. */
export type BodyInputOf<E extends Endpoint> = E extends Endpoint<infer B> ? Input<B> : never;

/** The success response as the client returns it: the body parsed by the endpoint's response schema. */
export type OutputOf<E extends Endpoint> =
  E extends Endpoint<infer _B, infer _Q, infer _P, infer R> ? z.output<R> : never;
