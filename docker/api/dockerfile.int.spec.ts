// The API image's recipe, checked without a Docker engine: hadolint (pinned, from scripts/lib/hadolint.mjs)
// on every Dockerfile of the repository, the hardening properties of apps/api/Dockerfile read from its text,
// and the build context that .dockerignore lets through, matched with Docker's own pattern rules.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hadolintBin } from '../../scripts/lib/hadolint.mjs';
import {
  baseImage,
  contextFiles,
  copyParts,
  execForm,
  ignored,
  parseDockerfile,
  readDockerignore,
  type Stage,
  stages,
  walk,
} from './dockerfile-text.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const API_DOCKERFILE = 'apps/api/Dockerfile';

const SKIP_DIRS = new Set(['node_modules', '.git', '.data', '.tmp', 'dist', 'coverage']);

function findDockerfiles(): string[] {
  const found: string[] = [];
  walk(
    root,
    root,
    (path) => {
      const name = path.split('/').at(-1)!;
      if (/^Dockerfile(\..+)?$/.test(name) || /\.dockerfile$/i.test(name)) found.push(relative(root, path));
    },
    (relDir) => SKIP_DIRS.has(relDir.split('/').at(-1)!),
  );
  return found.sort();
}

interface Finding {
  line: number;
  code: string;
  message: string;
  level: string;
}

describe('hadolint', () => {
  let bin: string;
  let work: string;
  let config: string;

  beforeAll(async () => {
    bin = hadolintBin();
    work = await mkdtemp(join(tmpdir(), 'zakpos-hadolint-'));
    // An explicit config, so neither a user's nor a repository's hadolint.yaml can silence rules: the only
    // way to ignore one is a pragma in the Dockerfile, next to its reason. Every level counts as a failure.
    config = join(work, 'hadolint.yaml');
    await writeFile(config, 'failure-threshold: style\n');
  });
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  const dockerfiles = findDockerfiles();

  it('finds the Dockerfiles of the repository', () => {
    expect(dockerfiles).toContain(API_DOCKERFILE);
  });

  it.each(dockerfiles)('%s has no findings', (file) => {
    const run = spawnSync(bin, ['--config', config, '--no-color', '--format', 'json', file], {
      cwd: root,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.error).toBeUndefined();
    const findings = JSON.parse(run.stdout || '[]') as Finding[];
    expect(findings.map((f) => `${file}:${f.line} ${f.code} (${f.level}) ${f.message}`)).toEqual([]);
    expect(run.status, run.stderr).toBe(0);
  });

  it.each(dockerfiles)('%s justifies each ignored rule on the comment line above it', (file) => {
    const lines = readFileSync(join(root, file), 'utf8').split('\n');
    const unjustified = lines.flatMap((line, i) => {
      if (!/^\s*#\s*hadolint\s+(global\s+)?ignore=/i.test(line)) return [];
      const above = (lines[i - 1] ?? '').trim();
      const reasoned =
        above.startsWith('#') && !/hadolint/i.test(above) && above.replace(/^#\s*/, '').length >= 10;
      return reasoned ? [] : [`${file}:${i + 1} ${line.trim()}`];
    });
    expect(unjustified).toEqual([]);
  });
});

describe('apps/api/Dockerfile', () => {
  const text = readFileSync(join(root, API_DOCKERFILE), 'utf8');
  const all = stages(parseDockerfile(text));
  const final = all.at(-1)!;
  const finalOf = (keyword: string) => final.instructions.filter((i) => i.keyword === keyword);

  it('is multi-stage, and every image it starts from is pinned to an exact version', () => {
    expect(all.length).toBeGreaterThanOrEqual(3);
    for (const stage of all) {
      const image = baseImage(all, stage);
      expect(image, `FROM ${stage.image}`).toMatch(
        /^[\w./-]+:[\w.-]*\d+\.\d+\.\d+[\w.-]*(@sha256:[0-9a-f]{64})?$/,
      );
      expect(image).not.toMatch(/:latest\b/);
    }
  });

  it('runs on the current Node LTS of .nvmrc on Debian slim', () => {
    const lts = readFileSync(join(root, '.nvmrc'), 'utf8').trim();
    expect(baseImage(all, final)).toBe(`node:${lts}-bookworm-slim`);
  });

  it('ships only production dependencies in the final stage', () => {
    const copies = finalOf('COPY').map((i) => copyParts(i.args));
    const fromStage = (c: { flags: Record<string, string> }) => all.find((s) => s.name === c.flags.from);
    const installs = (s: Stage | undefined) =>
      (s?.instructions ?? []).filter((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args));
    // The dependencies come from one stage that installs them itself, production ones only...
    const withModules = copies.filter((c) => c.flags.from !== undefined && installs(fromStage(c)).length > 0);
    expect(withModules).toHaveLength(1);
    const install = installs(fromStage(withModules[0]!));
    expect(install).toHaveLength(1);
    expect(install[0]!.args).toMatch(/--omit=dev\b/);
    expect(install[0]!.args).toMatch(/--workspace @zakpos\/api\b/);
    // ...and every other stage (such as the build, which sits on all dependencies) gives only its dist/.
    const others = copies.filter((c) => c.flags.from !== undefined && !withModules.includes(c));
    expect(others.flatMap((c) => c.sources).filter((s) => !s.endsWith('/dist'))).toEqual([]);
    // The built code, the migrations and the shared contracts are there; no sources from the context.
    const dests = copies.map((c) => c.dest.replace(/\/$/, ''));
    for (const needed of ['apps/api/dist', 'apps/api/migrations', 'packages/contracts/dist']) {
      expect(dests).toContain(needed);
    }
    const fromContext = copies.filter((c) => c.flags.from === undefined).flatMap((c) => c.sources);
    expect(fromContext.filter((s) => /(^|\/)src$/.test(s) || s === '.')).toEqual([]);
  });

  it('runs as a numeric non-root user', () => {
    const users = finalOf('USER');
    expect(users.length).toBeGreaterThan(0);
    const user = users.at(-1)!.args;
    const match = /^(\d+)(?::(\d+))?$/.exec(user);
    expect(match, `USER ${user}`).not.toBeNull();
    expect(Number(match![1])).toBeGreaterThan(0);
    if (match![2] !== undefined) expect(Number(match![2])).toBeGreaterThan(0);
  });

  it('creates the uploads folder Compose mounts a volume on, owned by the runtime user', () => {
    const [uid, gid = uid] = finalOf('USER').at(-1)!.args.split(':');
    const compose = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
    expect(compose).toContain('api_uploads:/var/lib/zakpos/uploads');
    const made = finalOf('RUN').some((i) =>
      new RegExp(`install -d -o ${uid} -g ${gid} -m 07[0-5]0 /var/lib/zakpos/uploads\\b`).test(i.args),
    );
    expect(made).toBe(true);
  });

  it('has a health check that uses node, not curl or wget', () => {
    const checks = finalOf('HEALTHCHECK');
    expect(checks).toHaveLength(1);
    const check = checks[0]!.args;
    expect(check).not.toMatch(/^NONE$/i);
    expect(check).not.toMatch(/\b(curl|wget)\b/);
    const cmd = execForm(check.slice(check.indexOf('CMD ') + 4));
    expect(cmd?.[0]).toBe('node');
    expect(cmd?.join(' ')).toMatch(/\/health\/live/);
  });

  it('starts the API under tini, which forwards signals and reaps children', () => {
    const entrypoints = finalOf('ENTRYPOINT');
    expect(entrypoints).toHaveLength(1);
    expect(execForm(entrypoints[0]!.args)).toEqual(['/usr/bin/tini', '--']);
    expect(finalOf('RUN').some((i) => /apt-get install\b.*\btini=/.test(i.args))).toBe(true);
    const cmds = finalOf('CMD');
    expect(cmds.map((c) => execForm(c.args))).toEqual([['node', 'apps/api/dist/main.js']]);
    expect(finalOf('EXPOSE').map((e) => e.args)).toEqual(['3000']);
  });

  it('fetches nothing with ADD, and carries the OCI labels', () => {
    const adds = all.flatMap((s) => s.instructions).filter((i) => i.keyword === 'ADD');
    expect(adds.filter((i) => /(https?|ftp|git):\/\/|git@/i.test(i.args)).map((i) => i.args)).toEqual([]);
    const labels = finalOf('LABEL')
      .map((l) => l.args)
      .join(' ');
    for (const key of ['title', 'description', 'licenses', 'version', 'revision', 'created']) {
      expect(labels).toContain(`org.opencontainers.image.${key}=`);
    }
  });
});

describe('.dockerignore', () => {
  const patterns = readDockerignore(readFileSync(join(root, '.dockerignore'), 'utf8'));

  it('follows Docker pattern rules in this matcher', () => {
    const sample = readDockerignore('*\n!keep\n**/node_modules\nsub/*.log\n');
    expect(ignored(sample, 'other/file')).toBe(true);
    expect(ignored(sample, 'keep/a/b.ts')).toBe(false);
    expect(ignored(sample, 'keep/node_modules/x')).toBe(true);
    expect(ignored(readDockerignore('sub/*.log'), 'sub/a.log')).toBe(true);
    expect(ignored(readDockerignore('sub/*.log'), 'sub/deeper/a.log')).toBe(false);
  });

  it('keeps dependencies, build output, git, local data and env files out of the context', () => {
    for (const path of [
      'node_modules/fastify/package.json',
      'apps/api/node_modules/x/index.js',
      'apps/api/src/node_modules/x/index.js',
      'apps/api/dist/main.js',
      'packages/contracts/dist/index.js',
      '.git/HEAD',
      '.data/secrets/jwt',
      '.data/postgres/PG_VERSION',
      '.tmp/notes.md',
      '.env',
      '.env.prod',
      'apps/api/.env',
      'apps/api/src/.env.local',
      'apps/api/src/app.int.spec.ts',
      'apps/api/src/test/postgres.global-setup.ts',
      'npm-debug.log',
      'coverage/index.html',
    ]) {
      expect(ignored(patterns, path), path).toBe(true);
    }
  });

  it('lets through every file the API image copies from the context', () => {
    const instructions = parseDockerfile(readFileSync(join(root, API_DOCKERFILE), 'utf8'));
    const sources = instructions
      .filter((i) => i.keyword === 'COPY')
      .map((i) => copyParts(i.args))
      .filter((c) => c.flags.from === undefined)
      .flatMap((c) => c.sources);
    expect(sources.length).toBeGreaterThan(0);
    const missing: string[] = [];
    for (const source of new Set(sources)) {
      const full = join(root, source);
      expect(existsSync(full), `${source} exists`).toBe(true);
      const files: string[] = [];
      if (statSync(full).isDirectory()) walk(root, full, (p) => files.push(relative(root, p)));
      else files.push(source);
      // Tests (tsconfig excludes them) and the benchmarks are not part of the image; everything else it copies
      // must be sent.
      const needed = files.filter(
        (f) =>
          !/\.spec\.ts$/.test(f) &&
          !f.startsWith('apps/api/src/test/') &&
          !f.startsWith('apps/api/src/bench/'),
      );
      expect(needed.length, `${source} has files`).toBeGreaterThan(0);
      missing.push(...needed.filter((f) => ignored(patterns, f)));
    }
    expect(missing).toEqual([]);
  });

  // The build stage, rehearsed: `tsc -b` on nothing but what the context sends, with the installed
  // dependencies standing in for the deps stage's `npm ci`. A source file importing something the context
  // leaves out (a script, a test helper) fails here instead of in `docker compose build`.
  it('sends everything the build stage compiles', async () => {
    const build = stages(parseDockerfile(readFileSync(join(root, API_DOCKERFILE), 'utf8'))).find(
      (s) => s.name === 'build',
    )!;
    const commands = build.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
    expect(commands).toEqual(['npx tsc -b apps/api']);
    const context = await mkdtemp(join(tmpdir(), 'zakpos-build-context-'));
    try {
      for (const file of contextFiles(root, patterns)) {
        mkdirSync(dirname(join(context, file)), { recursive: true });
        copyFileSync(join(root, file), join(context, file));
      }
      // node_modules as npm ci lays it out: the registry packages, and the workspaces linked to the context's.
      mkdirSync(join(context, 'node_modules'));
      for (const entry of readdirSync(join(root, 'node_modules'))) {
        const from = join(root, 'node_modules', entry);
        if (entry === '@zakpos')
          cpSync(from, join(context, 'node_modules', entry), { recursive: true, verbatimSymlinks: true });
        else symlinkSync(from, join(context, 'node_modules', entry));
      }
      for (const workspace of ['apps/api', 'packages/contracts', 'packages/pricing', 'packages/receipt']) {
        const own = join(root, workspace, 'node_modules');
        if (existsSync(own)) symlinkSync(own, join(context, workspace, 'node_modules'));
      }
      const tsc = spawnSync('sh', ['-ec', commands[0]!], {
        cwd: context,
        encoding: 'utf8',
        timeout: 240_000,
      });
      expect(tsc.status, `${tsc.stdout}${tsc.stderr}`).toBe(0);
      expect(existsSync(join(context, 'apps/api/dist/main.js'))).toBe(true);
    } finally {
      await rm(context, { recursive: true, force: true });
    }
  }, 300_000);

  it('keeps the context small', () => {
    const sent = contextFiles(root, patterns);
    expect(sent).toContain('package-lock.json');
    expect(sent.filter((p) => /(^|\/)(node_modules|dist|\.git|\.data)\//.test(p))).toEqual([]);
    const bytes = sent.reduce((sum, p) => sum + statSync(join(root, p)).size, 0);
    expect(bytes).toBeLessThan(5 * 1024 * 1024);
  });
});
