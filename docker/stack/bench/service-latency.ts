// Round trips from the api container to postgres, redis and kafka (latency-probe.mjs, run there by node -e).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { docker } from '../../../scripts/lib/docker-engine.mjs';
import type { Stack } from '../stack-harness.js';
import { type LatencySummary, summarize } from './percentile.js';

export type LatencyTarget = 'postgres' | 'redis' | 'kafka';

const probe = readFileSync(new URL('./latency-probe.mjs', import.meta.url), 'utf8');

/**
 * `docker exec -i <api container> node --input-type=module -e <probe>`: what `docker compose exec -T api`
 * runs, by container id so that the Redis password can go on stdin (the harness's compose() takes no input).
 */
export function serviceLatency(
  stack: Stack,
  { n, warmup }: { n: number; warmup: number },
): Record<LatencyTarget, LatencySummary> {
  const api = stack.containers('api')[0];
  if (!api) throw new Error('no api container');
  // As the redis command line reads it: $(cat ...) drops the trailing newlines.
  const redisPassword = readFileSync(join(stack.secretsDir, 'redis_password'), 'utf8').replace(/\n+$/, '');
  const out = docker(['exec', '-i', api, 'node', '--input-type=module', '-e', probe], {
    input: JSON.stringify({ n, warmup, redisPassword }),
    timeoutMs: 120_000,
  });
  const samples = JSON.parse(out) as Record<LatencyTarget, number[]>;
  return {
    postgres: summarize(samples.postgres),
    redis: summarize(samples.redis),
    kafka: summarize(samples.kafka),
  };
}
