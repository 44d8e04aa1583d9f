import { randomInt, randomUUID } from 'node:crypto';
import { splitStatements, type PgbenchVariables } from './pgbench.js';
import { latencySummary, type ReplayRequest } from './replay.js';
import { benchRegisterSql, benchSessionSql, type CheckoutBenchSetup, md5UuidSql } from './checkout-seed.js';

/**
 * The checkout benchmark's workload, as registers send it: POST /sales with a client-minted id and three
 * lines (one of them the hot product in 30 % of sales, the others drawn from the rest), paid in cash with
 * change in 80 % of sales and split between card and cash in the others.
 */
export function saleBody(setup: CheckoutBenchSetup, registerId: string): Record<string, unknown> {
  const [hot, ...rest] = setup.products;
  const picked = new Set<number>();
  while (picked.size < 3) picked.add(randomInt(rest.length));
  const products = [...picked].map((i) => rest[i]!);
  if (randomInt(100) < 30) products[0] = hot!;
  const lines = products.map((p) => ({ productId: p.id, quantity: 1000 * (1 + randomInt(3)) }));
  const gross = lines.reduce((sum, l, i) => sum + products[i]!.price * (l.quantity / 1000), 0);
  const payments =
    randomInt(100) < 20
      ? [
          {
            kind: 'card',
            amount: Math.floor(gross / 2),
            reference: `T-${randomInt(1e9)}`,
            approvalCode: '123456',
          },
          { kind: 'cash', amount: gross - Math.floor(gross / 2) },
        ]
      : [{ kind: 'cash', amount: Math.ceil(gross / 1000) * 1000 }];
  return { id: randomUUID(), registerId, lines, payments };
}

export interface RegisterRun {
  /** Sales that ended after the warm-up. */
  sales: number;
  /** Every sale that ended, warm-up included (what the run's CPU time is divided by). */
  all: number;
  failed: number;
  tps: number;
  p50Ms: number;
  p99Ms: number;
  /** Status codes of the failures, counted. */
  failures: Record<string, number>;
}

/**
 * `registers.length` registers selling at once, each one sale after another (a register never has two
 * checkouts in flight), for warmup + duration seconds; figures from the sales that ended after the warm-up.
 * `onSale` hears of every sale answered 201, with when it was sent and answered (performance.now()).
 */
export async function driveRegisters(
  base: string,
  headers: Record<string, string>,
  setup: CheckoutBenchSetup,
  registers: readonly string[],
  warmup: number,
  duration: number,
  onSale?: (sale: { id: string; sentAt: number; answeredAt: number; measured: boolean }) => void,
): Promise<RegisterRun> {
  const start = performance.now();
  const measureFrom = start + warmup * 1000;
  const end = measureFrom + duration * 1000;
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  let failed = 0;
  let all = 0;
  let lastEnd = measureFrom;
  const register = async (registerId: string) => {
    while (performance.now() < end) {
      const body = saleBody(setup, registerId);
      const t0 = performance.now();
      const res = await fetch(`${base}/sales`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      const t1 = performance.now();
      if (res.status === 201) {
        all += 1;
        onSale?.({ id: String(body.id), sentAt: t0, answeredAt: t1, measured: t1 >= measureFrom });
      }
      if (t1 < measureFrom) continue;
      if (res.status !== 201) {
        failed += 1;
        const key = `${res.status} ${text.slice(0, 120)}`;
        failures[key] = (failures[key] ?? 0) + 1;
        continue;
      }
      latencies.push(t1 - t0);
      lastEnd = Math.max(lastEnd, t1);
    }
  };
  await Promise.all(registers.map(register));
  const seconds = (lastEnd - measureFrom) / 1000 || 1;
  return {
    sales: latencies.length,
    all,
    failed,
    tps: latencies.length / seconds,
    ...latencySummary(latencies),
    failures,
  };
}

const UUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/**
 * One captured checkout as a pgbench script that any client can run again and again: the same statements
 * in the same order and the same protocol, with what the checkout made fresh made fresh again by pgbench
 * itself, without a round trip of its own:
 * - every id the request minted (the sale's, its movements', its journal entry's, its events') becomes
 *   `md5(:mN::text)` of a number pgbench draws (`\set mN random(...)`), with a version 4 UUID's version
 *   and variant digits (the event consumers check the ids in the payloads), also inside the JSON
 *   parameters that carry rows (the sale's, its lines', the events');
 * - the register and its cash session become the client's own (`benchRegisterSql(:client_id)`);
 * - the receipt number and the event seqs are taken inside the statements that use them, as the API's are;
 * - a NULL parameter is written as NULL; every other value is a `-D` variable, as captured.
 */
export function checkoutScript(
  request: ReplayRequest,
  known: ReadonlySet<string>,
  sample: { registerId: string; sessionId: string },
  vars: PgbenchVariables,
): string {
  // Each id to replace, with the SQL (of type uuid) that makes the replay's own.
  const fresh = new Map<string, string>([
    [sample.registerId, benchRegisterSql(':client_id')],
    [sample.sessionId, benchSessionSql(':client_id')],
  ]);
  const sets: string[] = [];
  for (const s of request.statements) {
    for (const p of s.params) {
      for (const id of p?.match(UUIDS) ?? []) {
        if (fresh.has(id) || known.has(id)) continue;
        const name = `m${sets.length + 1}`;
        sets.push(`\\set ${name} random(1, 9000000000000000000)`);
        fresh.set(id, md5UuidSql(`:${name}::text`));
      }
    }
  }
  const lines: string[] = [`-- a checkout on ${request.path}`];
  for (const s of request.statements) {
    if (s.protocol === 'simple') {
      const statements = splitStatements(s.sql).map((st) => `${st};`);
      lines.push(
        ...(statements.length > 1 ? ['\\startpipeline', ...statements, '\\endpipeline'] : statements),
      );
      continue;
    }
    const sql = s.sql.trim().replace(/\$(\d+)/g, (_, n: string) => {
      const value = s.params[Number(n) - 1];
      if (value === undefined) throw new Error(`checkout script: no value for $${n} in ${s.sql}`);
      if (value === null) return 'NULL';
      const whole = fresh.get(value);
      if (whole) return whole;
      const base = value === '' ? "''" : `:${vars.nameOf(value)}`;
      // A row as JSON: its ids replaced in the text before the statement casts it.
      const inside = [...new Set(value.match(UUIDS) ?? [])].filter((id) => fresh.has(id));
      return inside.reduce((text, id) => `replace(${text}, '${id}', (${fresh.get(id)!})::text)`, base);
    });
    lines.push(sql.endsWith(';') ? sql : `${sql};`);
  }
  return `${[...sets, ...lines].join('\n')}\n`;
}
