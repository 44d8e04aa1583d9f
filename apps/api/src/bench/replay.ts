import { createHash } from 'node:crypto';
import pg from 'pg';
import { ownCpuMs, postgresCpuMs } from './cpu.js';
import type { CapturedStatement } from './wire-capture.js';

/** What one API request sent to PostgreSQL, captured on the wire. */
export interface ReplayRequest {
  /** The request's path, e.g. `/barcodes/4000000000017`. */
  path: string;
  statements: CapturedStatement[];
}

export interface ReplayResult {
  /** Transactions per second after the warm-up. */
  tps: number;
  transactions: number;
  failed: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU spent by the client (pgbench or this process) and by the whole PostgreSQL server, warm-up included. */
  cpu: { clientMs: number; serverMs: number; transactions: number };
}

export function latencySummary(latenciesMs: number[]): { p50Ms: number; p99Ms: number } {
  const sorted = Float64Array.from(latenciesMs).sort();
  const at = (q: number) =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : 0;
  return { p50Ms: at(0.5), p99Ms: at(0.99) };
}

/** A literal for the simple protocol (standard_conforming_strings is on: only quotes are doubled). */
function literal(value: string | null): string {
  return value === null ? 'null' : `'${value.replaceAll("'", "''")}'`;
}

/**
 * The request's statements as one simple-protocol Query, parameters written as literals: the same work
 * for the server in a single round trip. A what-if, not what the API sends.
 */
export function asOneRoundTrip(request: ReplayRequest): string {
  return request.statements
    .map((s) =>
      s.protocol === 'simple'
        ? s.sql.trim()
        : s.sql.trim().replace(/\$(\d+)/g, (_, n: string) => literal(s.params[Number(n) - 1] ?? null)),
    )
    .map((sql) => (sql.endsWith(';') ? sql : `${sql};`))
    .join('\n');
}

/**
 * How the replay sends the statements:
 * - exact: each as captured, one round trip each, same protocol (simple, or unnamed extended);
 * - named: the extended ones as named prepared statements, parsed once per connection and reused
 *   (node-postgres's `name`), a what-if of statement reuse;
 * - one-round-trip: all of a request's in one simple Query (asOneRoundTrip), a what-if.
 */
export type NodePgMode = 'exact' | 'named' | 'one-round-trip';

export interface NodePgReplay {
  url: string;
  requests: ReplayRequest[];
  /** Concurrent callers, as the load generator's connections. */
  clients: number;
  /** Size of the connection pool, as the API's DB_POOL_MAX. */
  poolMax: number;
  warmup: number;
  duration: number;
  mode: NodePgMode;
  postmasterPid: number;
}

/**
 * The captured statements replayed by node-postgres from this process, `clients` callers sharing a
 * pool as the API's requests do: the driver's and the round trips' share of a request, without HTTP,
 * Nest, auth, logging or the query builder. Throughput and latency after `warmup` seconds on the same
 * pool; CPU over the whole run.
 */
export async function replayWithNodePg(o: NodePgReplay): Promise<ReplayResult> {
  const pool = new pg.Pool({ connectionString: o.url, max: o.poolMax, application_name: 'zakpos-bench' });
  const oneRoundTrip = o.requests.map(asOneRoundTrip);
  try {
    const latenciesMs: number[] = [];
    let failed = 0;
    let all = 0;
    let measureFrom = Infinity;
    const warmTimer = setTimeout(() => (measureFrom = performance.now()), o.warmup * 1000);
    const cpuBefore = { client: ownCpuMs(), server: postgresCpuMs(o.postmasterPid) };
    const end = performance.now() + (o.warmup + o.duration) * 1000;
    const caller = async () => {
      while (performance.now() < end) {
        const i = Math.floor(Math.random() * o.requests.length);
        const t0 = performance.now();
        const client = await pool.connect();
        try {
          if (o.mode === 'one-round-trip') await client.query(oneRoundTrip[i]!);
          else for (const s of o.requests[i]!.statements) await client.query(statementQuery(s, o.mode));
          client.release();
          all += 1;
          if (t0 >= measureFrom) latenciesMs.push(performance.now() - t0);
        } catch {
          failed += 1;
          client.release(true); // maybe mid-transaction: the pool discards it
        }
      }
    };
    await Promise.all(Array.from({ length: o.clients }, caller));
    clearTimeout(warmTimer);
    const seconds = (performance.now() - measureFrom) / 1000;
    return {
      tps: latenciesMs.length / seconds,
      transactions: latenciesMs.length,
      failed,
      ...latencySummary(latenciesMs),
      cpu: {
        clientMs: ownCpuMs() - cpuBefore.client,
        serverMs: postgresCpuMs(o.postmasterPid) - cpuBefore.server,
        transactions: all,
      },
    };
  } finally {
    await pool.end();
  }
}

const names = new Map<string, string>();
function statementName(sql: string): string {
  let name = names.get(sql);
  if (!name) {
    name = `b${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
    names.set(sql, name);
  }
  return name;
}

/**
 * The statement as the driver sends it. `queryMode` (which @types/pg does not declare) keeps a
 * parameterless extended statement extended.
 */
function statementQuery(s: CapturedStatement, mode: NodePgMode): pg.QueryConfig | string {
  if (s.protocol === 'simple') return s.sql;
  const name = mode === 'named' ? statementName(s.sql) : s.statementName;
  const config: pg.QueryConfig & { queryMode: 'extended' } = {
    text: s.sql,
    values: s.params,
    queryMode: 'extended',
    ...(name ? { name } : {}),
  };
  return config;
}
