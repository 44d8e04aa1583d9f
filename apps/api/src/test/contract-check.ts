import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  type ApiClient,
  createClient,
  endpointFor,
  errorBody,
  type Fetch,
  type HttpMethod,
} from '@zakpos/contracts';
import { z } from 'zod';
import { documentedErrorStatuses } from '../ops/openapi/openapi.js';

type InjectOptions = Exclude<Parameters<NestFastifyApplication['inject']>[0], string | undefined>;
type InjectResponse = Awaited<ReturnType<NestFastifyApplication['inject']>>;

function bodyValue(res: InjectResponse): unknown {
  if (res.body === '') return undefined;
  return /\bjson\b/.test(String(res.headers['content-type'] ?? '')) ? JSON.parse(res.body) : res.body;
}

/**
 * Fails unless the contracts describe what the API answered to `method url`: the route is a contract
 * endpoint, a success has the endpoint's status and a body its response schema accepts with no field
 * it does not declare (as one of its media types, where it declares them), and an error has the error
 * body with a status the endpoint's operation documents. So the published OpenAPI document cannot drift
 * from what is served.
 */
export function checkResponse(method: string, url: string, res: InjectResponse): void {
  const path = url.split('?')[0]!;
  const route = `${method} ${path}`;
  const endpoint = endpointFor(method.toUpperCase() as HttpMethod, path);
  if (!endpoint) throw new Error(`${route}: no contract endpoint serves this route`);
  const where = `${route} (contract ${endpoint.method} ${endpoint.path}) answered ${res.statusCode}`;

  const success = res.statusCode >= 200 && res.statusCode < 300;
  if (success || endpoint.otherStatuses?.includes(res.statusCode)) {
    const expected = endpoint.status ?? 200;
    if (success && res.statusCode !== expected && !endpoint.otherStatuses?.includes(res.statusCode))
      throw new Error(`${where}; the contract says ${expected}`);
    const type = String(res.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim();
    const declared = (endpoint.mediaTypes ?? []).map((t) => t.split(';')[0]!.trim());
    const alternative = Object.entries(endpoint.alternatives ?? {}).find(
      ([t]) => t.split(';')[0]!.trim() === type,
    )?.[1];
    if (!alternative && declared.length > 0 && !declared.includes(type)) {
      throw new Error(`${where} as ${type}; the contract says ${declared.join(' or ')}`);
    }
    if (!alternative && declared.length === 0 && endpoint.alternatives && !/\bjson\b/.test(type)) {
      throw new Error(
        `${where} as ${type}; the contract says JSON or ${Object.keys(endpoint.alternatives).join(' or ')}`,
      );
    }
    const body = bodyValue(res);
    const parsed = (alternative ?? endpoint.response).safeParse(body);
    if (!parsed.success) {
      throw new Error(
        `${where} with a body the response schema refuses:\n${z.prettifyError(parsed.error)}\n${res.body.slice(0, 2000)}`,
      );
    }
    const undeclared = undeclaredFields(body, parsed.data);
    if (undeclared.length) {
      throw new Error(`${where} with fields the response schema does not declare: ${undeclared.join(', ')}`);
    }
  } else if (res.statusCode >= 400) {
    const documented = [...documentedErrorStatuses(endpoint), ...Object.keys(endpoint.errorBodies ?? {})];
    if (!documented.includes(String(res.statusCode))) {
      throw new Error(`${where}; its operation documents only ${documented.join(', ')}:\n${res.body}`);
    }
    const parsed = (endpoint.errorBodies?.[res.statusCode] ?? errorBody).safeParse(bodyValue(res));
    if (!parsed.success) {
      throw new Error(`${where} without the error body:\n${z.prettifyError(parsed.error)}\n${res.body}`);
    }
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Fields of the served body that parsing dropped: z.object strips keys it does not declare, so these are
 * served but missing from the schema (and from the OpenAPI document). Loose objects and records keep them.
 */
function undeclaredFields(served: unknown, parsed: unknown, at = ''): string[] {
  if (Array.isArray(served) && Array.isArray(parsed)) {
    return served.flatMap((item, i) => undeclaredFields(item, parsed[i], `${at}[${i}]`));
  }
  if (!isObject(served) || !isObject(parsed)) return [];
  return Object.keys(served).flatMap((key) => {
    const path = at ? `${at}.${key}` : key;
    return key in parsed ? undeclaredFields(served[key], parsed[key], path) : [path];
  });
}

/** `app.inject`, then `checkResponse`: for tests of the contract routes. */
export async function checkedInject(
  app: NestFastifyApplication,
  options: InjectOptions,
): Promise<InjectResponse> {
  const res = await app.inject(options);
  checkResponse(options.method ?? 'GET', String(options.url ?? options.path ?? '/'), res);
  return res;
}

/** A `fetch` that goes through `app.inject` (checked): the typed client without a port. */
export function injectFetch(app: NestFastifyApplication): Fetch {
  return async (url, init) => {
    const { pathname, search } = new URL(url);
    const res = await checkedInject(app, {
      method: init.method as HttpMethod,
      url: pathname + search,
      headers: init.headers,
      ...(init.body === undefined ? {} : { payload: init.body }),
    });
    return {
      status: res.statusCode,
      headers: {
        get: (name) => {
          const value = res.headers[name.toLowerCase()];
          return value === undefined ? null : String(value);
        },
      },
      text: () => Promise.resolve(res.body),
      arrayBuffer: () => Promise.resolve(new Uint8Array(res.rawPayload).buffer),
    };
  };
}

/** The contracts' typed client on `app`, as `user` (a bearer token) or anonymous. */
export function contractClient(
  app: NestFastifyApplication,
  user?: { token: string },
  headers: Record<string, string> = {},
): ApiClient {
  return createClient({
    baseUrl: 'http://api.test',
    token: () => user?.token,
    fetch: injectFetch(app),
    headers,
  });
}
