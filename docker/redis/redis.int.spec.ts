// docker/redis/redis.conf run for real (Debian's redis-server 7) the way the container runs it: the shipped
// file with only bind, port and dir changed by render(), and the password given with --requirepass.
// Spoken to over a raw TCP socket in RESP, so the test needs no Redis client library.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { type Socket, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../apps/api/src/common/net/free-port.js';
import { replaceOne } from '../config-text.js';

const source = fileURLToPath(new URL('redis.conf', import.meta.url));

type Reply = string | number | null | { error: string } | Reply[];

/** Parses one RESP2 reply at `at`; undefined while it is incomplete. */
function parseReply(buf: Buffer, at: number): [Reply, number] | undefined {
  const eol = buf.indexOf('\r\n', at);
  if (eol < 0) return undefined;
  const type = String.fromCharCode(buf[at]!);
  const line = buf.toString('utf8', at + 1, eol);
  const next = eol + 2;
  switch (type) {
    case '+':
      return [line, next];
    case '-':
      return [{ error: line }, next];
    case ':':
      return [Number(line), next];
    case '$': {
      const length = Number(line);
      if (length < 0) return [null, next];
      if (buf.length < next + length + 2) return undefined;
      return [buf.toString('utf8', next, next + length), next + length + 2];
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return [null, next];
      const items: Reply[] = [];
      let pos = next;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buf, pos);
        if (!item) return undefined;
        items.push(item[0]);
        pos = item[1];
      }
      return [items, pos];
    }
    default:
      throw new Error(`unexpected RESP reply type ${JSON.stringify(type)}`);
  }
}

/** A minimal Redis connection: one command at a time in order, replies parsed from RESP. */
class RedisConnection {
  private buffer = Buffer.alloc(0);
  private readonly pending: { resolve: (r: Reply) => void; reject: (e: Error) => void }[] = [];

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      for (let parsed = parseReply(this.buffer, 0); parsed; parsed = parseReply(this.buffer, 0)) {
        this.buffer = this.buffer.subarray(parsed[1]);
        this.pending.shift()?.resolve(parsed[0]);
      }
    });
    const fail = (err: Error) => this.pending.splice(0).forEach((p) => p.reject(err));
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed')));
  }

  static open(port: number): Promise<RedisConnection> {
    return new Promise((resolve, reject) => {
      const socket = tcpConnect({ port, host: '127.0.0.1' });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RedisConnection(socket));
      });
    });
  }

  command(...args: string[]): Promise<Reply> {
    const wire = `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.socket.write(wire);
    });
  }

  /** An INFO section as a map of its `name:value` lines. */
  async info(section: string): Promise<Map<string, string>> {
    const text = await this.command('INFO', section);
    if (typeof text !== 'string') throw new Error(`INFO ${section}: ${JSON.stringify(text)}`);
    return new Map(
      text
        .split('\r\n')
        .filter((l) => l.includes(':'))
        .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)]),
    );
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Sets the one `name ...` directive line to `name value`, insisting it exists exactly once. */
function directive(conf: string, name: string, value: string): string {
  return replaceOne(conf, new RegExp(`^${name} .*$`), `${name} ${value}`, 'redis.conf');
}

const errorOf = (reply: Reply): string =>
  reply !== null && typeof reply === 'object' && 'error' in reply ? reply.error : '';

describe('docker/redis/redis.conf on redis-server', () => {
  let dir: string;
  let port: number;
  let server: ChildProcess | undefined;
  let output = '';
  const password = randomBytes(24).toString('base64url');
  const connections: RedisConnection[] = [];

  async function open(): Promise<RedisConnection> {
    const c = await RedisConnection.open(port);
    connections.push(c);
    return c;
  }

  async function authed(): Promise<RedisConnection> {
    const c = await open();
    expect(await c.command('AUTH', password)).toBe('OK');
    return c;
  }

  /** Starts redis-server as the container does and waits until it answers. */
  async function start(): Promise<void> {
    output = '';
    const proc = spawn('redis-server', [join(dir, 'redis.conf'), '--requirepass', password], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server = proc;
    proc.stdout.on('data', (d: Buffer) => (output += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (output += d.toString()));
    for (let i = 0; i < 100; i++) {
      if (proc.exitCode !== null) throw new Error(`redis-server exited ${proc.exitCode}:\n${output}`);
      try {
        const c = await RedisConnection.open(port);
        const reply = await c.command('PING');
        c.close();
        if (reply !== null) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`redis-server did not answer:\n${output}`);
  }

  /** SIGTERM, as `docker stop` sends: Redis flushes the AOF and exits. */
  async function stop(): Promise<void> {
    const proc = server;
    server = undefined;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    await exited;
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zakpos-redis-'));
    port = await freePort();
    let conf = await readFile(source, 'utf8');
    conf = directive(conf, 'bind', '127.0.0.1');
    conf = directive(conf, 'port', `${port}`);
    conf = directive(conf, 'dir', dir);
    await writeFile(join(dir, 'redis.conf'), conf);
    await start();
  });

  afterAll(async () => {
    connections.forEach((c) => c.close());
    await stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('refuses every command before AUTH, and a wrong password', async () => {
    const c = await open();
    expect(errorOf(await c.command('PING'))).toMatch(/^NOAUTH/);
    expect(errorOf(await c.command('SET', 'k', 'v'))).toMatch(/^NOAUTH/);
    expect(errorOf(await c.command('AUTH', `${password}x`))).toMatch(/^WRONGPASS/);
    expect(await c.command('AUTH', password)).toBe('OK');
    expect(await c.command('PING')).toBe('PONG');
  });

  it('persists with the append-only file', async () => {
    const c = await authed();
    const persistence = await c.info('persistence');
    expect(persistence.get('aof_enabled')).toBe('1');
    expect(await c.command('SET', 'zakpos:probe', 'kept')).toBe('OK');
    expect(await readdir(join(dir, 'appendonlydir'))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^appendonly\.aof\.\d+\.incr\.aof$/)]),
    );
  });

  it('never evicts: noeviction under a memory limit', async () => {
    const memory = await (await authed()).info('memory');
    expect(memory.get('maxmemory_policy')).toBe('noeviction');
    expect(Number(memory.get('maxmemory'))).toBeGreaterThan(0);
  });

  it('has the dangerous commands disabled, and keeps what BullMQ and the healthcheck use', async () => {
    const c = await authed();
    await c.command('SET', 'zakpos:survivor', 'yes');
    for (const cmd of [
      ['FLUSHALL'],
      ['FLUSHDB'],
      ['KEYS', '*'],
      ['CONFIG', 'GET', 'requirepass'],
      ['CONFIG', 'SET', 'appendonly', 'no'],
      ['DEBUG', 'SLEEP', '0'],
      ['SHUTDOWN', 'NOSAVE'],
      ['ACL', 'SETUSER', 'default', 'nopass'],
      ['MONITOR'],
      ['REPLICAOF', '127.0.0.1', '1'],
    ]) {
      expect(errorOf(await c.command(...cmd)), cmd.join(' ')).toMatch(/^ERR unknown command/);
    }
    expect(await c.command('GET', 'zakpos:survivor')).toBe('yes');
    expect(await c.command('PING')).toBe('PONG');
    expect((await c.info('server')).get('redis_version')).toMatch(/^7\./);
    expect(await c.command('CLIENT', 'SETNAME', 'bullmq-probe')).toBe('OK');
    expect(await c.command('EVAL', "return redis.call('GET', KEYS[1])", '1', 'zakpos:survivor')).toBe('yes');
  });

  it('keeps the data across a restart', async () => {
    const c = await authed();
    expect(await c.command('SET', 'zakpos:restart', 'still here')).toBe('OK');
    await stop();
    await start();
    expect(await (await authed()).command('GET', 'zakpos:restart')).toBe('still here');
  });
});
