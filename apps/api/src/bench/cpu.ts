import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time of the processes a run involves, from Linux's /proc: what one request costs the API, the
 * database and the load generator, whatever the throughput. Times are user + system, in ms.
 */
const MS_PER_TICK = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

interface ProcStat {
  /** R, S, D, …; Z for a zombie: exited, not yet waited for (its CPU time is then in neither place). */
  state: string;
  ppid: number;
  /** Own user + system time. */
  ownMs: number;
  /** User + system time of children that have exited and been waited for. */
  reapedChildrenMs: number;
}

function procStat(pid: number | 'self'): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // gone
  }
  // The command name, in parentheses, may hold spaces: the fields are counted after it.
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const n = (i: number) => Number(f[i - 3]); // fields are numbered from 1 in proc(5)
  return {
    state: f[0] ?? '',
    ppid: n(4),
    ownMs: (n(14) + n(15)) * MS_PER_TICK,
    reapedChildrenMs: (n(16) + n(17)) * MS_PER_TICK,
  };
}

/** A process's own CPU time, 0 when it has gone. */
export function processCpuMs(pid: number): number {
  return procStat(pid)?.ownMs ?? 0;
}

/** CPU time of the children this process has waited for (pgbench runs, once they exit). */
export function childrenCpuMs(): number {
  return procStat('self')?.reapedChildrenMs ?? 0;
}

/** This process's own CPU time (the in-process load generator). */
export function ownCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * The whole PostgreSQL server: the postmaster, its live children (backends, background workers) and
 * the children it has already reaped (backends of closed connections).
 */
export function postgresCpuMs(postmasterPid: number): number {
  const postmaster = procStat(postmasterPid);
  if (!postmaster) return 0;
  let total = postmaster.ownMs + postmaster.reapedChildrenMs;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = procStat(Number(entry));
    if (s?.ppid === postmasterPid) total += s.ownMs;
  }
  return total;
}

/** The postmaster's children now, zombies included. */
export function postgresChildren(postmasterPid: number): Set<number> {
  const pids = new Set<number>();
  for (const entry of readdirSync('/proc')) {
    if (/^\d+$/.test(entry) && procStat(Number(entry))?.ppid === postmasterPid) pids.add(Number(entry));
  }
  return pids;
}

/**
 * Waits until the backends of a client that has just disconnected are gone: a backend that has exited
 * but is not yet waited for by the postmaster shows no CPU time, and its time is not yet the
 * postmaster's either. Measuring then would lose a whole run's server time.
 */
export async function untilReaped(
  postmasterPid: number,
  before: Set<number>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ([...postgresChildren(postmasterPid)].every((pid) => before.has(pid))) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The postmaster's pid, from the first line of postmaster.pid in the data folder. */
export function postmasterPid(dataDir: string): number {
  return Number(readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
}

/** CPU time the whole machine spent busy (every process, all cores), from /proc/stat. */
export function machineBusyMs(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal ...: all but idle and iowait
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return (user + nice + system + irq + softirq + steal) * MS_PER_TICK;
}
