import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from './test/test-app.js';

describe('the API shell', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  it('answers an unknown route with the error shape and a request id', async () => {
    const res = await app.inject({ method: 'GET', url: '/no-such-route' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'route not found' } });
    expect(res.headers['x-request-id']).toBeTruthy();
  });

  it('keeps a sane caller request id and replaces a hostile one', async () => {
    const kept = await app.inject({ method: 'GET', url: '/x', headers: { 'x-request-id': 'abc-123' } });
    expect(kept.headers['x-request-id']).toBe('abc-123');
    const replaced = await app.inject({
      method: 'GET',
      url: '/x',
      headers: { 'x-request-id': 'a b\u0000<' },
    });
    expect(replaced.headers['x-request-id']).not.toBe('a b\u0000<');
  });
});
