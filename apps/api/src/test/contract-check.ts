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

type InjectOptions = Exclude<Parameters<NestFastifyApplication['inject']>[0], string | undefined>;
type InjectResponse = Awaited<ReturnType<NestFastifyApplication['inject']>>;

function bodyValue(res: InjectResponse): unknown {
  if (res.body === '') return undefined;
  return /\bjson\b/.test(String(res.headers['content-type'] ?? '')) ? JSON.parse(res.body) : res.body;
}

/**
 * Fails unless the contracts describe what the API answered to `method url`: the route is a contract
 * endpoint, a success has the endpoint's status and a body its response schema accepts, and an error
 * has the error body. So the published OpenAPI document cannot drift from what is served.
 */
export function checkResponse(method: string, url: string, res: InjectResponse): void {
  const path = url.split('?')[0]!;
  const route = `${method} ${path}`;
  const endpoint = endpointFor(method.toUpperCase() as HttpMethod, path);
  if (!endpoint) throw new Error(`${route}: no contract endpoint serves this route`);
  const where = `${route} (contract ${endpoint.method} ${endpoint.path}) answered ${res.statusCode}`;

  if (res.statusCode >= 200 && res.statusCode < 300) {
    const expected = endpoint.status ?? 200;
    if (res.statusCode !== expected) throw new Error(`${where}; the contract says ${expected}`);
    const parsed = endpoint.response.safeParse(bodyValue(res));
    if (!parsed.success) {
      throw new Error(
        `${where} with a body the response schema refuses:\n${z.prettifyError(parsed.error)}\n${res.body.slice(0, 2000)}`,
      );
    }
  } else if (res.statusCode >= 400) {
    const parsed = errorBody.safeParse(bodyValue(res));
    if (!parsed.success) {
      throw new Error(`${where} without the error body:\n${z.prettifyError(parsed.error)}\n${res.body}`);
    }
  }
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
