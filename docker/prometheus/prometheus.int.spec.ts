// The monitoring config: docker/prometheus checked and unit-tested with promtool (Debian's `prometheus`
// package), and the Grafana dashboard's queries checked against the metrics the API really exposes.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../apps/api/src/db/database.js';
import { MetricsService } from '../../apps/api/src/ops/metrics/metrics.service.js';
import { parsePromQL, ruleExprs } from './promql.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const prometheusDir = join(root, 'docker/prometheus');
const grafanaDir = join(root, 'docker/grafana');
const PROMTOOL = '/usr/bin/promtool';

// Metrics of the exporters the stack runs, as documented by each project (names used by the dashboard
// and the alerts only): prometheus-community/postgres_exporter, oliver006/redis_exporter,
// nginx/nginx-prometheus-exporter. `up` is Prometheus' own.
const EXPORTER_METRICS = new Set([
  'up',
  'pg_up',
  'pg_database_size_bytes',
  'redis_up',
  'redis_memory_used_bytes',
  'redis_memory_max_bytes',
  'nginx_up',
  'nginx_connections_active',
]);

function promtool(args: string[]) {
  if (!existsSync(PROMTOOL))
    throw new Error(`${PROMTOOL} missing: apt-get install prometheus (npm test does)`);
  const r = spawnSync(PROMTOOL, args, { cwd: prometheusDir, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Metric names and their label names, as the API's MetricsService renders them. */
async function apiMetrics(): Promise<Map<string, Set<string>>> {
  // Only what the metrics read: the pool's figures, and the outbox backlog (a unit of work's result).
  const db = {
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
    anonymous: () => Promise.resolve({ pending: 0, oldest: null }),
  } as unknown as Database;
  const service = new MetricsService(db);
  service.observeRequest('GET', '/products', 200, 0.01);
  const text = await service.render();
  const metrics = new Map<string, Set<string>>();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, name, type] = m as unknown as [string, string, string];
    const names = type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name];
    for (const n of names) metrics.set(n, new Set());
  }
  for (const m of text.matchAll(/^([a-zA-Z_:][\w:]*)\{([^}]*)\}/gm)) {
    const labels = metrics.get(m[1]!);
    for (const l of m[2]!.matchAll(/(\w+)="/g)) labels?.add(l[1]!);
  }
  return metrics;
}

interface Panel {
  title: string;
  type: string;
  datasource?: { type: string; uid: string };
  targets?: { expr: string; datasource?: { uid: string } }[];
}

const scrapeJobs = () =>
  [...readFileSync(join(prometheusDir, 'prometheus.yml'), 'utf8').matchAll(/job_name:\s*(\S+)/g)].map(
    (m) => m[1]!,
  );

describe('Prometheus config (docker/prometheus)', () => {
  it('passes promtool check config, with the alert rules loaded', () => {
    const r = promtool(['check', 'config', 'prometheus.yml']);
    expect(r.out).toContain('SUCCESS: 1 rule files found');
    expect(r.status, r.out).toBe(0);
  });

  it('scrapes the API (every replica, through DNS), the exporters and itself', () => {
    expect(scrapeJobs().sort()).toEqual(['api', 'nginx', 'postgres', 'prometheus', 'redis', 'worker']);
    const text = readFileSync(join(prometheusDir, 'prometheus.yml'), 'utf8');
    expect(text).toMatch(
      /job_name: api\n\s+metrics_path: \/metrics\n\s+dns_sd_configs:\n\s+- names: \['api'\]\n\s+type: A\n\s+port: 3000/,
    );
    for (const target of ['postgres-exporter:9187', 'redis-exporter:9121', 'nginx-exporter:9113']) {
      expect(text).toContain(`'${target}'`);
    }
  });

  it('passes promtool check rules', () => {
    const r = promtool(['check', 'rules', 'alerts.yml']);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('fires each alert on synthetic failing series and stays quiet on healthy ones (promtool test rules)', () => {
    const r = promtool(['test', 'rules', 'alerts.test.yml']);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain('SUCCESS');
    const tests = readFileSync(join(prometheusDir, 'alerts.test.yml'), 'utf8');
    const alerts = [
      ...readFileSync(join(prometheusDir, 'alerts.yml'), 'utf8').matchAll(/- alert: (\w+)/g),
    ].map((m) => m[1]!);
    expect(alerts).toEqual(
      expect.arrayContaining([
        'ServiceDown',
        'ApiHighErrorRate',
        'ApiHighLatency',
        'DatabaseDiskSpaceLow',
        'OutboxBacklog',
      ]),
    );
    for (const alert of alerts) expect(tests, `no unit test for ${alert}`).toContain(`alertname: ${alert}`);
  });

  it("alert rules use only metrics the API or the exporters expose, with the API's label names", async () => {
    const api = await apiMetrics();
    const jobs = new Set(scrapeJobs());
    const alerts = readFileSync(join(prometheusDir, 'alerts.yml'), 'utf8');
    const exprs = ruleExprs(alerts);
    expect(exprs.length).toBe([...alerts.matchAll(/- alert: /g)].length);
    for (const expr of exprs) checkExpr(expr, api, jobs);
  });
});

/** Fails unless every metric of `expr` is known, and every label used on an API metric is one it has. */
function checkExpr(expr: string, api: Map<string, Set<string>>, jobs: Set<string>) {
  const { metrics, matchers, grouping } = parsePromQL(expr);
  expect(metrics.length, expr).toBeGreaterThan(0);
  for (const metric of metrics) {
    const known = api.has(metric) || EXPORTER_METRICS.has(metric);
    expect(known, `unknown metric ${metric} in ${expr}`).toBe(true);
  }
  for (const { metric, label } of matchers) {
    if (!api.has(metric)) continue;
    expect(['job', 'instance', ...api.get(metric)!], `label ${label} of ${metric} in ${expr}`).toContain(
      label,
    );
  }
  if (metrics.every((m) => api.has(m))) {
    const labels = new Set(['job', 'instance', ...metrics.flatMap((m) => [...api.get(m)!])]);
    for (const label of grouping) expect([...labels], `grouping label ${label} in ${expr}`).toContain(label);
  }
  for (const m of expr.matchAll(/job="(\w+)"/g)) expect([...jobs], `job ${m[1]} in ${expr}`).toContain(m[1]);
}

describe('Grafana provisioning (docker/grafana)', () => {
  const dashboard = JSON.parse(readFileSync(join(grafanaDir, 'dashboards/zakpos.json'), 'utf8')) as {
    uid: string;
    title: string;
    panels: Panel[];
  };
  const datasource = readFileSync(join(grafanaDir, 'provisioning/datasources/prometheus.yml'), 'utf8');
  const provider = readFileSync(join(grafanaDir, 'provisioning/dashboards/zakpos.yml'), 'utf8');

  it('provisions Prometheus as the datasource the dashboard uses, and loads the dashboards folder', () => {
    expect(datasource).toMatch(/^\s+url: http:\/\/prometheus:9090$/m);
    expect(datasource).toMatch(/^\s+type: prometheus$/m);
    const uid = /^\s+uid: (\S+)$/m.exec(datasource)?.[1];
    for (const panel of dashboard.panels) {
      expect(panel.datasource?.uid, panel.title).toBe(uid);
      for (const target of panel.targets ?? []) expect(target.datasource?.uid, panel.title).toBe(uid);
    }
    expect(provider).toMatch(/^\s+type: file$/m);
    expect(provider).toMatch(/^\s+path: \/etc\/grafana\/dashboards$/m);
  });

  it('has the ZakPOS panels: traffic, errors, latency, pool, process, targets', () => {
    expect(dashboard.uid).toBe('zakpos-overview');
    const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
    const uses = (pattern: RegExp) =>
      expect(
        exprs.some((e) => pattern.test(e)),
        String(pattern),
      ).toBe(true);
    uses(/rate\(http_request_duration_seconds_count\{job="api"\}/);
    uses(/status_code=~"5\.\."/);
    uses(/histogram_quantile\(0\.5, sum by \(le, route\)/);
    uses(/histogram_quantile\(0\.99, sum by \(le, route\)/);
    uses(/db_pool_waiting_clients/);
    uses(/process_resident_memory_bytes/);
    uses(/process_cpu_seconds_total/);
    uses(/^up$/);
    expect(new Set(dashboard.panels.map((p) => (p as { id?: number }).id)).size).toBe(
      dashboard.panels.length,
    );
  });

  it("every panel queries only metrics the API or the exporters expose, with the API's label names", async () => {
    const api = await apiMetrics();
    expect(api.has('http_request_duration_seconds_bucket')).toBe(true); // the parse of the API is sound
    const jobs = new Set(scrapeJobs());
    for (const panel of dashboard.panels) {
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets!) checkExpr(target.expr, api, jobs);
    }
  });
});
