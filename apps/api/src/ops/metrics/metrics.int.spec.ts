import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant } from '../../test/fixtures.js';
import { createTestApp } from '../../test/test-app.js';
import { checkedInject } from '../../test/contract-check.js';

/** The value of one sample line (`name{labels} value`) of the exposition, or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('GET /metrics', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  const metrics = async () => {
    const res = await checkedInject(app, { method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    return res;
  };

  it('answers in the Prometheus text format without a token', async () => {
    const res = await metrics();
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.body).toContain('# TYPE http_request_duration_seconds histogram');
  });

  it('times requests by method, route template and status; unmatched URLs share one label', async () => {
    const t = await createTenant(app);
    const storeUrl = `/stores/${t.storeIds[0]}`;
    const got = await checkedInject(app, { method: 'GET', url: storeUrl, headers: t.owner.headers });
    expect(got.statusCode).toBe(200);
    await checkedInject(app, { method: 'GET', url: '/health/live' });
    await checkedInject(app, { method: 'GET', url: '/health/live' });
    await app.inject({ method: 'GET', url: `/no-such-route/${t.tenantId}` });

    const text = (await metrics()).body;
    const count = (labels: Record<string, string>) =>
      sample(text, 'http_request_duration_seconds_count', labels);
    expect(count({ method: 'GET', route: '/stores/:id', status_code: '200' })).toBeGreaterThanOrEqual(1);
    expect(count({ method: 'GET', route: '/health/live', status_code: '200' })).toBeGreaterThanOrEqual(2);
    expect(count({ method: 'GET', route: 'unmatched', status_code: '404' })).toBeGreaterThanOrEqual(1);
    // never the raw URL: ids would make one series per record
    expect(text).not.toContain(t.storeIds[0]);
    expect(text).not.toContain(t.tenantId);
  });

  it('reports the database pool and the process', async () => {
    await checkedInject(app, { method: 'GET', url: '/health/ready' }); // opens a pool connection
    const text = (await metrics()).body;
    expect(text).toMatch(/^db_pool_connections \d+$/m);
    expect(Number(/^db_pool_connections (\d+)$/m.exec(text)![1])).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^db_pool_idle_connections \d+$/m);
    expect(text).toMatch(/^db_pool_waiting_clients \d+$/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes /m);
  });

  it('keeps one registry per app, so two apps in one process count separately', async () => {
    const other = await createTestApp();
    try {
      const labels = { route: '/health/ready', status_code: '200' };
      const before = sample((await metrics()).body, 'http_request_duration_seconds_count', labels);
      for (let i = 0; i < 3; i++) await other.inject({ method: 'GET', url: '/health/ready' });
      const theirs = (await other.inject({ method: 'GET', url: '/metrics' })).body;
      expect(sample(theirs, 'http_request_duration_seconds_count', labels)).toBe(3);
      expect(sample((await metrics()).body, 'http_request_duration_seconds_count', labels)).toBe(before);
    } finally {
      await other.close();
    }
  });
});
