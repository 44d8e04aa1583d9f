import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../common/net/free-port.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const MAIN = 'apps/api/dist/main.js';

interface Server {
  child: ChildProcess;
  port: number;
  /** The JSON log lines in the order the process wrote them (stdout only: stderr is another stream). */
  stdout: () => string;
  /** stdout and stderr, for failure messages. */
  output: () => string;
  /** The exit code, once the process has exited and its output is all read. */
  exit: Promise<number | null>;
}

/** The built API as its own process, configured only by the env given here. */
async function startServer(extra: Record<string, string> = {}): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: {
      NODE_ENV: 'test',
      DATABASE_URL: inject('db').appUrl,
      // No relay on the shared test database (see test-app.ts).
      EVENTS_RUN_IN: 'worker',
      JWT_SECRET: randomBytes(32).toString('base64url'),
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      AUTH_RATE_LIMIT_PER_MINUTE: '10000',
      ...extra,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  // 'close', not 'exit': it comes once the process has exited AND its stdout and stderr are read to the end.
  const exit = once(child, 'close').then(([code]) => code as number | null);
  // Started once it logs that it listens; no time budget of its own (a loaded machine may take long): a
  // start that never comes is cut off by the test's timeout.
  await new Promise<void>((resolve, reject) => {
    const onData = () => {
      if (!out.includes('"msg":"Server listening at')) return;
      child.stdout!.off('data', onData);
      resolve();
    };
    child.stdout!.on('data', onData);
    void exit.then((code) =>
      reject(new Error(`the API exited with ${code} before listening:\n${out}${err}`)),
    );
  });
  const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
  if (!ready.ok) throw new Error(`GET /health/ready answered ${ready.status}:\n${out}${err}`);
  return { child, port, stdout: () => out, output: () => out + err, exit };
}

/** Opens a login request and sends its headers and half its body; resolves once the server has read the headers. */
async function startSlowLogin(
  port: number,
): Promise<{ socket: Socket; rest: string; response: Promise<string> }> {
  const body = JSON.stringify({ email: 'nobody@shutdown.test', password: 'not-the-password' });
  const half = Math.floor(body.length / 2);
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  let received = '';
  socket.on('data', (d: Buffer) => (received += d.toString()));
  const response = new Promise<string>((resolve, reject) => {
    socket.on('end', () => resolve(received));
    socket.on('error', reject);
  });
  socket.write(
    'POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`,
  );
  // The server answers 100 Continue once it has the headers: the request is then in flight.
  while (!received.includes('100 Continue')) await once(socket, 'data');
  received = '';
  socket.write(body.slice(0, half));
  return { socket, rest: body.slice(half), response };
}

/**
 * Resolves once connecting to the port fails other than by a reset (the server stopped listening). A
 * connection that reached the listener's backlog just before it closed is reset, not refused: the server
 * was still listening then, so that one does not count. No time budget of its own: the test's timeout is.
 */
async function connectionRefused(port: number): Promise<string> {
  for (;;) {
    const error = await new Promise<string | null>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(null);
      });
      s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    });
    if (error && error !== 'ECONNRESET') return error;
    await new Promise((r) => setTimeout(r, 25));
  }
}

// Each test starts the API as a process of its own: seconds when idle, tens of seconds on a loaded machine.
describe('the API process', { timeout: 120_000 }, () => {
  beforeAll(() => {
    const build = spawnSync('npx', ['tsc', '-b'], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
  }, 180_000);

  it('on SIGTERM finishes the in-flight request, refuses new connections and exits 0', async () => {
    const server = await startServer();
    const login = await startSlowLogin(server.port);

    server.child.kill('SIGTERM');
    expect(await connectionRefused(server.port)).toBe('ECONNREFUSED');
    login.socket.write(login.rest);

    const response = await login.response;
    expect(response).toMatch(/^HTTP\/1\.1 401 /);
    expect(response).toContain('"code":"INVALID_CREDENTIALS"');
    expect(await server.exit, server.output()).toBe(0);

    const lines = server.stdout().trim().split('\n');
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    const messages = lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(messages).toContain('shutting down');
    expect(messages.indexOf('request completed', messages.indexOf('shutting down'))).toBeGreaterThan(0);
    expect(messages.at(-1)).toBe('shut down');
  });

  // Behind nginx: its kept-alive connections must end after a response, never while the server closes them, and
  // its health checks see the replica leave. The drain is long so the requests below land inside it on a busy
  // machine; nothing here measures time.
  it('with SHUTDOWN_DRAIN_MS and _LINGER_MS: serves (readiness 503, connections closing), then refuses, then exits 0', async () => {
    const server = await startServer({
      SHUTDOWN_DRAIN_MS: '5000',
      SHUTDOWN_LINGER_MS: '4000',
      SHUTDOWN_GRACE_MS: '30000',
    });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = (path: string) =>
      new Promise<{ status: number; connection: string | undefined; body: string; socket: Socket }>(
        (resolve, reject) => {
          const req = http.get({ port: server.port, host: '127.0.0.1', path, agent }, (res) => {
            let body = '';
            res.on('data', (d: Buffer) => (body += d.toString()));
            res.on('end', () =>
              resolve({
                status: res.statusCode!,
                connection: res.headers.connection,
                body,
                socket: req.socket!,
              }),
            );
          });
          req.on('error', reject);
        },
      );
    const before = await get('/health/live');
    expect([before.status, before.connection]).toEqual([200, 'keep-alive']);

    server.child.kill('SIGTERM');
    while (!server.stdout().includes('"msg":"shutting down"')) await once(server.child.stdout!, 'data');
    // The kept-alive connection still serves, and this response closes it.
    const during = await get('/health/live');
    expect([during.status, during.connection]).toEqual([200, 'close']);
    expect(during.socket).toBe(before.socket);
    // A new connection is still accepted while draining; readiness says the replica is leaving.
    const ready = await get('/health/ready');
    expect([ready.status, ready.connection]).toEqual([503, 'close']);
    expect(ready.socket).not.toBe(before.socket);
    expect(JSON.parse(ready.body)).toMatchObject({
      status: 'unavailable',
      checks: { shutdown: { ok: false, error: 'shutting down' } },
    });

    // Then it refuses connections while the process lingers, and exits.
    expect(await connectionRefused(server.port)).toBe('ECONNREFUSED');
    expect(server.child.exitCode).toBe(null);
    expect(await server.exit, server.output()).toBe(0);
    const messages = server
      .stdout()
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(messages.slice(messages.indexOf('shutting down'))).toEqual(
      expect.arrayContaining(['closed; lingering', 'shut down']),
    );
    expect(messages.indexOf('closed; lingering')).toBeLessThan(messages.indexOf('shut down'));
    agent.destroy();
  });

  it('gives up on requests still open after SHUTDOWN_GRACE_MS and exits 1', async () => {
    const server = await startServer({ SHUTDOWN_GRACE_MS: '200' });
    const login = await startSlowLogin(server.port); // its body never completes
    server.child.kill('SIGTERM');
    expect(await server.exit, server.output()).toBe(1);
    expect(server.stdout().trim().split('\n').at(-1)).toContain('shutdown grace period over');
    login.socket.destroy();
  });

  it('refuses to start on an invalid environment, naming the variables', async () => {
    const run = spawnSync(process.execPath, [MAIN], {
      cwd: ROOT,
      env: { JWT_SECRET: 'short', PORT: 'abc' },
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('DATABASE_URL');
    expect(run.stderr).toContain('JWT_SECRET: must be at least 32 characters');
    expect(run.stderr).toContain('PORT');
  });
});
