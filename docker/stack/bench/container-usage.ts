// Memory and CPU of a stack's containers, read from each container's cgroup when this process can see it (the
// same figures `docker stats` computes, without its one-second sampling), else from `docker stats`.
//   memory: the working set, as `docker stats` shows it: usage minus inactive page cache
//           (cgroup v1: memory.usage_in_bytes - total_inactive_file; v2: memory.current - inactive_file)
//   CPU:    the delta of the cgroup's CPU time over a window (v1 cpuacct.usage, v2 cpu.stat usage_usec),
//           as % of one core.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DOCKER } from '../../../scripts/lib/docker-engine.mjs';
import { parseStatsLine } from './docker-stats.js';
import type { RunningContainer } from './stack-containers.js';

export interface UsageSource {
  readonly description: string;
  /** Bytes of memory per container id. */
  memory(containers: RunningContainer[]): Promise<Map<string, number>>;
  /** Starts measuring CPU; the function it returns stops and gives % of one core per container id. */
  cpuMeter(containers: RunningContainer[]): Promise<() => Promise<Map<string, number>>>;
}

interface CgroupDirs {
  version: 1 | 2;
  memory: string;
  cpu: string;
}

const CGROUP_ROOT = '/sys/fs/cgroup';

/** The memory and CPU accounting folders of a process, from /proc/<pid>/cgroup. */
export function cgroupDirs(procCgroup: string): CgroupDirs | undefined {
  const lines = procCgroup
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [, controllers = '', path = ''] = /^\d+:([^:]*):(.*)$/.exec(line) ?? [];
      return { controllers: controllers.split(','), path };
    });
  const v1 = (name: string) => {
    const line = lines.find((l) => l.controllers.includes(name));
    return line && join(CGROUP_ROOT, line.controllers.join(','), line.path);
  };
  const memory = v1('memory');
  const cpu = v1('cpuacct');
  if (memory && cpu) return { version: 1, memory, cpu };
  const unified = lines.find((l) => l.controllers.join('') === '');
  if (!unified) return undefined;
  const dir = join(CGROUP_ROOT, unified.path);
  return { version: 2, memory: dir, cpu: dir };
}

/** A `key value` line of memory.stat or cpu.stat. */
function statField(text: string, key: string): number {
  const m = new RegExp(`^${key} (\\d+)$`, 'm').exec(text);
  if (!m) throw new Error(`no ${key} in the cgroup's stat file`);
  return Number(m[1]);
}

const read = (dir: string, file: string) => readFile(join(dir, file), 'utf8');

async function workingSet(dirs: CgroupDirs): Promise<number> {
  const stat = await read(dirs.memory, 'memory.stat');
  if (dirs.version === 1)
    return Number(await read(dirs.memory, 'memory.usage_in_bytes')) - statField(stat, 'total_inactive_file');
  return Number(await read(dirs.memory, 'memory.current')) - statField(stat, 'inactive_file');
}

async function cpuNanos(dirs: CgroupDirs): Promise<number> {
  if (dirs.version === 1) return Number(await read(dirs.cpu, 'cpuacct.usage'));
  return statField(await read(dirs.cpu, 'cpu.stat'), 'usage_usec') * 1000;
}

async function dirsOf(c: RunningContainer): Promise<CgroupDirs> {
  const dirs = c.pid > 0 ? cgroupDirs(await readFile(`/proc/${c.pid}/cgroup`, 'utf8')) : undefined;
  if (!dirs) throw new Error(`no cgroup for ${c.service} (pid ${c.pid})`);
  return dirs;
}

async function perContainer<T>(containers: RunningContainer[], f: (c: RunningContainer) => Promise<T>) {
  return new Map(await Promise.all(containers.map(async (c) => [c.id, await f(c)] as const)));
}

const cgroupSource: UsageSource = {
  description: 'cgroup files',
  memory: (containers) => perContainer(containers, async (c) => workingSet(await dirsOf(c))),
  async cpuMeter(containers) {
    const dirs = await perContainer(containers, dirsOf);
    const start = await perContainer(containers, (c) => cpuNanos(dirs.get(c.id)!));
    const t0 = process.hrtime.bigint();
    return async () => {
      const end = await perContainer(containers, (c) => cpuNanos(dirs.get(c.id)!));
      const elapsed = Number(process.hrtime.bigint() - t0);
      return new Map(containers.map((c) => [c.id, ((end.get(c.id)! - start.get(c.id)!) / elapsed) * 100]));
    };
  },
};

async function dockerStats(containers: RunningContainer[]) {
  const { stdout } = await promisify(execFile)(DOCKER, [
    'stats',
    '--no-stream',
    '--format',
    '{{json .}}',
    ...containers.map((c) => c.id),
  ]);
  const lines = stdout.split('\n').filter(Boolean).map(parseStatsLine);
  return new Map(
    containers.map((c) => {
      const line = lines.find((l) => c.id.startsWith(l.id));
      if (!line) throw new Error(`docker stats printed nothing for ${c.service}`);
      return [c.id, line] as const;
    }),
  );
}

// Each `docker stats --no-stream` reports about one second of CPU: the meter averages them over its window.
const dockerStatsSource: UsageSource = {
  description: "docker stats --no-stream --format '{{json .}}' (MemUsage: usage minus inactive page cache)",
  memory: async (containers) =>
    new Map([...(await dockerStats(containers))].map(([id, s]) => [id, s.memoryBytes])),
  async cpuMeter(containers) {
    const sums = new Map(containers.map((c) => [c.id, 0]));
    let samples = 0;
    let stopped = false;
    let failure: unknown;
    // Its error is kept for stop(): a meter never stopped (the bench failed meanwhile) rejects nothing.
    const loop = (async () => {
      while (!stopped) {
        for (const [id, s] of await dockerStats(containers)) sums.set(id, sums.get(id)! + s.cpuPercent);
        samples++;
      }
    })().catch((err: unknown) => (failure = err));
    return async () => {
      stopped = true;
      await loop;
      if (failure) throw failure;
      return new Map([...sums].map(([id, sum]) => [id, sum / Math.max(samples, 1)]));
    };
  },
};

/** cgroup files when the first container's can be read here, else `docker stats`. */
export async function usageSource(containers: RunningContainer[]): Promise<UsageSource> {
  try {
    await cgroupSource.memory(containers.slice(0, 1));
    const dirs = await dirsOf(containers[0]!);
    const files =
      dirs.version === 1
        ? 'memory.usage_in_bytes - total_inactive_file, cpuacct.usage'
        : 'memory.current - inactive_file, cpu.stat usage_usec';
    return { ...cgroupSource, description: `each container's cgroup v${dirs.version} files (${files})` };
  } catch (err) {
    const why = (err as Error).message.split('\n')[0];
    return { ...dockerStatsSource, description: `${dockerStatsSource.description}; no cgroup file: ${why}` };
  }
}

/** Sums per-container figures by service (a scaled service's replicas together). */
export function byService(containers: RunningContainer[], values: Map<string, number>): Map<string, number> {
  const sums = new Map<string, number>();
  for (const c of containers) sums.set(c.service, (sums.get(c.service) ?? 0) + (values.get(c.id) ?? 0));
  return sums;
}
