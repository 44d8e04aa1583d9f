// The prod stack as its operator lives with it: restarts keep every row, a database or an API replica killed
// mid-sale heals by itself and no committed sale is lost or doubled, and the ops scripts in compose mode probe,
// back up, restore and clean the running stack. Run by prod.stack.spec.ts on its stack, after the tests that
// only use it: these stop, wipe and restore it.
import { readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { salesEndpoints } from '@zakpos/contracts';
import { docker } from '../../scripts/lib/docker-engine.mjs';
import { NETPROBE_IMAGE } from '../stand-ins/stand-ins.mjs';
import { type Merchant, oneItemSale, sell, sellWhile, signUpMerchant } from './pos-flow.js';
import { type Stack } from './stack-harness.js';

/** Tenant tables whose rows a merchant's trading writes: counted per tenant under RLS. */
const TABLES = [
  'sales',
  'sale_lines',
  'sale_payments',
  'stock_movements',
  'journal_entries',
  'journal_lines',
  'cash_sessions',
  'outbox',
];

let stack: Stack;
let merchants: Merchant[];

/**
 * What a tenant sees of its data, read as the API's role under row-level security: the row count of each table,
 * and a digest of its sales (id, receipt number, gross).
 */
function digest(m: Merchant): string {
  const counts = TABLES.map((t) => `(select count(*) from ${t})`).join(" || ',' || ");
  return stack.sql(
    `set role zakpos_app; select set_config('app.tenant_id', '${m.tenantId}', false); ` +
      `select ${counts} || ' ' || md5(coalesce(string_agg(id || ':' || receipt_number || ':' || gross, ',' order by id), '')) from sales`,
  );
}

/** Waits (bounded) until nginx answers readiness 200: the stack healed by itself. */
async function healed(what: string) {
  for (let i = 0; i < 180; i++) {
    const res = await stack.request('/health/ready').catch(() => undefined);
    if (res?.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`the stack did not heal within 3 minutes after ${what}`);
}

/**
 * SIGKILL to a container's main process from the engine host, as a crash or the OOM killer would: `docker kill`
 * counts as a manual stop, which no restart policy undoes.
 */
function crash(id: string) {
  const pid = stack.inspect(id).State.Pid;
  expect(pid).toBeGreaterThan(1);
  docker(['run', '--rm', '--pid', 'host', NETPROBE_IMAGE, 'sh', '-c', `kill -KILL ${pid}`]);
}

/**
 * Crashes a service's container (SIGKILL to its process) while sales go on, waits until the stack heals by itself and 20 more
 * sales were answered, then checks exactly-once: every sale answered 201 is there, every unanswered one is sent
 * again with the same id and body (idempotent), and the tenant has one sale per id, no more.
 */
async function killMidSale(service: string, m: Merchant) {
  const [id] = stack.containers(service);
  const restartsBefore = stack.inspect(id!).RestartCount;
  let phase: 'before' | 'down' | 'after' | 'stop' = 'before';
  let afterCount = 0;
  const loop = sellWhile(
    stack,
    m,
    () => {
      if (phase === 'after') afterCount++;
      return phase !== 'stop' && afterCount <= 20;
    },
    3_000,
  );
  try {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    crash(id!);
    phase = 'down';
    await healed(`kill -9 of ${service}`);
    phase = 'after';
  } catch (err) {
    // The loop must not outlive a failed test (it would go on selling against a stack being removed).
    phase = 'stop';
    await loop;
    throw err;
  }
  const attempts = await loop;

  expect(stack.inspect(id!).RestartCount, `${service} restarted by its policy`).toBeGreaterThan(
    restartsBefore,
  );
  const ok = attempts.filter((a) => a.outcome === 'ok');
  const unanswered = attempts.filter((a) => a.outcome !== 'ok');
  expect(ok.length).toBeGreaterThan(20);
  const stored = new Set(
    stack.sql(`select id from sales where tenant_id = '${m.tenantId}'`).split('\n').filter(Boolean),
  );
  for (const a of ok) expect(stored.has(a.id), `sale ${a.id} answered 201`).toBe(true);
  const api = stack.client(() => m.token);
  for (const a of unanswered) await api(salesEndpoints.checkout, { body: oneItemSale(m, a.id) });
  const ids = stack.sql(`select id from sales where tenant_id = '${m.tenantId}'`).split('\n').filter(Boolean);
  expect(ids.length).toBe(new Set(ids).size);
  for (const a of attempts) expect(ids, a.id).toContain(a.id);
  return { ok: ok.length, unanswered: unanswered.length };
}

/** The operations suite on a running prod stack (which it leaves running). */
export function describeOperations(prodStack: () => Stack) {
  describe('the prod stack, operated', () => {
    beforeAll(async () => {
      stack = prodStack();
      merchants = [await signUpMerchant(stack, 'ops-a'), await signUpMerchant(stack, 'ops-b')];
      for (const m of merchants) for (let i = 0; i < 3; i++) await sell(stack, m, 1 + i);
    });

    it.each([
      ['docker compose restart', [['restart']]],
      ['stop, then start', [['stop'], ['start']]],
      ['down, then up (volumes kept)', [['down']]],
    ])('keeps every row through %s', async (_, commands) => {
      const before = merchants.map(digest);
      for (const command of commands) stack.composeOk(command, { timeoutMs: 600_000 });
      stack.composeOk(['up', '-d', '--wait'], { timeoutMs: 600_000 });
      expect(merchants.map(digest)).toEqual(before);
      const { sale } = await sell(stack, merchants[0]!, 1);
      expect(sale.status).toBe('completed');
    });

    it('heals by itself from a kill -9 of PostgreSQL mid-sale, losing and doubling no sale', async () => {
      const { ok } = await killMidSale('postgres', merchants[0]!);
      expect(ok).toBeGreaterThan(20);
    });

    it('heals by itself from a kill -9 of the API replica mid-sale, losing and doubling no sale', async () => {
      const { ok } = await killMidSale('api', merchants[1]!);
      expect(ok).toBeGreaterThan(20);
    });

    it('scripts/health says OK for every service, then FAIL naming a stopped one', () => {
      const healthy = stack.opsScript('health', []);
      expect(healthy.status, healthy.stdout + healthy.stderr).toBe(0);
      for (const service of ['postgres', 'redis', 'kafka', 'minio', 'api', 'worker', 'nginx'])
        expect(healthy.stdout).toMatch(new RegExp(`^${service}\\s+OK`, 'm'));
      stack.composeOk(['stop', 'redis']);
      try {
        const sick = stack.opsScript('health', []);
        expect(sick.status).toBe(1);
        expect(sick.stdout).toMatch(/^redis\s+FAIL/m);
        expect(sick.stdout).toMatch(/^postgres\s+OK/m);
      } finally {
        stack.composeOk(['up', '-d', '--wait'], { timeoutMs: 600_000 });
      }
    });

    it('backs up, survives a wipe of every volume, and restores both tenants exactly (scripts/backup, restore)', async () => {
      const before = merchants.map(digest);
      const backups = `${stack.dir}/backups`;
      const backup = stack.opsScript('backup', [], { BACKUP_DIR: backups });
      expect(backup.status, backup.stdout + backup.stderr).toBe(0);
      const made = readdirSync(backups).filter((name) => !name.startsWith('.'));
      expect(made).toHaveLength(1);

      stack.composeOk(['down', '-v'], { timeoutMs: 600_000 });
      stack.composeOk(['up', '-d', '--wait'], { timeoutMs: 900_000 });
      expect(stack.sql('select count(*) from tenants')).toBe('0');

      stack.composeOk(['stop', 'nginx', 'api', 'worker']);
      const restore = stack.opsScript('restore', [`${backups}/${made[0]}`]);
      expect(restore.status, restore.stdout + restore.stderr).toBe(0);
      stack.composeOk(['up', '-d', '--wait'], { timeoutMs: 600_000 });
      expect(merchants.map(digest)).toEqual(before);
      const { sale } = await sell(stack, merchants[1]!, 1);
      expect(sale.receiptNumber).toBeGreaterThan(3);
    });

    it('scripts/cleanup removes the exited one-shot containers and keeps the volumes', () => {
      expect(stack.containers('migrate')).not.toEqual([]);
      const volumes = docker([
        'volume',
        'ls',
        '-q',
        '--filter',
        `label=com.docker.compose.project=${stack.project}`,
      ]);
      const cleanup = stack.opsScript('cleanup', []);
      expect(cleanup.status, cleanup.stdout + cleanup.stderr).toBe(0);
      expect(stack.containers('migrate')).toEqual([]);
      expect(stack.containers('kafka-init')).toEqual([]);
      expect(
        docker(['volume', 'ls', '-q', '--filter', `label=com.docker.compose.project=${stack.project}`]),
      ).toBe(volumes);
    });
  });
}
