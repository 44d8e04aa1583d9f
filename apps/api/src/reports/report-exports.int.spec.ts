import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ReportExport } from '@zakpos/contracts';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectClient, type TestClient } from '../realtime/realtime.test-fixtures.js';
import { checkedInject } from '../test/contract-check.js';
import { createTenant, type TestTenant } from '../test/fixtures.js';
import { insertSale, reportWorld } from '../test/report-data.js';
import { createTestApp } from '../test/test-app.js';
import { ExportExpiry } from './export-expiry.job.js';
import { ExportLinks } from './export-links.js';
import { EXPORT_PROGRESS_EVENT } from './report-export.service.js';

const VAT20 = { code: 'VAT20', ratePpm: 200_000 };

/**
 * Report exports on the embedded default's machinery: the job runs in this process, the file goes to a
 * folder (EXPORTS_DIR), progress to the row and to the requester's sockets, and the file comes back by a
 * signed, time-limited link with no token.
 */
describe('report exports', () => {
  let app: NestFastifyApplication;
  let url: string;
  let dir: string;
  let su: pg.Client;
  let t: TestTenant;
  let other: TestTenant;
  let jwtSecret: string;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zakpos-exports-'));
    jwtSecret = randomUUID() + randomUUID();
    app = await createTestApp({ EXPORTS_DIR: dir, JWT_SECRET: jwtSecret });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
    su = new pg.Client({ connectionString: inject('db').superuserUrl });
    await su.connect();
    t = await createTenant(app);
    other = await createTenant(app);
    const w = await reportWorld(su, t);
    for (const [i, at] of [
      '2026-03-01 10:00',
      '2026-03-01 11:00',
      '2026-03-04 12:00',
      '2026-03-09 09:30',
    ].entries()) {
      await insertSale(su, w, {
        store: 0,
        at: `${at} Europe/Paris`,
        receipt: i + 1,
        lines: [{ product: 0, units: i + 1, price: 1000, cost: 400, tax: VAT20 }],
        payments: [{ kind: 'card', amount: (i + 1) * 1200, applied: (i + 1) * 1200 }],
      });
    }
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await su?.end();
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const send = (token: string, method: 'GET' | 'POST', path: string, payload?: object) =>
    checkedInject(app, {
      method,
      url: path,
      headers: { authorization: `Bearer ${token}` },
      ...(payload ? { payload } : {}),
    });
  const march = { report: 'sales-by-day', from: '2026-03-01', to: '2026-03-31' };

  async function completed(token: string, id: string): Promise<ReportExport> {
    let last: ReportExport | undefined;
    await expect
      .poll(
        async () => {
          const res = await send(token, 'GET', `/report-exports/${id}`);
          expect(res.statusCode, res.body).toBe(200);
          last = res.json();
          return last!.status;
        },
        { timeout: 20_000 },
      )
      .toBe('completed');
    return last!;
  }

  it('writes the report to a file, reports progress live and by poll, and serves it by its link', async () => {
    const owner = await connectClient(url, t.owner.token);
    const manager = await connectClient(url, t.manager.token);
    const stranger = await connectClient(url, other.owner.token);
    clients.push(owner, manager, stranger);

    const id = randomUUID();
    const queued = await send(t.owner.token, 'POST', '/report-exports', { id, ...march });
    expect(queued.statusCode, queued.body).toBe(202);
    expect(queued.json()).toMatchObject({ id, ...march, storeIds: [...t.storeIds].sort(), download: null });

    const done = await completed(t.owner.token, id);
    expect(done).toMatchObject({ status: 'completed', rows: 3, totalRows: 3, progress: 1, error: null });
    expect(done.bytes).toBeGreaterThan(0);

    // Live: the requester heard the export run to its end, in order; nobody else heard it.
    const last = await owner.hear(EXPORT_PROGRESS_EVENT, (d) => d.id === id && d.status === 'completed');
    expect(last.data).toMatchObject({ rows: 3, progress: 1 });
    const statuses = owner.all(EXPORT_PROGRESS_EVENT).map((e) => e.status);
    expect(statuses[0]).toBe('running');
    expect(statuses.at(-1)).toBe('completed');
    const progress = owner.all(EXPORT_PROGRESS_EVENT).map((e) => e.progress as number);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    expect(manager.all(EXPORT_PROGRESS_EVENT)).toEqual([]);
    expect(stranger.all(EXPORT_PROGRESS_EVENT)).toEqual([]);

    // The link needs no token, and gives the same CSV as the report itself.
    const file = await checkedInject(app, { method: 'GET', url: done.download!.url });
    expect(file.statusCode, file.body).toBe(200);
    expect(file.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(file.headers['content-disposition']).toBe(
      'attachment; filename="sales-by-day_2026-03-01_2026-03-31.csv"',
    );
    const direct = await send(
      t.owner.token,
      'GET',
      '/reports/sales-by-day?from=2026-03-01&to=2026-03-31&format=csv',
    );
    expect(file.body).toBe(direct.body);
    expect(file.body.trim().split('\n')).toHaveLength(4);
    expect(Number(done.bytes)).toBe(Buffer.byteLength(file.body));
    const expiresIn = Date.parse(done.download!.expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(14 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(15 * 60_000);
    // One complete file, no partial left behind.
    expect(await readdir(join(dir, t.tenantId))).toEqual([`${id}.csv`]);
  });

  it('refuses an altered, expired or foreign link, naming the part at fault', async () => {
    const id = randomUUID();
    expect((await send(t.owner.token, 'POST', '/report-exports', { id, ...march })).statusCode).toBe(202);
    const done = await completed(t.owner.token, id);
    const link = new URL(done.download!.url, 'http://x');

    const forged = new URL(link);
    forged.searchParams.set('expires', String(Number(link.searchParams.get('expires')) + 3600));
    const refused = await checkedInject(app, { method: 'GET', url: `${forged.pathname}${forged.search}` });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({
      code: 'FORBIDDEN',
      fields: { signature: expect.any(Array) },
    });

    const elsewhere = new URL(link);
    elsewhere.searchParams.set('tenant', other.tenantId);
    const foreign = await checkedInject(app, {
      method: 'GET',
      url: `${elsewhere.pathname}${elsewhere.search}`,
    });
    expect(foreign.statusCode).toBe(403);

    const old = new ExportLinks(jwtSecret).link(t.tenantId, id, Date.now() - 16 * 60_000);
    const expired = await checkedInject(app, { method: 'GET', url: old.url });
    expect(expired.statusCode).toBe(403);
    expect(expired.json().error).toMatchObject({ code: 'FORBIDDEN', fields: { expires: ['has passed'] } });

    // A link signed with another key (another installation) is not valid here.
    const strange = new ExportLinks(randomUUID() + randomUUID()).link(t.tenantId, id);
    expect((await checkedInject(app, { method: 'GET', url: strange.url })).statusCode).toBe(403);
  });

  it('is idempotent by id, private to its requester, and checks its input', async () => {
    const id = randomUUID();
    const first = await send(t.owner.token, 'POST', '/report-exports', { id, ...march });
    expect(first.statusCode, first.body).toBe(202);
    await completed(t.owner.token, id);
    const again = await send(t.owner.token, 'POST', '/report-exports', { ...march, id });
    expect(again.statusCode).toBe(202);
    expect(again.json()).toMatchObject({ id, status: 'completed', rows: 3 });
    const changed = await send(t.owner.token, 'POST', '/report-exports', { id, ...march, to: '2026-03-30' });
    expect(changed.statusCode).toBe(422);
    expect(changed.json().error).toMatchObject({
      code: 'IDEMPOTENCY_MISMATCH',
      fields: { id: expect.any(Array) },
    });
    expect(await su.query('select 1 from report_exports where id = $1', [id])).toMatchObject({ rowCount: 1 });

    // Another user of the tenant, and another tenant, do not see it.
    expect((await send(t.manager.token, 'GET', `/report-exports/${id}`)).statusCode).toBe(404);
    expect((await send(other.owner.token, 'GET', `/report-exports/${id}`)).statusCode).toBe(404);

    for (const [field, wrong] of [
      ['report', { report: 'sales-by-weather' }],
      ['to', { to: '2026-02-01' }],
      ['storeId', { storeId: [] }],
      ['id', { id: 'not-a-uuid' }],
    ] as const) {
      const bad = await send(t.owner.token, 'POST', '/report-exports', {
        id: randomUUID(),
        ...march,
        ...wrong,
      });
      expect(bad.statusCode, field).toBe(400);
      expect(Object.keys(bad.json().error.fields), field).toEqual([field]);
    }
    // A cashier may not read reports; a store outside the manager's is refused before anything is written.
    const cashier = await send(t.cashier.token, 'POST', '/report-exports', { id: randomUUID(), ...march });
    expect(cashier.statusCode).toBe(403);
    const outside = await send(t.manager.token, 'POST', '/report-exports', {
      id: randomUUID(),
      ...march,
      storeId: [other.storeIds[0]],
    });
    expect(outside.statusCode).toBe(403);
    const { rows } = await su.query('select count(*)::int as n from report_exports where tenant_id = $1', [
      t.tenantId,
    ]);
    expect(rows[0].n).toBe(3);
  });

  it('removes exports older than a day, file first, and keeps the others', async () => {
    const [old, fresh] = [randomUUID(), randomUUID()];
    for (const id of [old, fresh]) {
      expect((await send(t.owner.token, 'POST', '/report-exports', { id, ...march })).statusCode).toBe(202);
      await completed(t.owner.token, id);
    }
    await su.query(`update report_exports set created_at = now() - interval '25 hours' where id = $1`, [old]);
    expect(await app.get(ExportExpiry).run()).toBeGreaterThanOrEqual(1);
    const files = await readdir(join(dir, t.tenantId));
    expect(files).toContain(`${fresh}.csv`);
    expect(files).not.toContain(`${old}.csv`);
    expect((await send(t.owner.token, 'GET', `/report-exports/${old}`)).statusCode).toBe(404);
    expect((await send(t.owner.token, 'GET', `/report-exports/${fresh}`)).statusCode).toBe(200);
  });

  it('gives up after its last try when the storage keeps failing, saying why, live and by poll', async () => {
    // A folder that cannot be made: its parent is a file.
    const blocked = join(dir, 'not-a-folder');
    await writeFile(blocked, 'x');
    const broken = await createTestApp({ EXPORTS_DIR: join(blocked, 'exports') });
    try {
      await broken.listen(0, '127.0.0.1');
      const t2 = await createTenant(broken);
      const owner = await connectClient(await broken.getUrl(), t2.owner.token);
      clients.push(owner);
      const id = randomUUID();
      const asked = await checkedInject(broken, {
        method: 'POST',
        url: '/report-exports',
        headers: t2.owner.headers,
        payload: { id, ...march },
      });
      expect(asked.statusCode, asked.body).toBe(202);
      // Five tries, 1 + 2 + 4 + 8 s apart.
      const failed = await owner.hear(EXPORT_PROGRESS_EVENT, (d) => d.id === id && d.status === 'failed');
      expect(failed.data.error).toMatch(/ENOTDIR|not a directory/);
      const polled = await checkedInject(broken, { url: `/report-exports/${id}`, headers: t2.owner.headers });
      expect(polled.json()).toMatchObject({ status: 'failed', download: null, error: failed.data.error });
      expect(owner.all(EXPORT_PROGRESS_EVENT).filter((e) => e.status === 'running')).toHaveLength(5);
    } finally {
      await broken.close();
    }
  }, 60_000);

  it('answers 503, naming what is missing, where no export storage is configured', async () => {
    const bare = await createTestApp();
    try {
      const t2 = await createTenant(bare);
      const res = await checkedInject(bare, {
        method: 'POST',
        url: '/report-exports',
        headers: t2.owner.headers,
        payload: { id: randomUUID(), ...march },
      });
      expect(res.statusCode).toBe(503);
      expect(res.json().error).toMatchObject({ code: 'NOT_READY' });
      expect(res.json().error.message).toContain('EXPORTS_DIR');
    } finally {
      await bare.close();
    }
  });
});
