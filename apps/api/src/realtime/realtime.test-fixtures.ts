import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { io, type Socket } from 'socket.io-client';
import { freePort } from '../common/net/free-port.js';
import { checkedInject } from '../test/contract-check.js';
import type { TestTenant } from '../test/fixtures.js';
import { uniqueEmail } from '../test/test-app.js';
import { SOCKET_PATH } from './realtime.gateway.js';

/** Test support for the Socket.IO gateway: clients that record what they hear, and API processes. */

/** How long a client waits for an event that must come; a hang guard, far below the tests' timeouts. */
export const HEAR_WITHIN_MS = 20_000;

export interface Heard {
  event: string;
  data: Record<string, unknown>;
}

/** A connected socket.io-client socket and every event it has heard, in order. */
export class TestClient {
  readonly heard: Heard[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(readonly socket: Socket) {
    socket.onAny((event: string, data: Record<string, unknown>) => {
      this.heard.push({ event, data });
      for (const listener of this.listeners) listener();
    });
  }

  /** The first event of that name (heard already or later) that `match` accepts; rejects after HEAR_WITHIN_MS. */
  hear(event: string, match: (data: Record<string, unknown>) => boolean = () => true): Promise<Heard> {
    const find = () => this.heard.find((h) => h.event === event && match(h.data));
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = find();
        if (!found) return;
        done();
        resolve(found);
      };
      const timer = setTimeout(() => {
        done();
        const names = this.heard.map((h) => h.event).join(', ');
        reject(new Error(`no ${event} heard within ${HEAR_WITHIN_MS} ms (heard: ${names || 'nothing'})`));
      }, HEAR_WITHIN_MS);
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Every event of that name heard so far. */
  all(event: string): Record<string, unknown>[] {
    return this.heard.filter((h) => h.event === event).map((h) => h.data);
  }

  close(): void {
    this.socket.disconnect();
  }
}

const options = (auth: Record<string, unknown>) => ({
  path: SOCKET_PATH,
  transports: ['websocket'],
  auth,
  reconnection: false,
  forceNew: true,
});

/** A client admitted by the server at `url` with this access token. */
export async function connectClient(url: string, token: string): Promise<TestClient> {
  const socket = io(url, options({ token }));
  const client = new TestClient(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', (err) => reject(new Error(`socket refused: ${err.message}`)));
  });
  return client;
}

/** The refusal a client gets for this handshake auth: the message and the code in `data`. */
export async function refusal(
  url: string,
  auth: Record<string, unknown>,
): Promise<{ message: string; code: unknown }> {
  const socket = io(url, options(auth));
  try {
    return await new Promise((resolve, reject) => {
      socket.once('connect', () => reject(new Error('the socket was admitted')));
      socket.once('connect_error', (err: Error & { data?: { code?: unknown } }) =>
        resolve({ message: err.message, code: err.data?.code }),
      );
    });
  } finally {
    socket.disconnect();
  }
}

/** A user of the tenant working in one store only, created through the API; with a token of a real login. */
export async function storeUser(
  app: NestFastifyApplication,
  t: TestTenant,
  role: 'cashier' | 'manager',
  storeId: string,
): Promise<{ id: string; token: string }> {
  const email = uniqueEmail(`${role}-store`);
  const password = 'another correct horse battery';
  const created = await checkedInject(app, {
    method: 'POST',
    url: '/users',
    headers: t.owner.headers,
    payload: { email, name: `${role} of one store`, role, password, storeIds: [storeId] },
  });
  if (created.statusCode !== 201) throw new Error(`user: ${created.statusCode} ${created.body}`);
  const login = await checkedInject(app, {
    method: 'POST',
    url: '/auth/login',
    payload: { email, password },
  });
  if (login.statusCode !== 200) throw new Error(`login: ${login.statusCode} ${login.body}`);
  return { id: created.json().id, token: login.json().accessToken };
}

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** Builds dist/main.js from the current sources (what an API process runs). */
export function buildApi(): void {
  const build = spawnSync('npx', ['tsc', '-b'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
}

export interface ApiProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** SIGTERM, then the exit code once the process has exited. */
  stop: () => Promise<number | null>;
}

/** The built API as a process of its own (as ops/process.int.spec.ts starts it), configured only by `env`. */
export function startApiProcess(env: Record<string, string>): Promise<ApiProcess> {
  return startProcess('apps/api/dist/main.js', 'PORT', '"msg":"Server listening at', env);
}

/** The built worker (dist/worker.main.js, as events/worker-process.int.spec.ts starts it); `url` is its probes'. */
export function startWorkerProcess(env: Record<string, string>): Promise<ApiProcess> {
  return startProcess('apps/api/dist/worker.main.js', 'WORKER_PORT', '"msg":"worker started"', env);
}

async function startProcess(
  main: string,
  portVariable: string,
  startedLine: string,
  env: Record<string, string>,
): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [main], {
    cwd: ROOT,
    env: {
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      [portVariable]: String(port),
      LOG_LEVEL: 'info',
      AUTH_RATE_LIMIT_PER_MINUTE: '10000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exit = once(child, 'close').then(([code]) => code as number | null);
  // No time budget of its own: a start that never comes is cut off by the hook's timeout.
  await new Promise<void>((resolve, reject) => {
    const onData = () => {
      if (!out.includes(startedLine)) return;
      child.stdout!.off('data', onData);
      resolve();
    };
    child.stdout!.on('data', onData);
    void exit.then((code) => reject(new Error(`${main} exited with ${code} before it started:\n${out}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => out,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exit;
    },
  };
}

/** A JSON request to an API process; the status and the parsed body. */
export async function request(
  api: ApiProcess,
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
