import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../common/net/free-port.js';
import { type AppConnection, useEventsDatabase } from './events.test-fixtures.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const WORKER = 'apps/api/dist/worker.main.js';

/** The built worker as its own process (`node dist/worker.main.js`), on a database of its own. */
describe('the worker process', () => {
  const events = useEventsDatabase('zakpos_worker');
  let writer: AppConnection;
  beforeAll(async () => {
    writer = await events.appClient();
  });
  afterAll(async () => {
    await writer?.end();
  });

  it('runs the relay, serves its probes and metrics, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [WORKER], {
      cwd: ROOT,
      env: {
        NODE_ENV: 'test',
        DATABASE_URL: events.appUrl(),
        JWT_SECRET: randomBytes(32).toString('base64url'),
        HOST: '127.0.0.1',
        WORKER_PORT: String(port),
        LOG_LEVEL: 'info',
        OUTBOX_POLL_MS: '20',
        // The API's setting: the worker runs the events machinery whatever it says.
        EVENTS_RUN_IN: 'worker',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const exit = once(child, 'close').then(([code]) => code as number | null);
    try {
      await new Promise<void>((resolve, reject) => {
        const onData = () => {
          if (out.includes('"msg":"worker started"')) resolve();
        };
        child.stdout!.on('data', onData);
        void exit.then((code) => reject(new Error(`the worker exited with ${code}:\n${out}`)));
      });
      const get = (path: string) => fetch(`http://127.0.0.1:${port}${path}`);
      expect((await get('/health/live')).status).toBe(200);
      const ready = await get('/health/ready');
      expect(ready.status, await ready.clone().text()).toBe(200);
      expect(((await ready.json()) as { status: string }).status).toBe('ok');

      const t = await events.addTenant();
      await writer.begin(t);
      for (let i = 0; i < 3; i++) await writer.event(t, 'session.closed');
      await writer.client.query('commit');
      const pending = async () =>
        Number((await events.db.owner.query('select pending from app_outbox_backlog()')).rows[0].pending);
      const deadline = Date.now() + 20_000;
      while ((await pending()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(await pending()).toBe(0);
      const metrics = await (await get('/metrics')).text();
      expect(metrics).toMatch(/^zakpos_outbox_relay_leader 1$/m);
      expect(metrics).toMatch(/^zakpos_outbox_published_total\{topic="zakpos.cash"\} 3$/m);
      expect((await get('/nope')).status).toBe(404);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exit, out).toBe(0);
    expect(out).toContain('"msg":"worker stopped"');
  });
});
