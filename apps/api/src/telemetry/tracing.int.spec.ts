// Tracing checked on the built API (`node apps/api/dist/main.js`, built here by `tsc -b`), run as a child process
// exactly as in production, against the integration run's PostgreSQL. The test's collector below is a
// plain HTTP server taking OTLP/HTTP JSON on POST /v1/traces: it stands in for an OpenTelemetry
// Collector, which cannot run here.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../common/net/free-port.js';
import { createTenant, type TestTenant } from '../test/fixtures.js';
import { createTestApp } from '../test/test-app.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const SERVER = 2;
const CLIENT = 3;

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: { key: string; value: OtlpValue }[];
}
interface OtlpExport {
  resourceSpans: {
    resource: { attributes: { key: string; value: OtlpValue }[] };
    scopeSpans: { spans: OtlpSpan[] }[];
  }[];
}

const attr = (span: OtlpSpan, key: string) => {
  const value = span.attributes?.find((a) => a.key === key)?.value;
  return value?.stringValue ?? (value?.intValue === undefined ? undefined : String(value.intValue));
};

/** The test's collector: records every OTLP/HTTP trace export it receives. */
async function startTestCollector(): Promise<{ server: Server; url: string; bodies: string[] }> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces') {
        // OTLP/HTTP JSON, as @opentelemetry/exporter-trace-otlp-http sends it.
        if (req.headers['content-type'] === 'application/json') bodies.push(body);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bodies };
}

/**
 * A preload for the API process that writes down every @opentelemetry module it resolves, to see
 * whether the SDK was loaded at all.
 */
function writeModuleProbe(dir: string): { flag: string; log: string } {
  const log = join(dir, 'otel-modules.log');
  writeFileSync(
    join(dir, 'probe-hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (result.url.includes('/@opentelemetry/')) appendFileSync(${JSON.stringify(log)}, result.url + '\\n');
  return result;
}
`,
  );
  const probe = join(dir, 'probe.mjs');
  writeFileSync(
    probe,
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'probe-hooks.mjs')).href)});\n`,
  );
  return { flag: `--import=${pathToFileURL(probe).href}`, log };
}

interface RunningApi {
  base: string;
  output: string[];
  stop(): Promise<number | null>;
}

async function startApi(
  extraEnv: Record<string, string>,
  jwtSecret: string,
  probeFlag: string,
): Promise<RunningApi> {
  const port = await freePort();
  const output: string[] = [];
  const child: ChildProcess = spawn(process.execPath, [probeFlag, MAIN], {
    env: {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: inject('db').appUrl,
      // No relay on the shared test database (see test-app.ts).
      EVENTS_RUN_IN: 'worker',
      JWT_SECRET: jwtSecret,
      LOG_LEVEL: 'debug',
      AUTH_RATE_LIMIT_PER_MINUTE: '10000',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const up = await fetch(`${base}/health/live`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (child.exitCode !== null || i > 150) throw new Error(`the API did not start:\n${output.join('')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    output,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

describe('OpenTelemetry tracing of the built API', () => {
  let app: NestFastifyApplication;
  let tenant: TestTenant;
  let work: string;
  const jwtSecret = randomBytes(32).toString('base64url');

  beforeAll(async () => {
    const build = spawnSync('npx', ['tsc', '-b'], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
    app = await createTestApp({ JWT_SECRET: jwtSecret });
    tenant = await createTenant(app);
    work = await mkdtemp(join(tmpdir(), 'zakpos-tracing-'));
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('exports server and pg spans to the OTLP endpoint, continuing the caller trace, without secrets', async () => {
    const collector = await startTestCollector();
    const probe = writeModuleProbe(work);
    try {
      const api = await startApi({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.url }, jwtSecret, probe.flag);
      const { owner } = tenant;
      const login = await fetch(`${api.base}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: owner.email, password: owner.password }),
      });
      expect(login.status).toBe(200);
      const { accessToken } = (await login.json()) as { accessToken: string };

      const traceId = randomBytes(16).toString('hex');
      const parentId = randomBytes(8).toString('hex');
      const productId = randomUUID();
      const missing = await fetch(
        `${api.base}/products/${productId}?email=${encodeURIComponent(owner.email)}`,
        {
          headers: { ...owner.headers, traceparent: `00-${traceId}-${parentId}-01` },
        },
      );
      expect(missing.status).toBe(404);
      const requestId = missing.headers.get('x-request-id');

      expect(await api.stop(), api.output.join('')).toBe(0); // the shutdown flushes the buffered spans
      expect(api.output.join('')).toContain('tracing on');

      const payload = collector.bodies.join('\n');
      const exports = collector.bodies.map((b) => JSON.parse(b) as OtlpExport);
      const spans = exports.flatMap((e) =>
        e.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)),
      );
      const services = exports.flatMap((e) =>
        e.resourceSpans.map(
          (r) => r.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue,
        ),
      );
      expect(new Set(services)).toEqual(new Set(['zakpos-api']));

      const server = spans.find((s) => s.kind === SERVER && s.name === 'GET /products/:id');
      expect(server, spans.map((s) => s.name).join(', ')).toBeDefined();
      expect(server!.traceId).toBe(traceId);
      expect(server!.parentSpanId).toBe(parentId);
      expect(attr(server!, 'http.route')).toBe('/products/:id');
      expect(attr(server!, 'http.response.status_code')).toBe('404');
      expect(attr(server!, 'zakpos.tenant_id')).toBe(tenant.tenantId);
      expect(attr(server!, 'zakpos.request_id')).toBe(requestId);

      const queries = spans.filter(
        (s) => s.kind === CLIENT && s.traceId === traceId && attr(s, 'db.system.name'),
      );
      expect(queries.length, spans.map((s) => `${s.kind} ${s.name}`).join(', ')).toBeGreaterThan(0);
      expect(queries.some((q) => attr(q, 'db.query.text')?.includes('products'))).toBe(true);

      const loginSpan = spans.find((s) => s.kind === SERVER && s.name === 'POST /auth/login');
      expect(loginSpan).toBeDefined();
      expect(attr(loginSpan!, 'http.response.status_code')).toBe('200');

      const dbPassword = new URL(inject('db').appUrl).password;
      for (const secret of [owner.email, owner.password, accessToken, owner.token, dbPassword, jwtSecret]) {
        expect(payload).not.toContain(secret);
      }
      // Column names like password_hash are fine in query text; values, emails and tokens are not.
      expect(payload).not.toMatch(/@test\.zakpos\.dev|Bearer|eyJ/);
      expect(readFileSync(probe.log, 'utf8')).toContain('@opentelemetry/sdk-node');
    } finally {
      collector.server.close();
    }
  });

  it('without an endpoint, loads no OpenTelemetry module and exports nothing', async () => {
    const collector = await startTestCollector();
    const probe = writeModuleProbe(await mkdtemp(join(work, 'off-')));
    try {
      // The SDK's own variable: were the SDK loaded, it would send here.
      const api = await startApi(
        { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${collector.url}/v1/traces` },
        jwtSecret,
        probe.flag,
      );
      const res = await fetch(`${api.base}/products/${randomUUID()}`, { headers: tenant.owner.headers });
      expect(res.status).toBe(404);
      expect(await api.stop()).toBe(0);
      expect(api.output.join('')).toContain('tracing off: OTEL_EXPORTER_OTLP_ENDPOINT is not set');
      expect(existsSync(probe.log) ? readFileSync(probe.log, 'utf8') : '').toBe('');
      expect(collector.bodies).toEqual([]);
    } finally {
      collector.server.close();
    }
  });
});
