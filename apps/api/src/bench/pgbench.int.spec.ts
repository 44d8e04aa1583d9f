import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { barcodeOf, pgbenchBarcodeVariable } from './bench-data.js';
import { postmasterPid } from './cpu.js';
import { runPgbench } from './pgbench.js';

/** pgbench as scripts/bench.mjs finds it (npm test installs Debian's postgresql, which ships it). */
function findPgbench(): string {
  if (spawnSync('pgbench', ['--version']).status === 0) return 'pgbench';
  const root = '/usr/lib/postgresql';
  const found = (existsSync(root) ? readdirSync(root) : [])
    .map((v) => `${root}/${v}/bin/pgbench`)
    .find((p) => existsSync(p));
  if (!found) throw new Error('pgbench not found: install postgresql-15 (apt) or put pgbench on PATH');
  return found;
}

describe('pgbench', () => {
  const pgbench = findPgbench();
  const database = `zakpos_pgbench_${randomBytes(4).toString('hex')}`;
  let su: pg.Client;
  let scratch: pg.Client;
  let url: string;
  let dir: string;

  beforeAll(async () => {
    su = new pg.Client({ connectionString: inject('db').superuserUrl });
    await su.connect();
    await su.query(`create database ${database}`);
    const u = new URL(inject('db').superuserUrl);
    u.pathname = `/${database}`;
    url = u.toString();
    scratch = new pg.Client({ connectionString: url });
    await scratch.connect();
    await scratch.query('create table codes (g bigint, code text)');
    dir = await mkdtemp(join(tmpdir(), 'zakpos-pgbench-'));
  });
  afterAll(async () => {
    await scratch.end();
    await su.query(`drop database ${database}`);
    await su.end();
    await rm(dir, { recursive: true, force: true });
  });

  const runScript = async (lines: string[], transactions: number) => {
    const file = join(dir, 'check.sql');
    await writeFile(file, `${lines.join('\n')}\n`);
    const run = spawnSync(pgbench, ['--no-vacuum', `--transactions=${transactions}`, '-f', file, url], {
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
  };

  it('draws the barcode of a random product, as barcodeOf numbers them', async () => {
    const lines = pgbenchBarcodeVariable(100_000);
    expect(lines[0]).toBe('\\set g random(1, 100000)');
    const insert = 'insert into codes (g, code) values (:g, :code);';
    await runScript([...lines, insert], 500);
    // and at the edges of the digits: ten-digit product numbers, zeros, nines
    for (const g of [1, 9, 10, 99_999, 1_000_000_000, 1_234_567_890, 9_999_999_999]) {
      await runScript([`\\set g ${g}`, ...lines.slice(1), insert], 1);
    }
    const rows = (await scratch.query<{ g: string; code: string }>('select g::text, code from codes')).rows;
    expect(rows).toHaveLength(507);
    expect(new Set(rows.map((r) => r.g)).size).toBeGreaterThan(400);
    for (const r of rows) expect(r.code).toBe(barcodeOf(Number(r.g)));
  });

  it.each(['extended', 'prepared'] as const)(
    'replays a simple Query of several statements in one pipeline (%s)',
    async (mode) => {
      const dataDir = (await su.query<{ d: string }>("select current_setting('data_directory') as d"))
        .rows[0]!.d;
      const result = await runPgbench({
        bin: pgbench,
        url,
        requests: [
          {
            path: '/pipeline',
            statements: [
              {
                protocol: 'simple',
                sql: "begin; select set_config('app.note', 'a;b', true)",
                params: [],
                statementName: '',
              },
              {
                protocol: 'extended',
                sql: "insert into codes (g, code) values (-2, current_setting('app.note') || $1)",
                params: [`-${mode}`],
                statementName: 'zq1',
              },
              { protocol: 'simple', sql: 'commit', params: [], statementName: '' },
            ],
          },
        ],
        clients: 1,
        warmup: 0,
        duration: 1,
        mode,
        dir,
        postmasterPid: postmasterPid(dataDir),
      });
      const rows = (
        await scratch.query<{ n: string }>('select count(*) as n from codes where code = $1', [`a;b-${mode}`])
      ).rows;
      expect(result.failed).toBe(0);
      expect(result.transactions).toBeGreaterThan(0);
      // the setting made in the pipeline is seen by the statement after it, in the same transaction
      expect(Number(rows[0]!.n)).toBeGreaterThanOrEqual(result.transactions);
    },
  );

  it('replays captured statements, measuring throughput and latency from its transaction log', async () => {
    const dataDir = (await su.query<{ d: string }>("select current_setting('data_directory') as d")).rows[0]!
      .d;
    const result = await runPgbench({
      bin: pgbench,
      url,
      requests: [
        {
          path: '/x',
          statements: [
            { protocol: 'simple', sql: 'begin', params: [], statementName: '' },
            {
              protocol: 'extended',
              sql: 'insert into codes (g, code) values ($1, $2)',
              params: ['-1', 'replayed'],
              statementName: '',
            },
            { protocol: 'simple', sql: 'commit', params: [], statementName: '' },
          ],
        },
      ],
      clients: 2,
      warmup: 0,
      duration: 1,
      mode: 'prepared',
      dir,
      postmasterPid: postmasterPid(dataDir),
    });
    const inserted = Number(
      (await scratch.query<{ n: string }>("select count(*) as n from codes where code = 'replayed'")).rows[0]!
        .n,
    );
    expect(result.failed).toBe(0);
    expect(result.transactions).toBeGreaterThan(0);
    expect(inserted).toBeGreaterThanOrEqual(result.transactions);
    expect(result.tps).toBeGreaterThan(0);
    expect(result.p99Ms).toBeGreaterThanOrEqual(result.p50Ms);
    expect(result.cpu.serverMs).toBeGreaterThan(0);
    expect(readdirSync(dir).filter((f) => f.startsWith('pgbench-prepared.'))).toEqual([]); // logs read and removed
  });
});
