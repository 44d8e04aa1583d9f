import { endpoint } from '@zakpos/contracts';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildOpenApiDocument, openApiPath } from './openapi.js';

const item = z.object({ id: z.uuid(), name: z.string() });
const groups = {
  things: {
    get: endpoint({
      method: 'GET',
      path: '/stores/:storeId/things/:id',
      summary: 'Get a thing',
      tag: 'things',
      access: 'catalog.read',
      params: z.strictObject({ storeId: z.uuid(), id: z.uuid() }),
      query: z.strictObject({
        q: z.string().optional(),
        limit: z.coerce.number().int().default(5),
        kind: z.string(),
      }),
      response: item,
    }),
    create: endpoint({
      method: 'POST',
      path: '/things',
      summary: 'Create a thing',
      tag: 'things',
      access: 'authenticated',
      body: z.strictObject({
        name: z.string().trim().min(1),
        email: z.email().transform((e) => e.toLowerCase()),
      }),
      response: item,
      status: 201,
    }),
    remove: endpoint({
      method: 'DELETE',
      path: '/things/:id',
      summary: 'Delete a thing',
      tag: 'things',
      access: 'catalog.manage',
      params: z.strictObject({ id: z.uuid() }),
      response: z.object({}),
      status: 204,
    }),
  },
  ops: {
    metrics: endpoint({
      method: 'GET',
      path: '/metrics',
      summary: 'm',
      tag: 'ops',
      access: 'public',
      response: z.string(),
    }),
  },
};

describe('OpenAPI generation', () => {
  const doc = buildOpenApiDocument(groups, { title: 't', version: '1.0.0' });

  it('converts Fastify path parameters', () => {
    expect(openApiPath('/stores/:storeId/things/:id')).toBe('/stores/{storeId}/things/{id}');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/metrics',
      '/stores/{storeId}/things/{id}',
      '/things',
      '/things/{id}',
    ]);
  });

  it('declares path parameters as required and query parameters as their schema says', () => {
    const op = doc.paths['/stores/{storeId}/things/{id}']!.get!;
    const params = op.parameters!.map((p) => [p.name, p.in, p.required]);
    expect(params).toEqual([
      ['storeId', 'path', true],
      ['id', 'path', true],
      ['q', 'query', false],
      ['limit', 'query', false],
      ['kind', 'query', true],
    ]);
    expect(op.operationId).toBe('things.get');
    expect(op.description).toMatch(/catalog\.read/);
  });

  it('describes the request body as the client sends it and the success status', () => {
    const op = doc.paths['/things']!.post!;
    const schema = (
      op.requestBody as { content: { 'application/json': { schema: Record<string, unknown> } } }
    ).content['application/json'].schema;
    expect(schema).toMatchObject({
      type: 'object',
      required: ['name', 'email'],
      additionalProperties: false,
    });
    expect(schema.$schema).toBeUndefined();
    expect(Object.keys(op.responses)).toContain('201');
    expect(doc.paths['/things/{id}']!.delete!.responses['204']).toEqual({ description: 'No content' });
  });

  it('needs a bearer token except on public endpoints, and shares the error response', () => {
    expect(doc.paths['/things']!.post!.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths['/metrics']!.get!.security).toEqual([]);
    expect(doc.paths['/things']!.post!.responses['401']).toEqual({ $ref: '#/components/responses/Error401' });
    expect(doc.paths['/metrics']!.get!.responses['401']).toBeUndefined();
    expect(doc.paths['/metrics']!.get!.responses['200']).toMatchObject({ content: { 'text/plain': {} } });
    expect(doc.components.schemas.Error).toMatchObject({ type: 'object', required: ['error'] });
    expect(doc.tags).toEqual([{ name: 'ops' }, { name: 'things' }]);
  });

  it('lists the global errors on every operation and an endpoint’s own error statuses', () => {
    const login = endpoint({
      method: 'POST',
      path: '/login',
      summary: 'l',
      tag: 'auth',
      access: 'public',
      body: z.strictObject({ name: z.string() }),
      response: item,
      errorStatuses: [401],
    });
    const withLogin = buildOpenApiDocument({ ...groups, auth: { login } }, { title: 't', version: '1' });
    const statuses = Object.keys(withLogin.paths['/login']!.post!.responses).sort();
    expect(statuses).toEqual(['200', '400', '401', '404', '409', '413', '414', '415', '429', '431', '500']);
    expect(Object.keys(withLogin.paths['/metrics']!.get!.responses)).not.toContain('401');
    expect(withLogin.components.responses.Error415).toBeDefined();
    const unknown = { auth: { login: { ...login, errorStatuses: [418] } } };
    expect(() => buildOpenApiDocument(unknown, { title: 't', version: '1' })).toThrow(
      /no error response for 418/,
    );
  });

  it('lists each media type of a non-JSON success, without its parameters', () => {
    const receipt = endpoint({
      method: 'GET',
      path: '/receipt',
      summary: 'r',
      tag: 'things',
      access: 'public',
      response: z.string(),
      mediaTypes: ['text/plain; charset=utf-8', 'application/octet-stream'],
    });
    const content = buildOpenApiDocument({ r: { receipt } }, { title: 't', version: '1' }).paths['/receipt']!
      .get!.responses['200']!.content as Record<string, unknown>;
    expect(Object.keys(content)).toEqual(['text/plain', 'application/octet-stream']);
  });

  it('refuses two endpoints on the same method and path', () => {
    const twice = { a: { x: groups.things.create }, b: { y: groups.things.create } };
    expect(() => buildOpenApiDocument(twice, { title: 't', version: '1' })).toThrow(
      /two endpoints declare POST \/things/,
    );
  });
});
