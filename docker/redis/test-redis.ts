// A real redis-server for the API's tests (Debian's, installed by scripts/lib/system-deps.mjs), started with
// the shipped docker/redis/redis.conf: only bind, port and dir are rewritten, and a password is set with
// --requirepass as the container's start.sh does. It can be stopped and started again on the same port and
// data, for the fault tests.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchRedisConf } from '../../apps/api/src/bench/bench-servers.js';
import { freePort } from '../../apps/api/src/common/net/free-port.js';

const source = fileURLToPath(new URL('redis.conf', import.meta.url));

export interface TestRedis {
  port: number;
  password: string;
  /** redis://:password@127.0.0.1:port */
  url: string;
  /** SIGTERM (or SIGKILL), waiting for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and data, waiting until it answers. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestRedis(): Promise<TestRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'zakpos-redis-'));
  const port = await freePort();
  const password = randomBytes(18).toString('base64url');
  await writeFile(join(dir, 'redis.conf'), benchRedisConf(await readFile(source, 'utf8'), port, dir));

  let proc: ChildProcess | undefined;
  const start = async () => {
    let output = '';
    const started = spawn('redis-server', [join(dir, 'redis.conf'), '--requirepass', password], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc = started;
    started.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    started.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    for (let i = 0; i < 100; i++) {
      if (started.exitCode !== null) throw new Error(`redis-server exited ${started.exitCode}:\n${output}`);
      if (await answers(port, password)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`redis-server did not answer:\n${output}`);
  };
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    const running = proc;
    proc = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((r) => running.once('exit', r));
    running.kill(signal);
    await exited;
  };
  await start();
  return {
    port,
    password,
    url: `redis://:${encodeURIComponent(password)}@127.0.0.1:${port}`,
    stop,
    start,
    close: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** True once the server answers an authenticated PING (RESP over a raw socket: no client library). */
function answers(port: number, password: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.setTimeout(1_000, () => socket.destroy());
    socket.on('error', () => resolve(false));
    socket.on('close', () => resolve(reply.includes('+PONG')));
    socket.on('connect', () => {
      const auth = `*2\r\n$4\r\nAUTH\r\n$${Buffer.byteLength(password)}\r\n${password}\r\n`;
      socket.write(`${auth}*1\r\n$4\r\nPING\r\n`);
    });
    socket.on('data', (d: Buffer) => {
      reply += d.toString();
      if (reply.includes('+PONG') || reply.includes('-')) socket.end();
    });
  });
}
