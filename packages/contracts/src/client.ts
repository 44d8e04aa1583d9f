import { z } from 'zod';
import type { Endpoint, OutputOf } from './endpoint.js';
import { type ErrorCode, errorBody } from './errors.js';
import { buildPath } from './path.js';

/**
 * The part of the Fetch API the client uses, declared here because this package compiles without DOM
 * or Node types: browsers, React Native and Node ≥ 18 all provide a compatible global `fetch`.
 */
export interface FetchResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
}
export type Fetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
) => Promise<FetchResponse>;

export interface ClientOptions {
  /** Where the API is served, e.g. https://pos.example.com/api (a trailing slash is ignored). */
  baseUrl: string;
  /** The access token to send as a bearer token; not asked for public endpoints. */
  token?: () => string | null | undefined | Promise<string | null | undefined>;
  /** Defaults to the global fetch. */
  fetch?: Fetch;
  /** Sent with every request (after the client's own accept, content-type and authorization). */
  headers?: Record<string, string>;
}

/** The API answered with its error body: switch on `code`; `fields` names offending inputs. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string[]>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * The server answered something the contract does not describe: a success body its response schema
 * refuses, or an error without the error body (a proxy's HTML page, an unknown code).
 */
export class UnexpectedResponseError extends Error {
  constructor(
    readonly status: number,
    readonly route: string,
    message: string,
    /** The body as received, cut to 2,000 characters. */
    readonly body: string,
  ) {
    super(`${route}: ${status}: ${message}`);
    this.name = 'UnexpectedResponseError';
  }
}

/** A part is required when its schema's input needs a field, optional when not, absent without a schema. */
type Part<K extends string, S> = [S] extends [z.ZodType]
  ? object extends InputOf<S>
    ? { [k in K]?: InputOf<S> }
    : { [k in K]: InputOf<S> }
  : { [k in K]?: never };
type InputOf<S> = S extends z.ZodType ? z.input<S> : never;

/** What a call sends, typed by the endpoint: `params` fill the path, `query` the query string. */
export type RequestOf<E extends Endpoint> =
  E extends Endpoint<infer B, infer Q, infer P>
    ? Part<'params', P> & Part<'query', Q> & Part<'body', B>
    : never;

/** Calls one endpoint; resolves with the parsed response, rejects with ApiError or UnexpectedResponseError. */
export type ApiClient = <E extends Endpoint>(
  endpoint: E,
  ...request: object extends RequestOf<E> ? [request?: RequestOf<E>] : [request: RequestOf<E>]
) => Promise<OutputOf<E>>;

type QueryValue = string | number | boolean | null | undefined;

/** `?a=1&b=x%20y`: undefined and null values are left out, arrays repeat their key. */
export function queryString(query: Record<string, unknown> | undefined): string {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === undefined || item === null) continue;
      if (!['string', 'number', 'boolean'].includes(typeof item)) {
        throw new Error(`query parameter ${key}: cannot send a ${typeof item}`);
      }
      pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(item as QueryValue))}`);
    }
  }
  return pairs.length ? `?${pairs.join('&')}` : '';
}

export function createClient(options: ClientOptions): ApiClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const fetchImpl = options.fetch ?? globalFetch();

  const call = async (
    endpoint: Endpoint,
    request: Partial<Record<'params' | 'query' | 'body', unknown>> = {},
  ) => {
    const path = buildPath(endpoint.path, request.params as Record<string, unknown> | undefined);
    const route = `${endpoint.method} ${path}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    const init: Parameters<Fetch>[1] = { method: endpoint.method, headers };
    if (request.body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(request.body);
    }
    if (endpoint.access !== 'public' && options.token) {
      const token = await options.token();
      if (token) headers.authorization = `Bearer ${token}`;
    }
    Object.assign(headers, options.headers);

    const url = `${baseUrl}${path}${queryString(request.query as Record<string, unknown> | undefined)}`;
    const response = await fetchImpl(url, init);
    const type = response.headers.get('content-type') ?? '';
    // Bytes (an ESC/POS receipt) would be corrupted by decoding them as text: they stay bytes.
    const bytes = /^application\/octet-stream\b/i.test(type)
      ? new Uint8Array(await response.arrayBuffer())
      : null;
    const text = bytes === null ? await response.text() : `(${bytes.length} bytes)`;
    const unexpected = (message: string) =>
      new UnexpectedResponseError(response.status, route, message, text.slice(0, 2000));

    let value: unknown;
    const isJson = /\bjson\b/i.test(type);
    if (bytes !== null) value = bytes.length === 0 ? undefined : bytes;
    else if (text === '') value = undefined;
    else if (isJson) {
      try {
        value = JSON.parse(text);
      } catch {
        throw unexpected('the body is not valid JSON');
      }
    } else value = text;

    const success = response.status >= 200 && response.status <= 299;
    if (!success && !endpoint.otherStatuses?.includes(response.status)) {
      const error = errorBody.safeParse(value);
      if (!error.success) throw unexpected('the error body is not {"error":{"code","message"}}');
      const { code, message, fields } = error.data.error;
      throw new ApiError(response.status, code, message, fields);
    }
    // 204 and other empty answers: parsed as undefined, so the response schema must allow it (z.void()).
    const parsed = endpoint.response.safeParse(value);
    if (!parsed.success) {
      throw unexpected(`the body does not match the response schema:\n${z.prettifyError(parsed.error)}`);
    }
    return parsed.data;
  };
  return call as ApiClient;
}

function globalFetch(): Fetch {
  const fetch = (globalThis as { fetch?: Fetch }).fetch;
  if (!fetch) throw new Error('createClient: no global fetch here; pass options.fetch');
  return fetch.bind(globalThis);
}
