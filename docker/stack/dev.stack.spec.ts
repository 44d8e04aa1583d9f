// The dev variant on a real Docker engine, as the README has a developer start it (`up --wait` with .env.dev and
// their own uid): the API built and run from this source tree, PostgreSQL's and Redis's data in bind-mounted
// folders, every port on the loopback address. Then the POS through nginx over HTTPS, and the API directly.
import { chmodSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sell, signUpMerchant } from './pos-flow.js';
import { Stack } from './stack-harness.js';
import { expectUpAndDone } from './stack-expect.js';

const RUNNING = ['api', 'kafka', 'minio', 'nginx', 'postgres', 'redis', 'worker'];

let stack: Stack;

beforeAll(() => {
  stack = new Stack('dev').prepare();
  stack.composeOk(['up', '--wait'], { timeoutMs: 900_000 });
});

afterAll(() => stack?.remove());

/** Polls `ok` once a second for up to three minutes (a container restarting with the policy's backoff). */
async function until(ok: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 180_000; !ok();) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

/** `docker compose exec -T <service> ...` as the service's own user. */
const exec = (service: string, cmd: string[]) => stack.composeOk(['exec', '-T', service, ...cmd]).trim();

describe('the dev stack', () => {
  it('comes up with every service healthy and every one-shot done', () => expectUpAndDone(stack, RUNNING));

  it('serves the POS through nginx over HTTPS, and the API from the source tree on its own port', async () => {
    const merchant = await signUpMerchant(stack, 'dev');
    const { sale, receipt } = await sell(stack, merchant, 1);
    expect(sale.receiptNumber).toBe(1);
    expect(receipt).toContain('Milk 1 L');

    const api = await fetch(`http://${stack.address}:${stack.port('api', 3000)}/health/ready`);
    expect(api.status).toBe(200);
    const doc = await stack.request('/docs/openapi.json');
    expect(doc.status).toBe(200);
    expect((await stack.request('/metrics')).status).toBe(403);
    const http = await fetch(`http://${stack.address}:${stack.port('nginx', 8080)}/health/live`, {
      redirect: 'manual',
    });
    expect(http.status).toBe(301);

    const id = stack.containers('api')[0]!;
    const { Config } = stack.inspect(id);
    expect(Config.User).toBe(`${process.getuid!()}:${process.getgid!()}`);
    expect(exec('api', ['sh', '-c', 'readlink /proc/1/cwd; cat /proc/1/cmdline | tr "\\0" " "'])).toMatch(
      /^\/app\n.*node --watch apps\/api\/dist\/main\.js/,
    );
  });

  it('publishes every port on the loopback address only (Kafka on its advertised 54629)', () => {
    const bindings = RUNNING.flatMap((service) =>
      Object.entries(stack.inspect(stack.containers(service)[0]!).HostConfig.PortBindings ?? {}).flatMap(
        ([port, binds]) => binds.map((b) => ({ service, port, ip: b.HostIp, host: b.HostPort })),
      ),
    );
    expect(bindings.map((b) => `${b.service} ${b.port}`).sort()).toEqual([
      'api 3000/tcp',
      'kafka 9094/tcp',
      'minio 9000/tcp',
      'minio 9001/tcp',
      'nginx 8080/tcp',
      'nginx 8443/tcp',
      'postgres 5432/tcp',
      'redis 6379/tcp',
    ]);
    expect(bindings.filter((b) => b.ip !== stack.address)).toEqual([]);
    expect(bindings.find((b) => b.service === 'kafka')?.host).toBe('54629');
  });

  // A Docker-made bind mount is root-owned: PostgreSQL and Redis take theirs over as root before dropping to
  // their user (Redis ran as root here until docker/redis/start.sh did it); the API (the developer's uid, no
  // capability) writes its uploads through the source mount.
  it('keeps PostgreSQL and Redis data in DEV_DATA_DIR, owned by their users, and lets the API write uploads', () => {
    const data = join(stack.dir, 'data');
    expect(readFileSync(join(data, 'postgres', 'PG_VERSION'), 'utf8').trim()).toBe('15');
    expect(statSync(join(data, 'postgres')).uid).toBe(Number(exec('postgres', ['id', '-u', 'postgres'])));
    const redisUid = Number(exec('redis', ['id', '-u', 'redis']));
    expect(statSync(join(data, 'redis')).uid).toBe(redisUid);
    for (const service of ['postgres', 'redis']) {
      const uid = /^Uid:\s+(\d+)/m.exec(exec(service, ['cat', '/proc/1/status']))?.[1];
      expect(Number(uid), `${service} runs as its user`).toBe(Number(exec(service, ['id', '-u', service])));
    }

    exec('api', [
      'node',
      '-e',
      "const fs = require('fs'); fs.mkdirSync(process.env.UPLOADS_DIR, { recursive: true }); " +
        "fs.writeFileSync(process.env.UPLOADS_DIR + '/probe.txt', 'uploaded')",
    ]);
    const probe = join(stack.dir, 'uploads', 'probe.txt');
    expect(readFileSync(probe, 'utf8')).toBe('uploaded');
    expect(statSync(probe).uid).toBe(process.getuid!());
  });
  // Issue 11 #8: a probe over TCP, which pg_hba.conf rejects, logged a FATAL line every interval.
  it('logs no rejected connection from the health probes', () => {
    const rejected = stack
      .composeOk(['logs', '--no-color', 'postgres'])
      .split('\n')
      .filter((l) => /pg_hba\.conf rejects|no pg_hba\.conf entry|authentication failed/.test(l));
    expect(rejected).toEqual([]);
  });

  // Issue 11 #5: a first start whose init failed left a cluster without the roles that every later start
  // took as initialised, healthy, until ./data/postgres was deleted by hand. Last: it empties the database.
  it('initialises PostgreSQL again by itself after a failed first start, healthy only once the roles exist', async () => {
    const secret = join(stack.secretsDir, 'postgres_app_password');
    const mode = statSync(secret).mode & 0o777;
    stack.composeOk(['rm', '--stop', '--force', 'postgres']);
    rmSync(join(stack.dir, 'data', 'postgres'), { recursive: true, force: true });
    chmodSync(secret, 0o000); // as scripts/setup without sudo once wrote it: unreadable to postgres
    try {
      stack.composeOk(['up', '-d', '--no-deps', 'postgres']);
      const logs = () => stack.composeOk(['logs', '--no-color', 'postgres']);
      // Failed loudly, naming the file, and restarted into a fresh attempt (the restart policy).
      await until(() => logs().includes('emptying it to initialise again'));
      expect(logs()).toContain('zakpos init: cannot read the secret file /run/secrets/postgres_app_password');
      expect(stack.inspect(stack.containers('postgres')[0]!).State.Health?.Status).not.toBe('healthy');
    } finally {
      chmodSync(secret, mode);
    }
    await until(() => stack.inspect(stack.containers('postgres')[0]!).State.Health?.Status === 'healthy');
    stack.composeOk(['run', '--rm', '--no-deps', 'migrate'], { timeoutMs: 600_000 });
    const merchant = await signUpMerchant(stack, 'dev-reinit');
    const { sale } = await sell(stack, merchant, 1);
    expect(sale.status).toBe('completed');
  });
});
