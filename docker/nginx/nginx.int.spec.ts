// The nginx config that ships in docker/nginx, run for real (Debian's nginx) in front of the real API.
// Only the container-specific bits are rewritten, by the explicit substitutions in render(): upstream
// addresses, listen ports, writable paths, include and certificate paths, the Docker DNS resolver.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import tls from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../apps/api/src/common/net/free-port.js';
import { bootstrapDatabase } from '../../apps/api/src/db/bootstrap.js';
import { roleUrls } from '../../apps/api/src/db/connection-urls.js';
import { type RunningPostgres, startEmbeddedPostgres } from '../../apps/api/src/db/embedded-postgres.js';
import { migrate } from '../../apps/api/src/db/migrator.js';
import { swap } from '../config-text.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const source = join(root, 'docker/nginx');
const NGINX = '/usr/sbin/nginx';
const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

interface Ports {
  api: number;
  ws: number;
  http: number;
  https: number;
  status: number;
}

/** Replaces `from` inside the block `upstream NAME { ... }` only. */
function swapInUpstream(text: string, name: string, from: string, to: string): string {
  const start = text.indexOf(`upstream ${name} {`);
  const end = text.indexOf('}', start);
  if (start < 0 || end < 0) throw new Error(`no upstream ${name}`);
  return text.slice(0, start) + swap(text.slice(start, end), from, to) + text.slice(end);
}

/** Writes the shipped config under `prefix`, with only the container-specific bits replaced. */
async function render(prefix: string, certs: string, ports: Ports): Promise<string> {
  const conf = join(prefix, 'conf');
  const paths = (text: string) =>
    text
      .replaceAll('/etc/nginx/conf.d/', `${conf}/conf.d/`)
      .replaceAll('/etc/nginx/snippets/', `${conf}/snippets/`)
      .replaceAll('/etc/nginx/certs/', `${certs}/`);

  let main = await readFile(join(source, 'nginx.conf'), 'utf8');
  main = swap(main, 'pid /var/run/nginx.pid;', `pid ${prefix}/nginx.pid;`);
  main = swap(main, '/var/cache/nginx/', `${prefix}/cache/`, 5);
  main = swap(main, 'resolver 127.0.0.11 valid=5s ipv6=off;', '');
  await mkdir(join(prefix, 'cache')); // /var/cache/nginx: in the image (a tmpfs in prod)
  await mkdir(join(conf, 'conf.d'), { recursive: true });
  await mkdir(join(conf, 'snippets'), { recursive: true });
  await writeFile(join(conf, 'nginx.conf'), paths(main));

  for (const file of await readdir(join(source, 'snippets'))) {
    const text = await readFile(join(source, 'snippets', file), 'utf8');
    await writeFile(join(conf, 'snippets', file), paths(text));
  }

  let api = await readFile(join(source, 'conf.d/api.conf'), 'utf8');
  api = swapInUpstream(
    api,
    'api',
    'server api:3000 resolve max_fails=1 fail_timeout=30s;',
    `server 127.0.0.1:${ports.api} max_fails=1 fail_timeout=30s;`,
  );
  // The API has no Socket.IO yet: the test's WebSocket echo server stands in for it.
  api = swapInUpstream(api, 'api_socketio', 'server api:3000 resolve;', `server 127.0.0.1:${ports.ws};`);
  api = swap(api, 'listen 8080;', `listen 127.0.0.1:${ports.http};`);
  api = swap(api, 'listen 8443 ssl;', `listen 127.0.0.1:${ports.https} ssl;`);
  api = swap(api, 'listen 8081;', `listen 127.0.0.1:${ports.status};`);
  await writeFile(join(conf, 'conf.d/api.conf'), paths(api));
  return join(conf, 'nginx.conf');
}

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function send(
  port: number,
  path: string,
  o: { tls?: boolean; method?: string; headers?: Record<string, string>; body?: Buffer | string } = {},
): Promise<Reply> {
  const mod = o.tls === false ? http : https;
  return new Promise((resolve, reject) => {
    const req = mod.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: o.method ?? 'GET',
        headers: o.headers,
        agent: false,
        rejectUnauthorized: false,
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout on ${path}`)));
    req.on('error', reject);
    req.end(o.body);
  });
}

const json = (r: Reply) => JSON.parse(r.body.toString('utf8')) as Record<string, unknown>;

async function waitFor(what: string, ok: () => Promise<boolean>, logs: () => string): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (await ok().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not come up:\n${logs()}`);
}

/** One unfragmented, short WebSocket frame (RFC 6455 §5.2), masked when a client sends it. */
function frame(text: string, mask: boolean): Buffer {
  const payload = Buffer.from(text);
  const key = mask ? randomBytes(4) : Buffer.alloc(0);
  const body = mask ? payload.map((b, i) => b ^ key[i % 4]) : payload;
  return Buffer.concat([Buffer.from([0x81, (mask ? 0x80 : 0) | payload.length]), key, body]);
}

function unframe(data: Buffer): string {
  const masked = (data[1] & 0x80) !== 0;
  const length = data[1] & 0x7f;
  const key = masked ? data.subarray(2, 6) : null;
  const body = data.subarray(masked ? 6 : 2, (masked ? 6 : 2) + length);
  return Buffer.from(key ? body.map((b, i) => b ^ key[i % 4]) : body).toString('utf8');
}

const upgraded = new Set<Socket>();

/** A tiny WebSocket echo server: the RFC 6455 handshake, then each text frame sent back. */
function echoServer(): http.Server {
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', (req: http.IncomingMessage, socket: Socket) => {
    upgraded.add(socket);
    socket.on('close', () => upgraded.delete(socket));
    const accept = createHash('sha1')
      .update(`${String(req.headers['sec-websocket-key'])}${WS_GUID}`)
      .digest('base64');
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Accept: ${accept}\r\nX-Upstream-Saw-Request-Id: ${String(req.headers['x-request-id'])}\r\n\r\n`,
    );
    socket.on('data', (data: Buffer) => socket.write(frame(`echo:${unframe(data)}`, false)));
    socket.on('error', () => socket.destroy());
  });
  return server;
}

function stop(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

describe('docker/nginx in front of the API', () => {
  let prefix: string;
  let ports: Ports;
  let pg: RunningPostgres | undefined;
  let api: ChildProcess | undefined;
  let nginx: ChildProcess | undefined;
  let ws: http.Server | undefined;
  let syntaxCheck: { status: number | null; output: string };
  let apiLog = '';
  let nginxErr = '';
  let stdout: number | undefined;

  const accessEntries = () =>
    readFileSync(join(prefix, 'stdout.log'), 'utf8')
      .split('\n')
      .slice(0, -1) // complete lines only
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  /** The access-log entry matching `match`: nginx writes it just after answering, so wait a little. */
  async function logged(match: (e: Record<string, unknown>) => boolean) {
    await waitFor(
      'the access log entry',
      async () => accessEntries().some(match),
      () => '',
    );
    return accessEntries().find(match);
  }

  beforeAll(async () => {
    prefix = await mkdtemp(join(tmpdir(), 'zakpos-nginx-'));
    // nginx's workers run as an unprivileged user when the test runs as root: they must reach the temp dirs.
    await chmod(prefix, 0o755);
    ports = { api: await freePort(), ws: 0, http: await freePort(), https: 0, status: 0 };
    ports.https = await freePort();
    ports.status = await freePort();

    ws = echoServer();
    await new Promise<void>((resolve) => ws?.listen(0, '127.0.0.1', resolve));
    const address = ws.address();
    ports.ws = typeof address === 'object' && address ? address.port : 0;

    const certs = join(prefix, 'certs');
    const cert = spawnSync('bash', [join(root, 'scripts/dev-cert'), certs], { encoding: 'utf8' });
    if (cert.status !== 0) throw new Error(`scripts/dev-cert failed: ${cert.stderr}`);
    const conf = await render(prefix, certs, ports);

    // The access log goes to /dev/stdout, which nginx opens by path: that works on a file or a pipe
    // (as in a container) but not on the socket Node's 'pipe' would give it.
    stdout = openSync(join(prefix, 'stdout.log'), 'a');
    const check = spawnSync(NGINX, ['-t', '-c', conf, '-p', prefix], {
      encoding: 'utf8',
      stdio: ['ignore', stdout, 'pipe'],
    });
    syntaxCheck = { status: check.status, output: check.stderr };

    // The real API on a real, migrated PostgreSQL.
    if (!existsSync(join(root, 'apps/api/dist/main.js'))) {
      const build = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b'], {
        cwd: root,
        encoding: 'utf8',
      });
      if (build.status !== 0) throw new Error(`tsc -b failed: ${build.stdout}${build.stderr}`);
    }
    const pgPort = await freePort();
    const superuserPassword = randomBytes(18).toString('base64url');
    pg = await startEmbeddedPostgres({
      dataDir: join(prefix, 'pg'),
      port: pgPort,
      superuserPassword,
      settings: { fsync: 'off', synchronous_commit: 'off' },
    });
    const secrets = {
      ownerPassword: randomBytes(18).toString('base64url'),
      appPassword: randomBytes(18).toString('base64url'),
    };
    await bootstrapDatabase({ superuserUrl: pg.superuserUrl(), database: 'zakpos_nginx', ...secrets });
    const urls = roleUrls({ host: '127.0.0.1', port: pgPort, database: 'zakpos_nginx', ...secrets });
    await migrate(urls.ownerUrl);
    api = spawn(process.execPath, [join(root, 'apps/api/dist/main.js')], {
      cwd: root,
      env: {
        DATABASE_URL: urls.appUrl,
        JWT_SECRET: randomBytes(32).toString('base64url'),
        PORT: String(ports.api),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        // The API's own auth limit out of the way: every 429 below must come from nginx.
        AUTH_RATE_LIMIT_PER_MINUTE: '100000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    api.stdout?.on('data', (d: Buffer) => (apiLog += d.toString()));
    api.stderr?.on('data', (d: Buffer) => (apiLog += d.toString()));
    await waitFor(
      'the API',
      async () => (await send(ports.api, '/health/ready', { tls: false })).status === 200,
      () => apiLog,
    );

    if (syntaxCheck.status !== 0) return; // the first test reports it
    nginx = spawn(NGINX, ['-c', conf, '-p', prefix, '-g', 'daemon off;'], {
      stdio: ['ignore', stdout, 'pipe'],
    });
    nginx.stderr?.on('data', (d: Buffer) => (nginxErr += d.toString()));
    await waitFor(
      'nginx',
      async () => (await send(ports.status, '/healthz', { tls: false })).status === 200,
      () => nginxErr,
    );
  });

  afterAll(async () => {
    await stop(nginx, 'SIGQUIT');
    await stop(api, 'SIGTERM');
    for (const socket of upgraded) socket.destroy();
    await new Promise((resolve) => (ws ? ws.close(resolve) : resolve(undefined)));
    await pg?.stop();
    if (stdout !== undefined) closeSync(stdout);
    if (prefix) await rm(prefix, { recursive: true, force: true });
  });

  it('passes nginx -t without warnings', () => {
    expect(syntaxCheck.output).toContain('test is successful');
    expect(syntaxCheck.output).not.toMatch(/\[(warn|emerg|alert|crit)\]/);
    expect(syntaxCheck.status).toBe(0);
  });

  it('proxies HTTPS requests to the API', async () => {
    const res = await send(ports.https, '/health/ready');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    expect(json(res)).toMatchObject({ status: 'ok' });
    expect(await logged((e) => e.uri === '/health/ready')).toMatchObject({
      status: 200,
      upstream_addr: `127.0.0.1:${ports.api}`,
    });
  });

  it('speaks TLS 1.2+ with the Mozilla intermediate ciphers only, on the key scripts/dev-cert made', async () => {
    const handshake = (o: tls.ConnectionOptions) =>
      new Promise<string>((resolve, reject) => {
        const socket = tls.connect({ host: '127.0.0.1', port: ports.https, rejectUnauthorized: false, ...o });
        socket.once('secureConnect', () => {
          resolve(`${socket.getProtocol()} ${socket.getCipher().standardName}`);
          socket.destroy();
        });
        socket.once('error', reject);
      });
    expect(await handshake({})).toMatch(/^TLSv1\.3 /);
    expect(await handshake({ maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' })).toBe(
      'TLSv1.2 TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
    );
    // A CBC suite: valid TLS 1.2, but not in the intermediate profile.
    await expect(handshake({ maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-SHA' })).rejects.toThrow();
    expect(statSync(join(prefix, 'certs/privkey.pem')).mode & 0o777).toBe(0o600);
  });

  it('redirects plain HTTP to HTTPS', async () => {
    const res = await send(ports.http, '/health/ready?x=1', { tls: false });
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('https://127.0.0.1/health/ready?x=1');
  });

  it('keeps a given X-Request-Id and mints one otherwise, which the API echoes', async () => {
    const given = await send(ports.https, '/health/live', { headers: { 'X-Request-Id': 'pos-42.abc_Z' } });
    expect(given.headers['x-request-id']).toBe('pos-42.abc_Z');
    expect(await logged((e) => e.request_id === 'pos-42.abc_Z')).toMatchObject({ uri: '/health/live' });

    // nginx's $request_id is 32 hex digits; the API's own would be a UUID with dashes.
    const none = await send(ports.https, '/health/live');
    expect(none.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    const bad = await send(ports.https, '/health/live', { headers: { 'X-Request-Id': 'not ok!' } });
    expect(bad.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
  });

  it('sends each security header once, HSTS included, on proxied and nginx-made responses', async () => {
    for (const res of [await send(ports.https, '/health/live'), await send(ports.https, '/metrics')]) {
      expect(res.headers['strict-transport-security']).toBe('max-age=63072000');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['content-security-policy']).toBe("frame-ancestors 'none'");
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers.server).toBe('nginx');
    }
  });

  it('keeps /metrics private while the API serves it', async () => {
    const res = await send(ports.https, '/metrics');
    expect(res.status).toBe(403);
    expect(json(res)).toEqual({ error: { code: 'FORBIDDEN', message: 'Forbidden' } });
    expect((await send(ports.api, '/metrics', { tls: false })).status).toBe(200);
  });

  it('serves stub_status on the internal port', async () => {
    const res = await send(ports.status, '/stub_status', { tls: false });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toMatch(/^Active connections: \d+/);
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const res = await send(ports.https, '/products', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: Buffer.alloc(1024 * 1024 + 1, 'a'),
    });
    expect(res.status).toBe(413);
    expect(json(res)).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(res.headers['x-request-id']).toBeUndefined(); // refused by nginx: the API never saw it
  });

  it('gzips large JSON responses for clients that accept it', async () => {
    const zipped = await send(ports.https, '/docs/openapi.json', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(zipped.status).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toContain('Accept-Encoding');
    expect(JSON.parse(gunzipSync(zipped.body).toString('utf8'))).toHaveProperty('openapi');

    const plain = await send(ports.https, '/docs/openapi.json');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(zipped.body.length);
  });

  it('passes a WebSocket upgrade on /socket.io/ through', async () => {
    const key = randomBytes(16).toString('base64');
    const { res, socket } = await new Promise<{ res: http.IncomingMessage; socket: Socket }>(
      (resolve, reject) => {
        const req = https.request({
          host: '127.0.0.1',
          port: ports.https,
          path: '/socket.io/?EIO=4&transport=websocket',
          agent: false,
          rejectUnauthorized: false,
          timeout: 10_000,
          headers: {
            Connection: 'Upgrade',
            Upgrade: 'websocket',
            'Sec-WebSocket-Version': '13',
            'Sec-WebSocket-Key': key,
            'X-Request-Id': 'ws-req-1',
          },
        });
        req.on('upgrade', (upgraded, sock: Socket) => resolve({ res: upgraded, socket: sock }));
        req.on('response', (r) => reject(new Error(`no upgrade: HTTP ${r.statusCode}`)));
        req.on('timeout', () => req.destroy(new Error('upgrade timed out')));
        req.on('error', reject);
        req.end();
      },
    );
    try {
      expect(res.statusCode).toBe(101);
      expect(res.headers.upgrade).toBe('websocket');
      expect(res.headers['sec-websocket-accept']).toBe(
        createHash('sha1').update(`${key}${WS_GUID}`).digest('base64'),
      );
      expect(res.headers['x-upstream-saw-request-id']).toBe('ws-req-1');
      const reply = new Promise<Buffer>((resolve) => socket.once('data', resolve));
      socket.write(frame('hello', true));
      expect(unframe(await reply)).toBe('echo:hello');
    } finally {
      socket.destroy();
    }
  });

  it('rate-limits /auth/login with 429 after the burst', async () => {
    const statuses: number[] = [];
    let limited: Reply | undefined;
    for (let i = 0; i < 40 && !limited; i++) {
      const res = await send(ports.https, '/auth/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: `nobody-${i}@example.com`, password: 'wrong-password-1' }),
      });
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    expect(statuses[0]).toBe(401); // the first ones reach the API
    expect(limited).toBeDefined();
    expect(statuses.filter((s) => s === 401).length).toBeGreaterThanOrEqual(20); // burst 20
    expect(json(limited as Reply)).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    // Answered by nginx, not the API.
    expect(limited?.headers['x-request-id']).toBeUndefined(); // the API sets one on every response
    const entry = await logged((e) => e.uri === '/auth/login' && e.status === 429);
    expect(entry?.upstream_addr).toBe('');
    // The rest of the API is still reachable from the same address.
    expect((await send(ports.https, '/health/live')).status).toBe(200);
  });
});
