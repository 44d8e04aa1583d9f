import { spawn } from 'node:child_process';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { childrenCpuMs, postgresChildren, postgresCpuMs, untilReaped } from './cpu.js';
import { latencySummary, type ReplayResult, type ReplayRequest } from './replay.js';

/**
 * pgbench variables: one per distinct parameter value, passed with `-D name=value`. pgbench sends a
 * `:name` in a statement as a parameter of the extended protocol, as the API's driver does.
 */
export class PgbenchVariables {
  private readonly names = new Map<string, string>();

  nameOf(value: string): string {
    let name = this.names.get(value);
    if (!name) {
      name = `v${this.names.size + 1}`;
      this.names.set(value, name);
    }
    return name;
  }

  defines(): string[] {
    return [...this.names].flatMap(([value, name]) => ['-D', `${name}=${value}`]);
  }
}

/** A parameter that varies from request to request, drawn by pgbench itself (`\set`). */
export interface PgbenchVariable {
  name: string;
  /** The meta-commands that set it, run at the start of each transaction. */
  set: string[];
  /** Its value in a captured request. */
  valueIn: (request: ReplayRequest) => string;
}

/**
 * The statements of a simple-protocol Query, split at the semicolons outside quotes and comments.
 * Dollar-quoted bodies are not read: a Query holding one is refused.
 */
export function splitStatements(sql: string): string[] {
  if (/\$[A-Za-z_0-9]*\$/.test(sql)) throw new Error(`pgbench script: dollar quoting is not split (${sql})`);
  const statements: string[] = [];
  let start = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      // '' and "" inside a literal or identifier close and reopen it: the same walk handles them
      i = sql.indexOf(c, i + 1);
      if (i < 0) break;
    } else if (c === '-' && sql[i + 1] === '-') {
      i = sql.indexOf('\n', i);
      if (i < 0) break;
    } else if (c === ';') {
      statements.push(sql.slice(start, i));
      start = i + 1;
    }
  }
  statements.push(sql.slice(start));
  return statements.map((st) => st.trim()).filter(Boolean);
}

/**
 * The statements of one request as a pgbench script, in order. In an extended-protocol statement each
 * `$n` becomes the variable that holds its value (`variable` for the value that varies, else one of
 * `vars`); pgbench refuses an empty `-D` value, so an empty string is written as the literal '' (an
 * untyped literal, as the untyped parameter was), and a NULL parameter, which no variable can carry, is
 * refused. A simple-protocol Query of several statements went in one round trip: pgbench (extended or
 * prepared) cannot send several statements in one message, so they are sent in one pipeline, also one
 * round trip.
 */
export function pgbenchStatements(
  request: ReplayRequest,
  vars: PgbenchVariables,
  variable?: PgbenchVariable,
): string {
  const varying = variable?.valueIn(request);
  const lines: string[] = [];
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
      if (value === undefined) throw new Error(`pgbench script: no value for $${n} in ${s.sql}`);
      if (value === null) throw new Error(`pgbench script: a NULL parameter is not replayable (${s.sql})`);
      if (variable && value === varying) return `:${variable.name}`;
      return value === '' ? "''" : `:${vars.nameOf(value)}`;
    });
    lines.push(sql.endsWith(';') ? sql : `${sql};`);
  }
  return lines.join('\n');
}

/**
 * The scripts that replay the captured requests. With a variable, and when every request's statements
 * are the same once its value is replaced by the variable, one script draws the value itself each
 * transaction (so each statement is prepared once per connection in prepared mode). Otherwise one
 * script per request, of equal weight: pgbench draws one at random for each transaction, as the load
 * generator draws a request.
 */
export function pgbenchScripts(
  requests: ReplayRequest[],
  variable?: PgbenchVariable,
): { scripts: string[]; defines: string[] } {
  if (variable) {
    const vars = new PgbenchVariables();
    const bodies = new Set(requests.map((r) => pgbenchStatements(r, vars, variable)));
    if (bodies.size === 1) {
      const header = `-- ${requests.length} requests captured, ${variable.name} drawn by pgbench`;
      return {
        scripts: [`${header}\n${variable.set.join('\n')}\n${[...bodies][0]}\n`],
        defines: vars.defines(),
      };
    }
  }
  const vars = new PgbenchVariables();
  const scripts = requests.map((r) => `-- GET ${r.path}\n${pgbenchStatements(r, vars)}\n`);
  return { scripts, defines: vars.defines() };
}

export interface PgbenchRun {
  bin: string;
  /** Connection string of the role to run as. */
  url: string;
  requests: ReplayRequest[];
  variable?: PgbenchVariable | undefined;
  /** Scripts written by the caller (the checkout's, see checkout-bench.ts) instead of pgbenchScripts'. */
  prebuilt?: { scripts: string[]; defines: string[] };
  clients: number;
  /** Seconds run before measuring (same process, same connections: prepared statements stay). */
  warmup: number;
  duration: number;
  mode: 'extended' | 'prepared';
  /** Scratch folder for the scripts and per-transaction log files. */
  dir: string;
  postmasterPid: number;
}

/**
 * Runs pgbench for warmup + duration seconds, `clients` connections on one thread. Throughput and
 * latencies are those of the transactions that ended after the warm-up, from pgbench's per-transaction
 * log; CPU (of the whole run, per transaction) from /proc: pgbench is our child process.
 */
export async function runPgbench(o: PgbenchRun): Promise<ReplayResult & { scripts: number }> {
  const { scripts, defines } = o.prebuilt ?? pgbenchScripts(o.requests, o.variable);
  const scriptArgs: string[] = [];
  for (const [i, script] of scripts.entries()) {
    const file = join(o.dir, `pgbench-${i}.sql`);
    await writeFile(file, script);
    scriptArgs.push('-f', `${file}@1`);
  }
  const logPrefix = `pgbench-${o.mode}`;
  const args = [
    '--no-vacuum',
    `--client=${o.clients}`,
    '--jobs=1',
    `--time=${o.warmup + o.duration}`,
    `--protocol=${o.mode}`,
    '--log',
    `--log-prefix=${join(o.dir, logPrefix)}`,
    ...scriptArgs,
    ...defines,
    o.url,
  ];
  const backendsBefore = postgresChildren(o.postmasterPid);
  const cpuBefore = { client: childrenCpuMs(), server: postgresCpuMs(o.postmasterPid) };
  const measureFromUs = (Date.now() + o.warmup * 1000) * 1000;
  const { code, stdout, stderr } = await run(o.bin, args);
  await untilReaped(o.postmasterPid, backendsBefore); // pgbench's backends, with their CPU time
  const cpu = {
    clientMs: childrenCpuMs() - cpuBefore.client,
    serverMs: postgresCpuMs(o.postmasterPid) - cpuBefore.server,
    transactions: 0,
  };
  if (code !== 0) throw new Error(`pgbench exited with ${code}:\n${stderr}${stdout}`);
  const failed = /^number of failed transactions: (\d+)/m.exec(stdout);

  const latenciesMs: number[] = [];
  let lastEndUs = measureFromUs;
  for (const name of await readdir(o.dir)) {
    if (!name.startsWith(`${logPrefix}.`)) continue;
    const file = join(o.dir, name);
    // client_id transaction_no time_us script_no end_epoch_s end_us_fraction
    for (const line of (await readFile(file, 'utf8')).split('\n')) {
      const f = line.split(' ');
      if (f.length < 6) continue;
      cpu.transactions += 1;
      const endUs = Number(f[4]) * 1e6 + Number(f[5]);
      if (endUs < measureFromUs) continue;
      latenciesMs.push(Number(f[2]) / 1000);
      lastEndUs = Math.max(lastEndUs, endUs);
    }
    await rm(file);
  }
  return {
    tps: latenciesMs.length / ((lastEndUs - measureFromUs) / 1e6 || 1),
    transactions: latenciesMs.length,
    failed: failed ? Number(failed[1]) : 0,
    ...latencySummary(latenciesMs),
    cpu,
    scripts: scripts.length,
  };
}

function run(bin: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
