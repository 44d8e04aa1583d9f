import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { authEndpoints } from './auth.contract.js';
import { catalogEndpoints, type CreateProductInput, type Product } from './catalog.contract.js';
import { ApiError, createClient, queryString, UnexpectedResponseError } from './client.js';
import {
  type BodyInputOf,
  type BodyOf,
  endpoint,
  type OutputOf,
  type ParamsOf,
  type QueryInputOf,
  type QueryOf,
} from './endpoint.js';
import { opsEndpoints } from './ops.contract.js';
import { receiptEndpoints } from './receipts.contract.js';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real HTTP server on 127.0.0.1: records each request and answers with `answer`. */
let server: Server;
let baseUrl: string;
let received: Received[] = [];
let answer: (res: ServerResponse) => void;

const json = (status: number, body: unknown) => (res: ServerResponse) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
};

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      answer(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  received = [];
});

const productId = '0b6f1f0e-2f43-4c55-9a8e-2f1f3f6d8a10';
const taxCategoryId = '5d1c6c0a-8a1e-4a36-b0b5-52a4a3f1f2d1';
const product: Product = {
  id: productId,
  sku: 'MILK-1L',
  name: 'Milk 1 l',
  price: 129,
  cost: 80,
  taxCategoryId,
  categoryId: null,
  unit: 'each',
  plu: null,
  active: true,
  barcodes: [{ code: '4006381333931', symbology: 'ean13' }],
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('createClient', () => {
  const api = () => createClient({ baseUrl, token: async () => 'tok-1' });

  it('fills the path with encoded params, sends the bearer token and parses the response', async () => {
    answer = json(200, product);
    const got = await api()(catalogEndpoints.removeProductBarcode, {
      params: { id: productId, code: 'A/B C?' },
    });
    expect(got).toEqual(product);
    expect(received).toHaveLength(1);
    expect(received[0]!.method).toBe('DELETE');
    expect(received[0]!.url).toBe(`/api/products/${productId}/barcodes/A%2FB%20C%3F`);
    expect(received[0]!.headers.authorization).toBe('Bearer tok-1');
    expect(received[0]!.headers['content-type']).toBeUndefined();
    expect(received[0]!.body).toBe('');
  });

  it('sends the query string, leaving out undefined values', async () => {
    answer = json(200, { items: [product], nextCursor: 'abc' });
    const got = await api()(catalogEndpoints.listProducts, {
      query: { q: 'milk & eggs', limit: 10, active: 'true', cursor: undefined },
    });
    expect(got.nextCursor).toBe('abc');
    expect(received[0]!.url).toBe('/api/products?q=milk%20%26%20eggs&limit=10&active=true');
  });

  it('sends a JSON body, and no token to a public endpoint', async () => {
    const session = {
      accessToken: 'a',
      refreshToken: 'r',
      expiresIn: 900,
      user: {
        id: productId,
        tenantId: taxCategoryId,
        role: 'owner',
        name: 'Ann',
        email: 'ann@example.com',
        storeIds: null,
      },
    };
    answer = json(200, session);
    const client = createClient({
      baseUrl,
      token: () => {
        throw new Error('a public endpoint must not ask for the token');
      },
    });
    const got = await client(authEndpoints.login, { body: { email: 'ann@example.com', password: 'pw' } });
    expect(got.user.role).toBe('owner');
    expect(received[0]!.method).toBe('POST');
    expect(received[0]!.url).toBe('/api/auth/login');
    expect(received[0]!.headers['content-type']).toBe('application/json');
    expect(received[0]!.headers.authorization).toBeUndefined();
    expect(JSON.parse(received[0]!.body)).toEqual({ email: 'ann@example.com', password: 'pw' });
  });

  it('adds the configured headers and sends no authorization without a token', async () => {
    answer = json(200, product);
    const client = createClient({ baseUrl, token: () => null, headers: { 'x-request-id': 'req-7' } });
    await client(catalogEndpoints.getProduct, { params: { id: productId } });
    expect(received[0]!.headers['x-request-id']).toBe('req-7');
    expect(received[0]!.headers.authorization).toBeUndefined();
  });

  it('turns the error body into an ApiError with status, code, message and fields', async () => {
    answer = json(400, {
      error: { code: 'VALIDATION_FAILED', message: 'sku: required', fields: { sku: ['required'] } },
    });
    const error = await api()(catalogEndpoints.createProduct, {
      body: { sku: '', name: 'X', price: 1, taxCategoryId },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      message: 'sku: required',
      fields: { sku: ['required'] },
    });
  });

  it('refuses a success body that the response schema does not describe', async () => {
    const { barcodes: _, ...withoutBarcodes } = product;
    answer = json(200, { ...withoutBarcodes, price: 1.5 });
    const error = await api()(catalogEndpoints.getProduct, { params: { id: productId } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    const message = (error as Error).message;
    expect(message).toContain(`GET /products/${productId}: 200`);
    expect(message).toContain('barcodes');
    expect(message).toContain('price');
  });

  it('refuses an error that is not the error body: a proxy page, an unknown code', async () => {
    answer = (res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>Bad Gateway</html>');
    };
    const proxied = await api()(authEndpoints.me).catch((e: unknown) => e);
    expect(proxied).toBeInstanceOf(UnexpectedResponseError);
    expect(proxied).toMatchObject({ status: 502, body: '<html>Bad Gateway</html>' });

    answer = json(409, { error: { code: 'NO_SUCH_CODE', message: 'x' } });
    const unknown = await api()(authEndpoints.me).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(UnexpectedResponseError);
    expect(unknown).toMatchObject({ status: 409 });
  });

  it('resolves an empty 204 where the schema allows no body, and refuses an empty body where it needs one', async () => {
    const remove = endpoint({
      method: 'DELETE',
      path: '/things/:id',
      summary: 'Delete a thing',
      tag: 'test',
      access: 'authenticated',
      params: z.strictObject({ id: z.string() }),
      response: z.void(),
      status: 204,
    });
    answer = (res) => {
      res.writeHead(204);
      res.end();
    };
    await expect(api()(remove, { params: { id: 'x' } })).resolves.toBeUndefined();
    expect(received[0]!.url).toBe('/api/things/x');

    answer = (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end();
    };
    await expect(api()(authEndpoints.me)).rejects.toBeInstanceOf(UnexpectedResponseError);
  });

  it('resolves with the response for a failure status the endpoint answers with it (readiness 503)', async () => {
    const report = { status: 'unavailable', checks: { database: { ok: false, error: 'down' } } };
    answer = json(503, report);
    await expect(api()(opsEndpoints.ready)).resolves.toEqual(report);
    answer = json(503, { error: { code: 'NOT_READY', message: 'starting' } });
    await expect(api()(opsEndpoints.live)).rejects.toMatchObject({ status: 503, code: 'NOT_READY' });
  });

  it('returns a text response as text', async () => {
    answer = (res) => {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end('# HELP up 1\nup 1\n');
    };
    await expect(api()(opsEndpoints.metrics)).resolves.toBe('# HELP up 1\nup 1\n');
  });

  it('returns an application/octet-stream body as the bytes sent (ESC/POS), text formats as text', async () => {
    // ESC @, then bytes that are no valid UTF-8 (windows-1252 "ü", a lone 0xff), a NUL and GS V (cut).
    const sent = Buffer.from([0x1b, 0x40, 0xfc, 0xff, 0x00, 0x80, 0x1d, 0x56, 0x01]);
    answer = (res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(sent);
    };
    const id = '00000000-0000-4000-8000-000000000001';
    const bytes = await api()(receiptEndpoints.saleReceipt, { params: { id }, query: { format: 'escpos' } });
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect([...(bytes as Uint8Array)]).toEqual([...sent]);
    expect(received[0]!.url).toBe(`/api/sales/${id}/receipt?format=escpos`);
    answer = (res) => {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Zürich\n');
    };
    await expect(api()(receiptEndpoints.saleReceipt, { params: { id } })).resolves.toBe('Zürich\n');
  });

  it('refuses to build a path with a missing parameter, before sending anything', async () => {
    await expect(api()(catalogEndpoints.getProduct, { params: { id: '' } })).rejects.toThrow(
      /missing path parameter id/,
    );
    expect(received).toHaveLength(0);
  });

  it('uses the global fetch when none is given', async () => {
    answer = json(200, { status: 'ok' });
    await expect(createClient({ baseUrl })(opsEndpoints.live)).resolves.toEqual({ status: 'ok' });
    expect(received[0]!.url).toBe('/api/health/live');
  });
});

describe('queryString', () => {
  it('encodes keys and values, repeats arrays and refuses objects', () => {
    expect(queryString({})).toBe('');
    expect(queryString({ a: [1, 2], 'b c': false, d: null })).toBe('?a=1&a=2&b%20c=false');
    expect(() => queryString({ a: { nested: true } })).toThrow(/query parameter a/);
  });
});

describe('endpoint type helpers', () => {
  it('give callers the schema input and handlers the parsed output', () => {
    type Create = typeof catalogEndpoints.createProduct;
    expectTypeOf<BodyOf<Create>>().toEqualTypeOf<CreateProductInput>();
    expectTypeOf<BodyOf<Create>['cost']>().toEqualTypeOf<number>();
    expectTypeOf<BodyInputOf<Create>['cost']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<OutputOf<Create>>().toEqualTypeOf<Product>();
    expectTypeOf<ParamsOf<typeof catalogEndpoints.getProduct>>().toEqualTypeOf<{ id: string }>();
    expectTypeOf<QueryOf<typeof catalogEndpoints.listProducts>['limit']>().toEqualTypeOf<number>();
    expectTypeOf<QueryInputOf<typeof catalogEndpoints.listProducts>['limit']>().toEqualTypeOf<unknown>();
  });

  it('require params and body where the endpoint declares them', () => {
    const client = createClient({
      baseUrl: 'http://127.0.0.1:1',
      fetch: () => Promise.reject(new Error('x')),
    });
    const calls = [
      // @ts-expect-error params are required
      () => client(catalogEndpoints.getProduct),
      // @ts-expect-error the body is required
      () => client(catalogEndpoints.createProduct, {}),
      // @ts-expect-error this endpoint takes no body
      () => client(authEndpoints.me, { body: {} }),
      () => client(authEndpoints.me),
    ];
    expect(calls).toHaveLength(4);
  });
});
