// The prod variant on a real Docker engine: base + docker-compose.prod.yml with a filled-in copy of .env.prod and
// a certificate installed by scripts/install-cert, brought up with `up --wait`. Then it is used as an operator
// and a merchant would: through nginx over HTTPS, and inspected while it runs; then operated (prod-operations.ts:
// restarts, crashes, backup and restore), on the same stack, as bringing one up takes a minute.
import { randomUUID } from 'node:crypto';
import { catalogEndpoints, salesEndpoints } from '@zakpos/contracts';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardExprs, parsePromQL, ruleExprs } from '../prometheus/promql.js';
import { salesReachSocketAndKafka } from './stack-events.js';
import { docker } from '../../scripts/lib/docker-engine.mjs';
import { startOutside } from './outside-network.js';
import { describeOperations } from './prod-operations.js';
import { emailedReceipt, exportedSales, sell, signUpMerchant } from './pos-flow.js';
import { root, Stack } from './stack-harness.js';
import { expectUpAndDone } from './stack-expect.js';

/** The services of prod that run (one-shots exit; the monitoring profile has its own test). */
const RUNNING = ['api', 'kafka', 'minio', 'nginx', 'postgres', 'redis', 'worker'];

let stack: Stack;

beforeAll(() => {
  stack = new Stack('prod').prepare();
  // As docs/operations.md has the operator do it: build the API image from this tree, then start.
  stack.composeOk(['build'], { timeoutMs: 1_200_000 });
  stack.composeOk(['up', '-d', '--wait'], { timeoutMs: 900_000 });
});

afterAll(() => stack?.remove());

/** `docker exec` in a container; the output, or throws. */
const exec = (id: string, cmd: string[]) => docker(['exec', id, ...cmd]);
/** A field of /proc/1/status of a container: the service's own process. */
const status = (id: string, field: string) =>
  new RegExp(`^${field}:\\s*(.*)$`, 'm').exec(exec(id, ['cat', '/proc/1/status']))?.[1]?.trim();

describe('the prod stack', () => {
  it('comes up with every service healthy and every one-shot done', () => expectUpAndDone(stack, RUNNING));

  it('serves the POS through nginx over HTTPS: readiness, signup, login, a product, a sale, its receipt', async () => {
    const ready = await stack.request('/health/ready');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body.toString())).toMatchObject({ status: 'ok' });

    const merchant = await signUpMerchant(stack);
    const { sale, receipt } = await sell(stack, merchant, 2);
    expect(sale.totals.gross).toBe(840);
    expect(sale.receiptNumber).toBe(1);
    expect(receipt).toContain('Milk 1 L');
    expect(receipt).toMatch(/8[.,]40/);

    // Today's sales as a CSV file: written by the worker to MinIO, served by a replica through its link.
    const exported = await exportedSales(stack, merchant);
    expect(exported.status).toBe(200);
    expect(exported.export).toMatchObject({ rows: 1, progress: 1 });
    expect(exported.csv.trim().split('\n')).toHaveLength(2);
    expect(exported.csv.split('\n')[1]).toContain(',840,');
    // In the bucket (MinIO keeps an object as a folder of its name), written by MinIO's own user.
    const minio = stack.containers('minio')[0]!;
    const key = `/data/zakpos-exports/${merchant.tenantId}/${exported.export.id}.csv`;
    expect(exec(minio, ['stat', '-c', '%F %u', key, '/data']).trim().split('\n')).toEqual([
      'directory 1001',
      'directory 1001',
    ]);
  });

  it('serves the OpenAPI document, refuses /metrics from outside, redirects HTTP to HTTPS', async () => {
    const doc = await stack.request('/docs/openapi.json');
    expect(doc.status).toBe(200);
    expect(JSON.parse(doc.body.toString())).toMatchObject({ openapi: expect.stringMatching(/^3\./) });

    const metrics = await stack.request('/metrics');
    expect(metrics.status).toBe(403);
    expect(JSON.parse(metrics.body.toString())).toEqual({
      error: { code: 'FORBIDDEN', message: 'Forbidden' },
    });

    const http = await fetch(`http://${stack.address}:${stack.port('nginx', 8080)}/health/ready`, {
      redirect: 'manual',
    });
    expect(http.status).toBe(301);
    expect(http.headers.get('location')).toMatch(/^https:\/\/[^/]+\/health\/ready$/);
  });

  it('runs every service hardened: non-root, read-only root, no capability, no new privileges', () => {
    for (const service of RUNNING) {
      const id = stack.containers(service)[0]!;
      const c = stack.inspect(id);
      expect(c.HostConfig.ReadonlyRootfs, service).toBe(true);
      expect(c.HostConfig.Privileged, service).toBe(false);
      expect(c.HostConfig.CapDrop, service).toEqual(['ALL']);
      expect(c.HostConfig.CapAdd ?? [], service).toEqual([]);
      expect(c.HostConfig.SecurityOpt, service).toContain('no-new-privileges:true');
      // What the kernel says of the service's own process, not only what was asked for.
      const [uid] = status(id, 'Uid')!.split(/\s+/);
      expect(Number(uid), `${service} uid`).toBeGreaterThan(0);
      expect(status(id, 'CapEff'), `${service} effective capabilities`).toBe('0000000000000000');
      expect(status(id, 'NoNewPrivs'), service).toBe('1');
      expect(() => exec(id, ['touch', '/zakpos-write-probe']), service).toThrow(/Read-only file system/);
    }
  });

  it('publishes ports for nginx only', () => {
    const published = Object.fromEntries(
      RUNNING.map((service) => {
        const bindings = stack.inspect(stack.containers(service)[0]!).HostConfig.PortBindings ?? {};
        return [service, Object.keys(bindings).sort()];
      }),
    );
    expect(published).toEqual({
      api: [],
      kafka: [],
      minio: [],
      nginx: ['8080/tcp', '8443/tcp'],
      postgres: [],
      redis: [],
      worker: [],
    });
  });

  it('spreads requests over every replica of a scaled API', async () => {
    stack.composeOk(['up', '-d', '--wait', '--scale', 'api=3', '--no-recreate'], { timeoutMs: 600_000 });
    const replicas = stack.containers('api').map((id) => {
      const networks = stack.inspect(id).NetworkSettings.Networks;
      return networks[`${stack.project}_frontend`]!.IPAddress;
    });
    expect(replicas).toHaveLength(3);
    const tag = randomUUID().slice(0, 8);
    for (let i = 0; i < 30; i++) {
      const res = await stack.request('/health/live', { headers: { 'x-request-id': `spread-${tag}-${i}` } });
      expect(res.status).toBe(200);
    }
    const served = stack
      .accessLog()
      .filter((l) => l.request_id.startsWith(`spread-${tag}-`))
      .map((l) => l.upstream_addr.replace(/:3000$/, ''));
    expect(served).toHaveLength(30);
    expect(new Set(served)).toEqual(new Set(replicas));
  });

  it('carries sales made through nginx on every replica to a Socket.IO client on one of them and to Kafka', () =>
    salesReachSocketAndKafka(stack));

  // Scaling 3 → 1 under traffic lost a request (a 504 after 10 s): replicas that stopped were still in nginx's DNS
  // answer, and two connect timeouts of 5 s used up its two tries. Every request here must be answered 2xx.
  it('scales back down to one replica under a stream of sales and reads without losing one', async () => {
    const merchant = await signUpMerchant(stack, 'scale');
    const api = stack.client(() => merchant.token);
    const results: string[] = [];
    let scaled = false;
    let after = 0;
    // One request at a time, ~10 per second (under nginx's 20/s per address), until the scale-down is done and
    // 60 more have been answered (past the 5 s nginx may hold a gone replica's address); at most 1,500.
    const loop = (async () => {
      for (let i = 0; i < 1_500 && after < 60; i++) {
        try {
          if (i % 2 === 0) {
            await api(salesEndpoints.checkout, {
              body: {
                id: randomUUID(),
                registerId: merchant.registerId,
                lines: [{ productId: merchant.productId }],
                payments: [{ kind: 'cash', amount: 500 }],
              },
            });
            results.push('sale');
          } else {
            await api(catalogEndpoints.getProduct, { params: { id: merchant.productId } });
            results.push('read');
          }
        } catch (err) {
          results.push(`failed: ${(err as Error).message}`);
        }
        if (scaled) after++;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const scaleDown = await stack.composeAsync(['up', '-d', '--wait', '--scale', 'api=1', '--no-recreate']);
    scaled = true;
    await loop;
    expect(scaleDown.status, scaleDown.stderr).toBe(0);
    expect(stack.containers('api')).toHaveLength(1);
    const failed = results.filter((r) => r.startsWith('failed'));
    const log = stack
      .accessLog()
      .slice(-200)
      .map(
        (l) =>
          `${l.time} ${l.method} ${l.uri} ${l.status} ${l.upstream_addr} ${l.upstream_status} ${l.request_time}`,
      );
    expect(failed, log.join('\n')).toEqual([]);
    expect(results.length).toBeGreaterThan(60);
    const sales = results.filter((r) => r === 'sale').length;
    expect(Number(stack.sql(`select count(*) from sales where tenant_id = '${merchant.tenantId}'`))).toBe(
      sales,
    );
  });

  // Proven by traffic that never leaves the machine: docker/stack/outside-network.ts.
  it('keeps the backend network internal: a container on it cannot reach an outside address', () => {
    const net = (name: string) => `${stack.project}_${name}`;
    expect(JSON.parse(docker(['network', 'inspect', '--format', '{{json .Internal}}', net('backend')]))).toBe(
      true,
    );
    const outside = startOutside();
    try {
      expect(outside.probe(net('frontend'))).toBe('outside');
      expect(outside.probe(net('backend'))).toBe('no answer');
    } finally {
      outside.remove();
    }
  });

  // Grafana has no stand-in (not packaged in Debian): its provisioning is checked in docker/grafana; here its
  // dashboard's queries are checked against what the live Prometheus holds.
  it('runs the monitoring profile: every scrape target up, every metric of the alerts and the dashboard present', async () => {
    const monitoring = ['prometheus', 'postgres-exporter', 'redis-exporter', 'nginx-exporter'];
    stack.composeOk(['up', '-d', '--wait', ...monitoring], { profiles: ['monitoring'], timeoutMs: 600_000 });
    try {
      const query = (path: string) =>
        JSON.parse(
          stack.composeOk(
            ['exec', '-T', 'prometheus', 'wget', '-q', '-O', '-', `http://127.0.0.1:9090${path}`],
            {
              profiles: ['monitoring'],
            },
          ),
        ) as { status: string; data: unknown };
      let targets: { labels: { job: string }; health: string; lastError: string }[] = [];
      // Scrapes every 15 s: bounded wait for each target's first one.
      for (let i = 0; i < 60; i++) {
        targets = (query('/api/v1/targets?state=active').data as { activeTargets: typeof targets })
          .activeTargets;
        if (targets.length >= 6 && targets.every((t) => t.health === 'up')) break;
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
      expect(targets.map((t) => `${t.labels.job} ${t.health} ${t.lastError}`.trim()).sort()).toEqual([
        'api up',
        'nginx up',
        'postgres up',
        'prometheus up',
        'redis up',
        'worker up',
      ]);

      const present = new Set(query('/api/v1/label/__name__/values').data as string[]);
      const wanted = new Set(
        [
          ...ruleExprs(readFileSync(`${root}/docker/prometheus/alerts.yml`, 'utf8')),
          ...dashboardExprs(readFileSync(`${root}/docker/grafana/dashboards/zakpos.json`, 'utf8')),
        ].flatMap((expr) => parsePromQL(expr).metrics),
      );
      expect(wanted.size).toBeGreaterThan(10);
      const missing = [...wanted].filter((m) => !present.has(m)).sort();
      expect(missing).toEqual([]);
    } finally {
      // The operations that follow run the stack as docs/operations.md does: without the profile.
      stack.composeOk(['rm', '-fsv', ...monitoring], { profiles: ['monitoring'] });
    }
  });

  // With fixed network names a second project joined the first one's networks: prod's nginx balanced over both
  // stacks' API replicas and `postgres` resolved to both databases.
  it('runs the test variant beside it on the same engine, sharing no network and no data', async () => {
    const test = new Stack('test').prepare();
    try {
      test.composeOk(['up', '--build', '--wait'], { timeoutMs: 900_000 });
      const merchant = await signUpMerchant(test, 'beside');
      const { sale } = await sell(test, merchant, 1);
      expect(sale.receiptNumber).toBe(1);
      // The worker mails the receipt through the test overlay's Mailpit.
      const to = `customer-${randomUUID().slice(0, 8)}@example.com`;
      const mailed = await emailedReceipt(test, merchant, sale.id, to);
      expect(mailed.queued.status).toBe('queued');
      expect(mailed.message).toMatchObject({
        Subject: 'Your receipt',
        MessageID: `receipt-${mailed.queued.jobId}@zakpos`,
      });

      const networks = (s: Stack, service: string) =>
        Object.keys(s.inspect(s.containers(service)[0]!).NetworkSettings.Networks);
      for (const service of ['nginx', 'api', 'postgres', 'redis', 'kafka']) {
        expect(
          networks(stack, service).every((n) => n.startsWith(`${stack.project}_`)),
          service,
        ).toBe(true);
        expect(
          networks(test, service).every((n) => n.startsWith(`${test.project}_`)),
          service,
        ).toBe(true);
      }
      const backendIp = (s: Stack) =>
        s.inspect(s.containers('postgres')[0]!).NetworkSettings.Networks[`${s.project}_backend`]!.IPAddress;
      const resolved = stack.composeOk([
        'exec',
        '-T',
        'api',
        'node',
        '-e',
        "require('dns').lookup('postgres', { all: true }, (e, a) => console.log(JSON.stringify(a.map((x) => x.address))))",
      ]);
      expect(JSON.parse(resolved)).toEqual([backendIp(stack)]);

      const prodReplicas = stack
        .containers('api')
        .map((id) => stack.inspect(id).NetworkSettings.Networks[`${stack.project}_frontend`]!.IPAddress);
      const tag = randomUUID().slice(0, 8);
      for (let i = 0; i < 10; i++)
        await stack.request('/health/live', { headers: { 'x-request-id': `own-${tag}-${i}` } });
      const served = stack
        .accessLog()
        .filter((l) => l.request_id.startsWith(`own-${tag}-`))
        .map((l) => l.upstream_addr.replace(/:3000$/, ''));
      expect(served).toHaveLength(10);
      expect(served.filter((ip) => !prodReplicas.includes(ip))).toEqual([]);
      expect(stack.sql(`select count(*) from tenants where id = '${merchant.tenantId}'`)).toBe('0');
    } finally {
      test.remove();
    }
  });
});

describeOperations(() => stack);
