// One variant measured from nothing: a new project, the API image built without cache, a cold start, two warm
// ones, then idle memory and CPU, the api's round trips to its services, memory and CPU under checkout load.
// The stack and the image it built are removed whatever happens.
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { docker } from '../../../scripts/lib/docker-engine.mjs';
import { type Merchant, signUpMerchant } from '../pos-flow.js';
import { Stack, type Variant } from '../stack-harness.js';
import { checkoutLoad, type LoadResult } from './checkout-load.js';
import { byService, usageSource } from './container-usage.js';
import type { BenchOptions } from './options.js';
import type { LatencySummary } from './percentile.js';
import { type LatencyTarget, serviceLatency } from './service-latency.js';
import { runningContainers } from './stack-containers.js';
import { type ServiceStart, startupTimeline } from './startup-timeline.js';

export interface StartupSeconds {
  /** `docker compose build --no-cache`: none for dev (the API runs from source) nor with --no-build. */
  build?: number;
  cold?: number;
  afterStop?: number;
  afterDown?: number;
}

export interface ServiceFigures {
  service: string;
  idleMemory: number;
  loadMemory: number;
  idleCpu: number;
  loadCpu: number;
}

export interface VariantResult {
  variant: Variant;
  project: string;
  /** What else the engine and the machine were doing when the stack was measured. */
  context: string[];
  startup: StartupSeconds;
  /** Each start's services, started and ready (seconds after the `up` began). */
  timelines: { label: string; services: ServiceStart[] }[];
  usageSource?: string;
  services?: ServiceFigures[];
  /** Sum of the services' idle memory; load: the largest sum of one sampling (not the sum of peaks). */
  totals?: { idleMemory: number; loadMemory: number; idleCpu: number; loadCpu: number };
  latency?: Record<LatencyTarget, LatencySummary>;
  load?: LoadResult;
  error?: string;
}

/** What removes the stacks being measured: run by the entry point on SIGINT/SIGTERM, where finally is not. */
export const pendingCleanups = new Set<() => void>();

const log = (line: string) => console.error(`› ${line}`);

function seconds(f: () => unknown): number {
  const t0 = performance.now();
  f();
  return (performance.now() - t0) / 1000;
}

/** The containers of other projects running on the engine, and the machine's load. */
function context(project: string, when: string): string {
  const others = docker(['ps', '--format', '{{.Label "com.docker.compose.project"}}'])
    .split('\n')
    .filter((p) => p && p !== project);
  const projects = new Set(others).size;
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  return `${when}: ${others.length} other containers running (${projects} other projects), load ${load}`;
}

/** Every tag of a repository of the bench's own, removed by tag: an image id may carry others' tags too. */
function removeImage(repository: string): void {
  const tags = docker(['images', '--format', '{{.Repository}}:{{.Tag}}', repository])
    .split('\n')
    .filter(Boolean);
  if (tags.length > 0) docker(['image', 'rm', ...tags], { timeoutMs: 120_000 });
}

export async function benchVariant(variant: Variant, opts: BenchOptions): Promise<VariantResult> {
  const build = opts.build && variant !== 'dev';
  // An image name of its own: the --no-cache build never retags the zakpos/api other stacks are running.
  const image = build ? `zakpos-bench/api-${randomBytes(4).toString('hex')}` : undefined;
  const stack = new Stack(variant, {
    ...(image ? { API_IMAGE: image } : {}),
    HEALTHCHECK_INTERVAL: opts.healthcheckInterval,
  });
  const result: VariantResult = { variant, project: stack.project, context: [], startup: {}, timelines: [] };
  const up = (label: string) => {
    const since = Date.now();
    const took = seconds(() => stack.composeOk(['up', '-d', '--wait'], { timeoutMs: 900_000 }));
    result.timelines.push({ label, services: startupTimeline(stack, since) });
    return took;
  };
  const cleanup = () => {
    pendingCleanups.delete(cleanup);
    log(`${variant}: removing ${stack.project}`);
    stack.remove();
    if (image) removeImage(image);
  };
  pendingCleanups.add(cleanup);
  try {
    stack.prepare();
    result.context.push(context(stack.project, 'at the start'));
    if (build) {
      log(`${variant}: docker compose build --no-cache`);
      result.startup.build = seconds(() =>
        stack.composeOk(['build', '--no-cache'], { timeoutMs: 1_800_000 }),
      );
    }
    log(`${variant}: cold up -d --wait (new project ${stack.project}, empty volumes)`);
    result.startup.cold = up('cold');
    stack.composeOk(['stop']);
    log(`${variant}: stop, then up -d --wait`);
    result.startup.afterStop = up('after stop');
    stack.composeOk(['down']);
    log(`${variant}: down (volumes kept), then up -d --wait`);
    result.startup.afterDown = up('after down');

    log(`${variant}: idle ${opts.settleSeconds} s, then memory; CPU over ${opts.idleSeconds} s`);
    await sleep(opts.settleSeconds * 1000);
    const containers = runningContainers(stack);
    const source = await usageSource(containers);
    result.usageSource = source.description;
    result.context.push(context(stack.project, 'at idle'));
    const idleMemory = await source.memory(containers);
    const stopIdleCpu = await source.cpuMeter(containers);
    await sleep(opts.idleSeconds * 1000);
    const idleCpu = await stopIdleCpu();

    log(`${variant}: ${opts.rounds} round trips api → postgres, redis, kafka`);
    result.latency = serviceLatency(stack, { n: opts.rounds, warmup: 10 });

    log(`${variant}: ${opts.registers} merchants sign up; then they sell for ${opts.loadSeconds} s`);
    const merchants: Merchant[] = [];
    for (let i = 0; i < opts.registers; i++) merchants.push(await signUpMerchant(stack, `bench${i}`));
    const loadMemory = new Map<string, number>();
    let loadTotal = 0;
    let loading = true;
    const sampler = (async () => {
      while (loading) {
        const sample = await source.memory(containers);
        for (const [id, bytes] of sample) loadMemory.set(id, Math.max(loadMemory.get(id) ?? 0, bytes));
        loadTotal = Math.max(
          loadTotal,
          [...sample.values()].reduce((a, b) => a + b, 0),
        );
        await sleep(1000);
      }
    })();
    let loadCpu: Map<string, number>;
    try {
      const stopLoadCpu = await source.cpuMeter(containers);
      result.load = await checkoutLoad(stack, merchants, {
        seconds: opts.loadSeconds,
        ratePerSecond: opts.rate,
      });
      loadCpu = await stopLoadCpu();
    } finally {
      // Stopped before the stack may be removed, whose cgroups it reads.
      loading = false;
      await sampler;
    }
    result.context.push(context(stack.project, 'after the load'));

    const services = [...new Set(containers.map((c) => c.service))];
    const idleMem = byService(containers, idleMemory);
    const loadMem = byService(containers, loadMemory);
    const idleCpuBy = byService(containers, idleCpu);
    const loadCpuBy = byService(containers, loadCpu);
    result.services = services.map((service) => ({
      service,
      idleMemory: idleMem.get(service)!,
      loadMemory: loadMem.get(service)!,
      idleCpu: idleCpuBy.get(service)!,
      loadCpu: loadCpuBy.get(service)!,
    }));
    const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
    result.totals = {
      idleMemory: sum(idleMemory),
      loadMemory: loadTotal,
      idleCpu: sum(idleCpu),
      loadCpu: sum(loadCpu),
    };
  } catch (err) {
    result.error = err instanceof Error ? err.message : String(err);
  } finally {
    cleanup();
  }
  return result;
}
