import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../test/test-app.js';

const ALLOWED = 'https://backoffice.zakpos.test';
const OTHER = 'https://evil.example';

describe('HTTP hardening', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await createTestApp({
      CORS_ORIGINS: `${ALLOWED}, https://second.zakpos.test`,
      BODY_LIMIT_BYTES: '2048',
    });
  });
  afterAll(() => app.close());

  describe('security headers', () => {
    it.each([
      ['a route', '/health/live', 200],
      ['an error', '/no-such-route', 404],
    ])('are set on %s', async (_, url, status) => {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(status);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['x-powered-by']).toBeUndefined();
    });
  });

  describe('CORS allow-list', () => {
    it('echoes an allowed origin and exposes the request id', async () => {
      const res = await app.inject({ method: 'GET', url: '/health/live', headers: { origin: ALLOWED } });
      expect(res.headers['access-control-allow-origin']).toBe(ALLOWED);
      expect(res.headers['access-control-expose-headers']).toMatch(/x-request-id/);
      expect(res.headers.vary).toMatch(/origin/i);
    });

    it('gives another origin no allow-origin header', async () => {
      const res = await app.inject({ method: 'GET', url: '/health/live', headers: { origin: OTHER } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('answers the preflight of an allowed origin', async () => {
      const res = await app.inject({
        method: 'OPTIONS',
        url: '/stores/7f1c1f38-7c3a-4c55-9a0b-1d1f4a7d7e11',
        headers: {
          origin: ALLOWED,
          'access-control-request-method': 'PATCH',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
      expect(res.statusCode).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe(ALLOWED);
      expect(res.headers['access-control-allow-methods']).toMatch(/PATCH/);
      expect(res.headers['access-control-allow-headers']).toMatch(/authorization/);
      expect(res.headers['access-control-max-age']).toBe('600');
    });

    it('refuses the preflight of another origin', async () => {
      const res = await app.inject({
        method: 'OPTIONS',
        url: '/auth/login',
        headers: { origin: OTHER, 'access-control-request-method': 'POST' },
      });
      // Without an allow-origin header the browser refuses the actual request.
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });
  });

  describe('request body limit', () => {
    it('answers 413 PAYLOAD_TOO_LARGE in the error shape', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/auth/login',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ email: 'a@b.test', password: 'x'.repeat(4000) }),
      });
      expect(res.statusCode).toBe(413);
      expect(res.json()).toEqual({
        error: { code: 'PAYLOAD_TOO_LARGE', message: 'request body is too large' },
      });
      expect(res.headers['x-request-id']).toBeTruthy();
    });

    it('lets a body under the limit through to validation', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/auth/login',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ email: 'not-an-email', password: 'x'.repeat(1000) }),
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    });

    it.each([
      ['form-encoded', 'application/x-www-form-urlencoded', 'email=a%40b.test&password=x'],
      ['plain text', 'text/plain', '{"email":"a@b.test","password":"x"}'],
      ['XML', 'application/xml', '<login/>'],
      ['multipart', 'multipart/form-data; boundary=x', '--x--'],
    ])('refuses a %s body on a JSON route with 415 in the error shape', async (_, type, payload) => {
      const res = await app.inject({
        method: 'POST',
        url: '/auth/login',
        headers: { 'content-type': type },
        payload,
      });
      expect(res.statusCode).toBe(415);
      expect(res.json()).toEqual({
        error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'send application/json' },
      });
    });

    it('answers malformed JSON with 400 MALFORMED_JSON, not a 500', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/auth/login',
        headers: { 'content-type': 'application/json' },
        payload: '{"email": ',
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('MALFORMED_JSON');
    });
  });

  describe('request URI limits', () => {
    it('answers a path parameter over the router limit with 414 in the error shape', async () => {
      const res = await app.inject({ method: 'GET', url: `/categories/${'a'.repeat(200)}` });
      expect(res.statusCode).toBe(414);
      expect(res.json()).toEqual({ error: { code: 'URI_TOO_LONG', message: 'request URI is too long' } });
    });

    it('answers bad percent-encoding in the path with 400 in the error shape', async () => {
      const res = await app.inject({ method: 'GET', url: '/categories/%zz' });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    });
  });
});
