// The Compose files render with Compose v2 for every environment, with the documented settings of
// .env.example and the secret files of scripts/setup; a missing required setting stops Compose with a
// message naming it; scripts/setup fills only what is missing.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  linkSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeBin } from '../../scripts/lib/compose.mjs';
import { KAFKA_VERSION } from '../../scripts/lib/kafka.mjs';
import {
  COMPOSE_HOOK_TIMEOUT,
  compose,
  type Environment,
  environments,
  makeSecrets,
  readSecrets,
  renderJson,
  root,
  runSetup,
  type ComposeConfig,
  type Secrets,
} from './compose-harness.js';

const envs = Object.keys(environments) as Environment[];
const composeFiles = ['docker-compose.yml', ...envs.map((e) => `docker-compose.${e}.yml`)];

/** Variables Compose interpolates (`${NAME...}`; `$${NAME}` is left to the container's shell). */
function interpolated(text: string): Set<string> {
  return new Set([...text.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!));
}

/** Variables set by an env file (`NAME=value` lines). */
function assigned(text: string): Map<string, string> {
  return new Map(
    [...text.matchAll(/^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/gm)].map((m) => [m[1]!, m[2]!] as [string, string]),
  );
}

let secrets: Secrets;
let tmpEnv: string;

beforeAll(() => {
  composeBin();
  secrets = makeSecrets();
  tmpEnv = join(secrets.dir, '..', 'test.env');
}, COMPOSE_HOOK_TIMEOUT);

afterAll(() => secrets?.remove());

describe('docker-compose config', () => {
  it.each(envs)('renders base + %s with .env.example, with no unset variable', (env) => {
    const run = compose(env, ['config', '--quiet'], { secretsDir: secrets.dir });
    expect(run.stderr).not.toMatch(/variable is not set/);
    expect(run.status, run.stderr).toBe(0);
  });

  it('renders base + dev with the .env.dev template', () => {
    const run = compose('dev', ['config', '--quiet'], {
      secretsDir: secrets.dir,
      envFile: join(root, '.env.dev'),
    });
    expect(run.status, run.stderr).toBe(0);
  });

  it('refuses the .env.prod template until its CHANGE ME values are filled in', () => {
    const run = compose('prod', ['config', '--quiet'], {
      secretsDir: secrets.dir,
      envFile: join(root, '.env.prod'),
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/KAFKA_CLUSTER_ID|CORS_ORIGINS|TLS_CERTS_DIR/);
  });

  // Each required variable, removed from .env.example: Compose stops and names it.
  const required: [Environment, string][] = [
    ['dev', 'ZAKPOS_VERSION'],
    ['dev', 'KAFKA_CLUSTER_ID'],
    ['test', 'ZAKPOS_VERSION'],
    ['prod', 'ZAKPOS_VERSION'],
    ['prod', 'KAFKA_CLUSTER_ID'],
    ['prod', 'CORS_ORIGINS'],
    ['prod', 'TLS_CERTS_DIR'],
  ];
  it.each(required)('%s: fails with a message naming %s when it is missing', (env, name) => {
    const example = readFileSync(join(root, '.env.example'), 'utf8');
    const without = example.replace(new RegExp(`^${name}=.*$`, 'm'), '');
    expect(without).not.toBe(example);
    writeFileSync(tmpEnv, without);
    const run = compose(env, ['config', '--quiet'], { secretsDir: secrets.dir, envFile: tmpEnv });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(`${name}`);
    expect(run.stderr).toMatch(new RegExp(`required variable ${name} is missing a value: set ${name}`));
  });
});

describe('networks', () => {
  const networks = (env: Environment, project: string, envFile?: string) => {
    const run = compose(env, ['-p', project, 'config', '--format', 'json'], {
      secretsDir: secrets.dir,
      envFile,
    });
    expect(run.status, run.stderr).toBe(0);
    return (JSON.parse(run.stdout) as ComposeConfig).networks;
  };

  // A fixed `name:` made a second project join the first one's networks (its nginx then balanced over both
  // stacks' API replicas and `postgres` resolved to both databases).
  it.each(envs)('%s: every network belongs to its project, so two stacks never share one', (env) => {
    const a = networks(env, 'zakpos');
    const b = networks(env, 'zakpos-other');
    expect(Object.keys(a).sort()).toEqual(['backend', 'frontend', 'monitoring']);
    for (const net of Object.keys(a)) {
      expect(a[net]!.name, net).toBe(`zakpos_${net}`);
      expect(b[net]!.name, net).toBe(`zakpos-other_${net}`);
    }
  });

  it('takes the subnets from the env file, the design ones by default', () => {
    const example = readFileSync(join(root, '.env.example'), 'utf8');
    writeFileSync(
      tmpEnv,
      example
        .replace(/^FRONTEND_SUBNET=.*$/m, 'FRONTEND_SUBNET=10.91.0.0/24')
        .replace(/^BACKEND_SUBNET=.*$/m, 'BACKEND_SUBNET=10.91.1.0/24')
        .replace(/^MONITORING_SUBNET=.*$/m, 'MONITORING_SUBNET=10.91.2.0/24'),
    );
    const subnets = (n: ComposeConfig['networks']) =>
      Object.fromEntries(Object.entries(n).map(([k, v]) => [k, v.ipam?.config?.map((c) => c.subnet)]));
    expect(subnets(networks('prod', 'zakpos-other', tmpEnv))).toEqual({
      frontend: ['10.91.0.0/24'],
      backend: ['10.91.1.0/24'],
      monitoring: ['10.91.2.0/24'],
    });
    expect(subnets(networks('prod', 'zakpos'))).toEqual({
      frontend: ['172.20.0.0/24'],
      backend: ['172.21.0.0/24'],
      monitoring: ['172.22.0.0/24'],
    });
  });

  it('no config file names an address of the stack networks', () => {
    for (const file of [
      'docker/postgres/pg_hba.conf',
      'docker/nginx/conf.d/api.conf',
      'docker/nginx/snippets/api-locations.conf',
      'docker/prometheus/prometheus.yml',
    ])
      expect(readFileSync(join(root, file), 'utf8'), file).not.toMatch(/\b172\.2[0-2]\./);
  });
});

describe('images', () => {
  it('runs the Kafka the tests run (scripts/lib/kafka.mjs), broker and topic creation alike', () => {
    const { services } = renderJson('prod', secrets.dir);
    expect(services.kafka!.image).toBe(`apache/kafka:${KAFKA_VERSION}`);
    expect(services['kafka-init']!.image).toBe(`apache/kafka:${KAFKA_VERSION}`);
  });
});

describe('environment files', () => {
  const example = readFileSync(join(root, '.env.example'), 'utf8');

  it('.env.example sets and comments every variable the Compose files read', () => {
    const used = new Set(composeFiles.flatMap((f) => [...interpolated(readFileSync(join(root, f), 'utf8'))]));
    expect(used.size).toBeGreaterThan(10);
    const documented = assigned(example);
    expect([...used].filter((v) => !documented.has(v)).sort()).toEqual([]);
    // A comment precedes every group of assignments.
    const lines = example.split('\n');
    const uncommented = lines.filter(
      (line, i) => /^[A-Z_]+=/.test(line) && !/^[A-Z_]+=|^#/.test(lines[i - 1] ?? ''),
    );
    expect(uncommented).toEqual([]);
  });

  it('the env files hold no secret', () => {
    for (const file of ['.env.example', '.env.dev', '.env.prod']) {
      const vars = assigned(readFileSync(join(root, file), 'utf8'));
      const secretLike = [...vars.keys()].filter((k) => /(PASSWORD|SECRET|TOKEN|_KEY|DATABASE_URL)$/.test(k));
      expect(secretLike, file).toEqual([]);
      for (const value of secrets.values.values())
        expect(readFileSync(join(root, file), 'utf8')).not.toContain(value);
    }
  });
});

describe('dev overlay', () => {
  it('publishes the design ports, on 127.0.0.1 only', () => {
    const config = renderJson('dev', secrets.dir);
    const published = Object.entries(config.services).flatMap(([name, s]) =>
      (s.ports ?? []).map((p) => ({ name, host_ip: p.host_ip, published: p.published })),
    );
    expect(published.length).toBeGreaterThan(0);
    expect(published.filter((p) => p.host_ip !== '127.0.0.1')).toEqual([]);
    const port = (name: string) => published.filter((p) => p.name === name).map((p) => p.published);
    expect(port('api')).toEqual(['39847']);
    expect(port('postgres')).toEqual(['47821']);
    expect(port('redis')).toEqual(['58392']);
    expect(port('kafka')).toEqual(['54629']);
    expect(port('minio')).toEqual(['9000', '9001']);
  });

  it('keeps PostgreSQL and Redis data in bind mounts under ./data', () => {
    const config = renderJson('dev', secrets.dir);
    for (const [name, target] of [
      ['postgres', '/var/lib/postgresql/data'],
      ['redis', '/data'],
    ] as const) {
      const mount = config.services[name]!.volumes?.find((v) => v.target === target);
      expect(mount, name).toMatchObject({ type: 'bind', source: join(root, 'data', name) });
    }
  });

  // Docker creates a missing bind-mount source root-owned: Kafka (uid 1000) then died on its data folder and the
  // dev API (your uid) could not write its uploads. Only services that start as root may have one: postgres and
  // redis hand the folder to their user, nginx's master reads the dev certificate as root.
  it('gives services that start as non-root no bind mount Docker would have to create', () => {
    const config = renderJson('dev', secrets.dir);
    const startsAsRoot = new Set(['postgres', 'redis', 'nginx']);
    const created = Object.entries(config.services).flatMap(([name, s]) =>
      (s.volumes ?? [])
        .filter((v) => v.type === 'bind' && !startsAsRoot.has(name) && !existsSync(v.source!))
        .map((v) => `${name}: ${v.source}`),
    );
    expect(created).toEqual([]);
    expect(config.services.kafka!.volumes).toContainEqual(
      expect.objectContaining({ type: 'volume', source: 'kafka_data', target: '/var/lib/kafka/data' }),
    );
    expect(config.services.api!.environment?.UPLOADS_DIR).toBe('/app/data/uploads');
    expect(config.services.api!.volumes?.map((v) => `${v.source}:${v.target}`)).toEqual([
      `${root.replace(/\/$/, '')}:/app`,
    ]);
  });
});

describe('test overlay', () => {
  // On tmpfs a restart emptied the database under an API still running on the migrated schema, and Kafka (uid
  // 1000) could not write its root-owned tmpfs.
  it("keeps every mount of prod, data in the project's named volumes", () => {
    const mounts = (c: ComposeConfig, name: string) =>
      (c.services[name]!.volumes ?? []).map((v) => `${v.type} ${v.source}:${v.target}`).sort();
    const test = renderJson('test', secrets.dir);
    const prod = renderJson('prod', secrets.dir);
    for (const [name, volume] of [
      ['postgres', 'postgres_data'],
      ['redis', 'redis_data'],
      ['kafka', 'kafka_data'],
      ['api', 'api_uploads'],
      ['minio', 'minio_data'],
    ] as const) {
      expect(mounts(test, name), name).toEqual(mounts(prod, name));
      expect(
        mounts(test, name).filter((m) => m.startsWith(`volume ${volume}:`)),
        name,
      ).toHaveLength(1);
      expect(test.services[name]!.tmpfs ?? [], name).toEqual([]);
    }
  });
});

describe('scripts/setup', () => {
  it('writes every secret file the Compose files name, mode 600 in a mode 700 folder', () => {
    expect(statSync(secrets.dir).mode & 0o777).toBe(0o700);
    const named = new Set<string>();
    for (const env of envs) {
      const config = renderJson(env, secrets.dir);
      for (const s of Object.values(config.secrets ?? {})) named.add(s.file!);
    }
    expect(named.size).toBeGreaterThan(5);
    for (const file of named) {
      expect(file.startsWith(`${secrets.dir}/`), file).toBe(true);
      expect(existsSync(file), file).toBe(true);
      expect(statSync(file).mode & 0o777, file).toBe(0o600);
      expect(readFileSync(file, 'utf8').length, file).toBeGreaterThan(15);
    }
  });

  // As a user who cannot chown, files of mode 600 were readable by no container running as another uid
  // (PostgreSQL's first start failed on its password files).
  it('without root: files every container can read, in a folder no other host user enters', () => {
    const base = mkdtempSync(join(tmpdir(), 'zakpos-setup-'));
    try {
      chmodSync(base, 0o755);
      chownSync(base, 65534, 65534);
      const dir = join(base, 'secrets');
      const as = (uid: number, cmd: string[]) =>
        spawnSync('setpriv', [`--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', ...cmd], {
          encoding: 'utf8',
          env: { PATH: '/usr/bin:/bin', SECRETS_DIR: dir },
        });
      const setup = as(65534, ['bash', join(root, 'scripts/setup')]);
      expect(setup.status, setup.stderr).toBe(0);
      expect(setup.stdout).toMatch(/mode 644 in the mode-700 folder/);
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      const files = readdirSync(dir);
      expect(files.length).toBeGreaterThan(5);
      for (const name of files) {
        const st = statSync(join(dir, name));
        expect([st.uid, st.mode & 0o777], name).toEqual([65534, 0o644]);
      }
      // Compose bind-mounts the file itself, so a container never passes through the folder: a hard link
      // outside it (the same inode, owner and mode) is what postgres (999) opens. The folder keeps 999 out.
      linkSync(join(dir, 'postgres_password'), join(base, 'mounted'));
      const read = as(999, ['cat', join(base, 'mounted')]);
      expect(read.status, read.stderr).toBe(0);
      expect(read.stdout).toMatch(/^[0-9a-f]{48}$/);
      expect(as(999, ['ls', dir]).status).not.toBe(0);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });

  it('derives the connection strings from the role passwords', () => {
    const v = secrets.values;
    expect(v.get('database_url')).toBe(
      `postgres://zakpos_app:${v.get('postgres_app_password')}@postgres:5432/zakpos`,
    );
    expect(v.get('migration_database_url')).toBe(
      `postgres://zakpos_owner:${v.get('postgres_owner_password')}@postgres:5432/zakpos`,
    );
    expect(JSON.parse(v.get('redis_exporter_passwords.json')!)).toEqual({
      'redis://redis:6379': v.get('redis_password'),
    });
    expect(v.get('jwt_secret')!.length).toBeGreaterThanOrEqual(32);
  });

  it('is re-runnable: fills only what is missing and keeps every existing value', () => {
    const out = runSetup(secrets.dir);
    expect(out).toMatch(/0 file\(s\) created/);
    expect(readSecrets(secrets.dir)).toEqual(secrets.values);

    rmSync(join(secrets.dir, 'jwt_secret'));
    rmSync(join(secrets.dir, 'postgres_app_password'));
    const again = runSetup(secrets.dir);
    expect(again).toMatch(/created {2}jwt_secret/);
    expect(again).not.toContain(secrets.values.get('postgres_owner_password'));
    const now = readSecrets(secrets.dir);
    for (const [name, value] of secrets.values) {
      const changes = ['jwt_secret', 'postgres_app_password', 'database_url'].includes(name);
      if (changes) expect(now.get(name), name).not.toBe(value);
      else expect(now.get(name), name).toBe(value);
    }
    // The app URL follows its new password.
    expect(now.get('database_url')).toContain(now.get('postgres_app_password'));
    secrets.values = now;
  });
});
