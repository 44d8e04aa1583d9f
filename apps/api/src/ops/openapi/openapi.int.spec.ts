import { PATH_METADATA, METHOD_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Validator } from '@seriousme/openapi-schema-validator';
import { allEndpoints } from '@zakpos/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/test-app.js';
import { checkedInject } from '../../test/contract-check.js';
import { errorStatus } from '../../common/errors/error-codes.js';
import type { OpenApiDocument } from './openapi.js';
import { openApiPath } from './openapi.js';

/** Every route the Nest controllers registered, as `METHOD /path`. */
function nestRoutes(app: NestFastifyApplication): string[] {
  const routes: string[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '/');
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function' || name === 'constructor') continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (path === undefined || method === undefined) continue;
        const full = `/${[base, path]
          .map((p) => p.replace(/^\/|\/$/g, ''))
          .filter(Boolean)
          .join('/')}`;
        routes.push(`${RequestMethod[method]} ${full}`);
      }
    }
  }
  return routes.sort();
}

describe('OpenAPI document and docs UI', () => {
  let app: NestFastifyApplication;
  let doc: OpenApiDocument;
  beforeAll(async () => {
    app = await createTestApp();
    const res = await checkedInject(app, { method: 'GET', url: '/docs/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    doc = res.json();
  });
  afterAll(() => app.close());

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc as unknown as Record<string, unknown>);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
  });

  it('documents every route the API serves, with its method', () => {
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
      ),
    );
    const served = nestRoutes(app);
    expect(served.length).toBeGreaterThan(4);
    const missing = served.filter((r) => {
      const [method, path] = r.split(' ') as [string, string];
      return !documented.has(`${method} ${openApiPath(path)}`);
    });
    expect(missing).toEqual([]);
  });

  it('documents only routes that exist, one operation per contract endpoint', () => {
    const fastify = app.getHttpAdapter().getInstance();
    const absent = allEndpoints.filter((e) => !fastify.hasRoute({ method: e.method, url: e.path }));
    expect(absent.map((e) => `${e.method} ${e.path}`)).toEqual([]);
    const operations = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
    expect(operations).toBe(allEndpoints.length);
  });

  it('marks public and protected operations', () => {
    expect(doc.paths['/health/ready']!.get!.security).toEqual([]);
    expect(doc.paths['/health/ready']!.get!.tags).toEqual(['ops']);
    // Not ready answers 503 with the same report, not the error body.
    const ready = doc.paths['/health/ready']!.get!.responses;
    expect(ready['503']).toEqual({ ...ready['200'], description: expect.any(String) });
    expect(doc.paths['/auth/me']!.get!.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.components.securitySchemes.bearerAuth).toEqual({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
  });

  it('documents every error status the API answers on the operations that can answer it', () => {
    const everywhere = ['400', '404', '413', '414', '415', '429', '500'];
    const documented = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const statuses = Object.keys(op.responses);
        statuses.forEach((s) => documented.add(s));
        expect(statuses, `${method} ${path}`).toEqual(expect.arrayContaining(everywhere));
        if (op.security.length) {
          expect(statuses, `${method} ${path}`).toEqual(expect.arrayContaining(['401', '403']));
        }
      }
    }
    for (const path of ['/auth/login', '/auth/pin', '/auth/refresh']) {
      expect(doc.paths[path]!.post!.responses['401'], path).toEqual({
        $ref: '#/components/responses/Error401',
      });
    }
    // 405 only answers methods no operation documents.
    const statuses = new Set(Object.values(errorStatus).map(String));
    statuses.delete('405');
    expect([...statuses].filter((s) => !documented.has(s))).toEqual([]);
    expect(doc.components.responses.Error414!.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/Error',
    });
  });

  it('documents that a PATCH body changes something', () => {
    const patches = Object.values(doc.paths).flatMap((ops) => (ops.patch ? [ops.patch] : []));
    expect(patches.length).toBeGreaterThan(5);
    for (const op of patches) {
      const body = op.requestBody as { content: { 'application/json': { schema: Record<string, unknown> } } };
      expect(body.content['application/json'].schema.minProperties, op.operationId).toBe(1);
    }
  });

  it('serves the UI at /docs with its bundled assets', async () => {
    const page = await app.inject({ method: 'GET', url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('swagger-ui');
    const bundle = await app.inject({ method: 'GET', url: '/docs/static/swagger-ui-bundle.js' });
    expect(bundle.statusCode).toBe(200);
    const spec = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(spec.json()).toEqual(doc);
  });
});
