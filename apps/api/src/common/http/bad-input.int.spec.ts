import { randomUUID } from 'node:crypto';
import { allEndpoints, type Endpoint, errorBody } from '@zakpos/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { useApiHarness } from '../../test/api-harness.js';
import { createTenant, type TestTenant } from '../../test/fixtures.js';
import { jsonSchemaOf } from '../../ops/openapi/openapi.js';

/*
 * Classes of bad input, tried on every contract endpoint they apply to (so a new route is covered without
 * anyone remembering to): each must be a 400 naming the field, never a 500.
 */

type JsonSchema = Record<string, unknown>;
type Path = (string | number)[];

/** Paths to every string the schema accepts (an array's first item; a nullable's non-null branch). */
function leaves(schema: JsonSchema, keep: (s: JsonSchema) => boolean, at: Path = []): Path[] {
  const branches = (schema.anyOf ?? schema.oneOf ?? schema.allOf) as JsonSchema[] | undefined;
  if (branches) return branches.flatMap((b) => leaves(b, keep, at)).slice(0, 1);
  if (schema.type === 'object' && schema.properties) {
    return Object.entries(schema.properties as Record<string, JsonSchema>).flatMap(([key, s]) =>
      leaves(s, keep, [...at, key]),
    );
  }
  if (schema.type === 'array' && schema.items) return leaves(schema.items as JsonSchema, keep, [...at, 0]);
  return schema.type === 'string' && keep(schema) ? [at] : [];
}

/** The smallest value with `value` at `path`: {lines: [{productId: value}]}. */
function valueAt(path: Path, value: unknown): unknown {
  if (!path.length) return value;
  const [head, ...rest] = path;
  return typeof head === 'number' ? [valueAt(rest, value)] : { [head!]: valueAt(rest, value) };
}

/** The endpoint's path with every parameter a fresh uuid, except `given`. */
function urlOf(e: Endpoint, given: Record<string, string> = {}): string {
  return e.path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => given[name] ?? randomUUID());
}

const NUL = 'a\u0000b';
const NUL_MESSAGE = /U\+0000/;

const isString = () => true;
const routes = (e: Endpoint) => `${e.method} ${e.path}`;

function fieldsOf(body: unknown): Record<string, string[]> {
  const parsed = errorBody.parse(body);
  expect(parsed.error.code).toBe('VALIDATION_FAILED');
  return parsed.error.fields ?? {};
}

describe('bad input classes on every endpoint', () => {
  const h = useApiHarness();
  let t: TestTenant;
  beforeAll(async () => {
    t = await createTenant(h.app);
  });

  const send = (e: Endpoint, url: string, payload?: unknown) =>
    h.app.inject({
      method: e.method,
      url,
      headers: {
        ...t.owner.headers,
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
    });

  describe('a NUL byte (U+0000) in any string is a 400 naming the field', () => {
    const bodyCases = allEndpoints.flatMap((e) =>
      e.body
        ? leaves(jsonSchemaOf(e.body, 'input'), isString).map(
            (path) => [routes(e), path.join('.'), e, path] as const,
          )
        : [],
    );
    const queryCases = allEndpoints.flatMap((e) =>
      e.query
        ? Object.keys(jsonSchemaOf(e.query, 'input').properties as object).map(
            (name) => [routes(e), name, e] as const,
          )
        : [],
    );
    const paramCases = allEndpoints.flatMap((e) =>
      e.params
        ? Object.keys(jsonSchemaOf(e.params, 'input').properties as object).map(
            (name) => [routes(e), name, e] as const,
          )
        : [],
    );

    it('finds the inputs it tries', () => {
      expect(bodyCases.length).toBeGreaterThan(30);
      expect(queryCases.map(([r, n]) => `${r} ${n}`)).toContain('GET /products q');
      expect(paramCases.map(([r, n]) => `${r} ${n}`)).toContain('DELETE /products/:id/barcodes/:code code');
    });

    it.each(bodyCases)('%s body %s', async (_, name, e, path) => {
      const res = await send(e, urlOf(e, { storeId: t.storeIds[0], id: t.owner.id }), valueAt(path, NUL));
      expect(res.statusCode, res.body).toBe(400);
      expect(fieldsOf(res.json())[name], res.body).toEqual([expect.stringMatching(NUL_MESSAGE)]);
    });

    it.each(queryCases)('%s query %s', async (_, name, e) => {
      const res = await send(e, `${urlOf(e, { storeId: t.storeIds[0] })}?${name}=a%00b`);
      expect(res.statusCode, res.body).toBe(400);
      expect(fieldsOf(res.json())[name], res.body).toEqual([expect.stringMatching(NUL_MESSAGE)]);
    });

    it.each(paramCases)('%s path %s', async (_, name, e) => {
      const res = await send(e, urlOf(e, { [name]: 'a%00b' }), e.body ? {} : undefined);
      expect(res.statusCode, res.body).toBe(400);
      expect(fieldsOf(res.json())[name], res.body).toEqual([expect.stringMatching(NUL_MESSAGE)]);
    });

    it('names a NUL in a key as well', async () => {
      const res = await send(
        allEndpoints.find((e) => e.path === '/categories' && e.method === 'POST')!,
        '/categories',
        {
          name: 'ok',
          'x\u0000': 1,
        },
      );
      expect(res.statusCode).toBe(400);
      expect(Object.keys(fieldsOf(res.json()))).toEqual(['x\u0000']);
    });
  });

  describe('a date-time PostgreSQL cannot store is a 400 naming the field', () => {
    const isDateTime = (s: JsonSchema) => s.format === 'date-time';
    const dateCases = allEndpoints.flatMap((e) => [
      ...(e.query
        ? leaves(jsonSchemaOf(e.query, 'input'), isDateTime).map(
            (p) => [routes(e), 'query', p.join('.'), e] as const,
          )
        : []),
      ...(e.body
        ? leaves(jsonSchemaOf(e.body, 'input'), isDateTime).map(
            (p) => [routes(e), 'body', p.join('.'), e] as const,
          )
        : []),
    ]);
    const refused = [
      '0000-01-01T00:00:00Z',
      '2025-03-08T12:47:28.755-16:31',
      '2025-03-08T12:47:28+16:00',
      '0001-01-01T00:00:00+01:00', // 0000-12-31 in UTC
      '9999-12-31T23:00:00-01:00', // 10000-01-01 in UTC
    ];
    const cases = dateCases.flatMap(([r, where, name, e]) =>
      refused.map((v) => [r, where, name, v, e] as const),
    );

    it('finds the inputs it tries', () => {
      expect(dateCases.map(([r, , n]) => `${r} ${n}`)).toEqual(
        expect.arrayContaining(['GET /audit-log from', 'GET /audit-log to']),
      );
    });

    it.each(cases)('%s %s %s=%s', async (_, where, name, value, e) => {
      const res =
        where === 'query'
          ? await send(e, `${urlOf(e)}?${name}=${encodeURIComponent(value)}`)
          : await send(e, urlOf(e), valueAt(name.split('.'), value));
      expect(res.statusCode, res.body).toBe(400);
      expect(fieldsOf(res.json())[name], res.body).toBeDefined();
    });

    it.each([
      ['from', '2025-03-08T12:47:28.755123-15:59'],
      ['from', '0001-01-01T00:00:00Z'],
      ['to', '9999-12-31T23:59:59.999999Z'],
      ['to', '2025-03-08T12:47:28+15:00'],
    ])('accepts the edges: %s=%s', async (name, value) => {
      const res = await h.call(t, 'owner', 'GET', `/audit-log?${name}=${encodeURIComponent(value)}`);
      expect(res.statusCode, res.body).toBe(200);
    });
  });

  describe('an empty PATCH is a 400 "send at least one field" naming the body', () => {
    const patches = allEndpoints.filter((e) => e.method === 'PATCH');
    const cases = patches.flatMap((e) =>
      (['{}', 'null', 'no body'] as const).map((kind) => [routes(e), kind, e] as const),
    );

    it('finds the patches', () => {
      expect(patches.map(routes)).toEqual(
        expect.arrayContaining(['PATCH /categories/:id', 'PATCH /products/:id', 'PATCH /stores/:id']),
      );
    });

    it.each(cases)('%s with %s', async (_, kind, e) => {
      const url = urlOf(e);
      const res =
        kind === 'no body'
          ? await h.app.inject({ method: 'PATCH', url, headers: t.owner.headers })
          : await h.app.inject({
              method: 'PATCH',
              url,
              headers: { ...t.owner.headers, 'content-type': 'application/json' },
              payload: kind,
            });
      expect(res.statusCode, res.body).toBe(400);
      expect(fieldsOf(res.json()).body, res.body).toEqual(['send at least one field to change']);
    });

    it('an existing category is left as it was', async () => {
      const created = await h.call(t, 'owner', 'POST', '/categories', { name: 'Kept' });
      const id = (created.json() as { id: string }).id;
      const res = await h.call(t, 'owner', 'PATCH', `/categories/${id}`, {});
      expect(res.statusCode).toBe(400);
      const after = await h.call(t, 'owner', 'GET', `/categories/${id}`);
      expect(after.json()).toEqual(created.json());
    });
  });

  describe('a method the API does not route is a 404/405 in the error shape', () => {
    const paths = [...new Set(allEndpoints.map((e) => e.path))];
    const methods = ['QUERY', 'PROPFIND', 'SEARCH'];
    const cases = methods.flatMap((m) => [...paths, '/no-such-route'].map((p) => [m, p] as const));

    it.each(cases)('%s %s, unauthenticated, no content type', async (method, path) => {
      const url = path.replace(/:[A-Za-z0-9_]+/g, () => randomUUID());
      const res = await h.app.inject({ method: method as 'GET', url });
      expect([404, 405], res.body).toContain(res.statusCode);
      const parsed = errorBody.parse(res.json());
      expect(parsed.error.code).toBe(res.statusCode === 405 ? 'METHOD_NOT_ALLOWED' : 'NOT_FOUND');
    });

    it('names the allowed methods on a known path', async () => {
      for (const method of ['QUERY', 'PUT']) {
        const res = await h.app.inject({ method: method as 'GET', url: '/categories' });
        expect(res.statusCode).toBe(405);
        expect(res.headers.allow).toBe('GET, HEAD, POST');
        expect(res.json()).toEqual({
          error: { code: 'METHOD_NOT_ALLOWED', message: `${method} is not allowed on this route` },
        });
      }
    });

    it('keeps 404 for an unknown path', async () => {
      const res = await h.app.inject({ method: 'QUERY' as 'GET', url: '/no-such-route' });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'route not found' } });
    });
  });
});
