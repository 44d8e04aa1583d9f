import { connect } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { errorBody } from '@zakpos/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/test-app.js';

/** What Node's HTTP parser refuses before any route, over a real socket (app.inject skips the parser). */
describe('requests the HTTP parser refuses', () => {
  let app: NestFastifyApplication;
  let base: string;

  beforeAll(async () => {
    app = await createTestApp();
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });
  afterAll(() => app.close());

  it('a query string over 16 KiB is a 431 HEADERS_TOO_LARGE in the error shape the OpenAPI document lists', async () => {
    const query = Array.from({ length: 500 }, () => `storeId=${crypto.randomUUID()}`).join('&');
    const res = await fetch(`${base}/reports/sales-by-day?from=2026-01-01&to=2026-01-02&${query}`);
    expect(res.status).toBe(431);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = errorBody.parse(await res.json());
    expect(body.error.code).toBe('HEADERS_TOO_LARGE');
    const doc = (await (await fetch(`${base}/docs/openapi.json`)).json()) as {
      paths: Record<string, { get: { responses: Record<string, unknown> } }>;
    };
    expect(Object.keys(doc.paths['/reports/sales-by-day'].get.responses)).toContain('431');
  });

  it('a request that is not HTTP is a 400 MALFORMED_REQUEST in the same shape', async () => {
    const { port } = new URL(base);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      let data = '';
      socket.on('data', (c: Buffer) => (data += c.toString()));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(errorBody.parse(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).error.code).toBe(
      'MALFORMED_REQUEST',
    );
  });
});
