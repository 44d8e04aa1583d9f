import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { endpoint } from './endpoint.js';
import { endpointFor } from './endpoints.js';
import { buildPath, matchPath } from './path.js';

describe('buildPath and matchPath', () => {
  it('fill and read parameters, encoded and decoded', () => {
    const path = buildPath('/products/:id/barcodes/:code', { id: 'p1', code: 'A/B C' });
    expect(path).toBe('/products/p1/barcodes/A%2FB%20C');
    expect(matchPath('/products/:id/barcodes/:code', path)).toEqual({ id: 'p1', code: 'A/B C' });
    expect(() => buildPath('/products/:id', {})).toThrow(/missing path parameter id/);
  });

  it('match only the same segments', () => {
    expect(matchPath('/products/:id', '/products')).toBeUndefined();
    expect(matchPath('/products/:id', '/products/')).toBeUndefined();
    expect(matchPath('/products/:id', '/categories/1')).toBeUndefined();
    expect(matchPath('/products/:id', '/products/1/barcodes')).toBeUndefined();
    expect(matchPath('/products', '/products')).toEqual({});
  });
});

describe('endpointFor', () => {
  const e = (method: 'GET' | 'POST', path: string) =>
    endpoint({ method, path, summary: path, tag: 't', access: 'public', response: z.unknown() });
  const table = [
    e('GET', '/stores/:id/stock/:productId'),
    e('GET', '/stores/:id/stock/low'),
    e('POST', '/stores'),
  ];

  it('finds the endpoint of a concrete path, preferring literal segments as Fastify does', () => {
    expect(endpointFor('GET', '/stores/s1/stock/low', table)?.path).toBe('/stores/:id/stock/low');
    expect(endpointFor('GET', '/stores/s1/stock/p1', table)?.path).toBe('/stores/:id/stock/:productId');
    expect(endpointFor('POST', '/stores', table)?.path).toBe('/stores');
    expect(endpointFor('GET', '/stores', table)).toBeUndefined();
  });

  it('knows every route of the real contracts', () => {
    expect(endpointFor('GET', '/products/0b6f1f0e-2f43-4c55-9a8e-2f1f3f6d8a10')?.summary).toMatch(/product/);
    expect(endpointFor('DELETE', '/products/p1/barcodes/4006381333931')?.path).toBe(
      '/products/:id/barcodes/:code',
    );
    expect(endpointFor('GET', '/no-such-route')).toBeUndefined();
  });
});
