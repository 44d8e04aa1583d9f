// The migrate step waits for a PostgreSQL that is not accepting connections yet (a whole-stack restart starts
// it beside the database) and fails at once on what waiting cannot mend. The server is the real test database,
// reached through a TCP relay that starts listening only later.
import { createServer, connect, type Server } from 'node:net';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { freePort } from '../common/net/free-port.js';
import { migrate } from './migrator.js';

const { ownerUrl } = inject('db');

/** ownerUrl with its port replaced. */
function viaPort(url: string, port: number) {
  const u = new URL(url);
  u.port = String(port);
  return u.toString();
}

/** A relay on `port` to the test database's port. */
function relay(port: number): Promise<Server> {
  const target = Number(new URL(ownerUrl).port);
  const server = createServer((socket) => {
    const upstream = connect(target, '127.0.0.1');
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

describe('migrate while the database is not up yet', () => {
  it('retries refused connections until the server listens, then migrates', async () => {
    const port = await freePort();
    const lines: string[] = [];
    const run = migrate(viaPort(ownerUrl, port), (line) => lines.push(line), { waitMs: 20_000 });
    // Listening starts only after the migrator has been refused at least twice.
    while (lines.length < 2) await new Promise((resolve) => setTimeout(resolve, 50));
    server = await relay(port);
    await expect(run).resolves.toEqual({ applied: [] });
    expect(lines[0]).toBe('database not accepting connections yet (ECONNREFUSED); retrying');
  });

  it('fails on the first refusal when it is not asked to wait', async () => {
    const port = await freePort();
    await expect(migrate(viaPort(ownerUrl, port))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('does not wait out a wrong password', async () => {
    const u = new URL(ownerUrl);
    u.password = 'not-the-password';
    const lines: string[] = [];
    await expect(
      migrate(u.toString(), (line) => lines.push(line), { waitMs: 600_000 }),
    ).rejects.toMatchObject({
      code: '28P01',
    });
    expect(lines).toEqual([]);
  });
});
