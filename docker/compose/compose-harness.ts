// Shared by the Compose tests: the docker-compose v2 binary (scripts/lib/compose.mjs), a secrets folder made
// by the real scripts/setup, and `docker-compose config` runs with a clean environment.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeBin } from '../../scripts/lib/compose.mjs';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/** The whole environment of the processes run here: nothing leaks in from the caller's. */
const cleanEnv = (secretsDir: string) => ({
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  HOME: homedir(),
  SECRETS_DIR: secretsDir,
});

/** Overlays and the profiles each one is rendered with (every service of the environment). */
export const environments = {
  dev: ['monitoring', 'tools'],
  prod: ['monitoring'],
  test: [],
} as const;
export type Environment = keyof typeof environments;

/** Building Compose the first time takes minutes (two test files may build it at once on 2 cores). */
export const COMPOSE_HOOK_TIMEOUT = 600_000;

export interface Secrets {
  dir: string;
  /** File name -> content, as scripts/setup wrote them. */
  values: Map<string, string>;
  remove(): void;
}

export function runSetup(dir: string) {
  const result = spawnSync('bash', [join(root, 'scripts/setup')], {
    cwd: root,
    encoding: 'utf8',
    env: cleanEnv(dir),
  });
  if (result.status !== 0) throw new Error(`scripts/setup failed: ${result.stderr}${result.stdout}`);
  return result.stdout;
}

export function readSecrets(dir: string): Map<string, string> {
  return new Map(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
}

/** A fresh secrets folder filled by scripts/setup. */
export function makeSecrets(): Secrets {
  const base = mkdtempSync(join(tmpdir(), 'zakpos-compose-'));
  const dir = join(base, 'secrets');
  runSetup(dir);
  return { dir, values: readSecrets(dir), remove: () => rmSync(base, { recursive: true, force: true }) };
}

export interface ComposeRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `docker-compose -f docker-compose.yml -f docker-compose.<env>.yml --env-file <envFile> [--profile ...] <args>`
 * in the repository, with a clean environment (only SECRETS_DIR is set).
 */
export function compose(
  env: Environment,
  args: string[],
  o: { envFile?: string; secretsDir: string; profiles?: readonly string[] },
): ComposeRun {
  const profiles = (o.profiles ?? environments[env]).flatMap((p) => ['--profile', p]);
  const result = spawnSync(
    composeBin(),
    [
      '-f',
      'docker-compose.yml',
      '-f',
      `docker-compose.${env}.yml`,
      '--env-file',
      o.envFile ?? join(root, '.env.example'),
      ...profiles,
      ...args,
    ],
    {
      cwd: root,
      encoding: 'utf8',
      env: cleanEnv(o.secretsDir),
    },
  );
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The fully rendered config of an environment, as Compose's JSON. Throws with Compose's message. */
export function renderJson(env: Environment, secretsDir: string): ComposeConfig {
  const run = compose(env, ['config', '--format', 'json'], { secretsDir });
  if (run.status !== 0) throw new Error(`docker-compose config (${env}) failed:\n${run.stderr}`);
  return JSON.parse(run.stdout) as ComposeConfig;
}

// The parts of Compose's rendered JSON the tests read.
export interface ComposePort {
  host_ip?: string;
  target: number;
  published?: string;
}
export interface ComposeVolumeMount {
  type: string;
  source?: string;
  target: string;
}
export interface ComposeService {
  image?: string;
  user?: string;
  read_only?: boolean;
  cap_drop?: string[];
  cap_add?: string[];
  security_opt?: string[];
  privileged?: boolean;
  restart?: string;
  ports?: ComposePort[];
  networks?: Record<string, unknown>;
  volumes?: ComposeVolumeMount[];
  tmpfs?: string[];
  environment?: Record<string, string | null>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[]; disable?: boolean; start_period?: string; interval?: string };
  logging?: { driver?: string; options?: Record<string, string> };
  deploy?: {
    resources?: {
      limits?: { cpus?: number; memory?: string };
      reservations?: { cpus?: number; memory?: string };
    };
  };
  secrets?: { source: string; target: string }[];
  network_mode?: string;
  pid?: string;
  ipc?: string;
}
export interface ComposeConfig {
  services: Record<string, ComposeService>;
  networks: Record<string, { name?: string; internal?: boolean; ipam?: { config?: { subnet?: string }[] } }>;
  volumes?: Record<string, unknown>;
  secrets?: Record<string, { file?: string }>;
}
