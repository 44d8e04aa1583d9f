// The checkout load: registers selling one item after another through nginx over HTTPS, paced so that all of
// them together stay under nginx's per-address limit (20 requests/s, docker/nginx/nginx.conf): every register
// here shares this machine's address, where real tills each have their own.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError, salesEndpoints } from '@zakpos/contracts';
import type { Stack } from '../stack-harness.js';
import { type LatencySummary, summarize } from './percentile.js';
import { type Merchant, oneItemSale } from '../pos-flow.js';
import { registerClient } from './register-client.js';

export interface LoadResult {
  registers: number;
  seconds: number;
  sold: number;
  /** Failed checkouts by outcome ("429 RATE_LIMITED", an error message). */
  failed: Record<string, number>;
  checkout: LatencySummary;
}

function outcome(err: unknown): string {
  if (err instanceof ApiError) return `${err.status} ${err.code}`;
  return err instanceof Error ? err.message.split('\n')[0]! : String(err);
}

/** One register selling while the load lasts: a sale every `intervalMs` (or back to back when slower). */
async function register(stack: Stack, port: number, m: Merchant, until: number, intervalMs: number) {
  const { api, close } = registerClient(stack, port, m.token);
  const latencies: number[] = [];
  const failures: string[] = [];
  try {
    while (Date.now() < until) {
      const t0 = performance.now();
      try {
        await api(salesEndpoints.checkout, { body: oneItemSale(m, randomUUID()) });
        latencies.push(performance.now() - t0);
      } catch (err) {
        failures.push(outcome(err));
      }
      await sleep(Math.max(0, intervalMs - (performance.now() - t0)));
    }
  } finally {
    close();
  }
  return { latencies, failures };
}

/** Every merchant's register selling for `seconds`, at `ratePerSecond` sales in all; starts staggered. */
export async function checkoutLoad(
  stack: Stack,
  merchants: Merchant[],
  { seconds, ratePerSecond }: { seconds: number; ratePerSecond: number },
): Promise<LoadResult> {
  const port = stack.port('nginx', 8443);
  const intervalMs = (1000 * merchants.length) / ratePerSecond;
  const until = Date.now() + seconds * 1000;
  const runs = await Promise.all(
    merchants.map(async (m, i) => {
      await sleep((i * intervalMs) / merchants.length);
      return register(stack, port, m, until, intervalMs);
    }),
  );
  const failed: Record<string, number> = {};
  for (const f of runs.flatMap((r) => r.failures)) failed[f] = (failed[f] ?? 0) + 1;
  const latencies = runs.flatMap((r) => r.latencies);
  return {
    registers: merchants.length,
    seconds,
    sold: latencies.length,
    failed,
    checkout: summarize(latencies),
  };
}
