// The Compose files render with Compose v2 for every environment, with the documented settings of
// .env.example and the secret files of scripts/setup; a missing required setting stops Compose with a
// message naming it; scripts/setup fills only what is missing.
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeBin } from '../../scripts/lib/compose.mjs';
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
  });

  it('keeps stateful data in bind mounts under ./data', () => {
    const config = renderJson('dev', secrets.dir);
    for (const [name, target, folder] of [
      ['postgres', '/var/lib/postgresql/data'],
      ['redis', '/data'],
      ['kafka', '/var/lib/kafka/data'],
      ['api', '/var/lib/zakpos/uploads', 'uploads'],
    ] as const) {
      const mount = config.services[name]!.volumes?.find((v) => v.target === target);
      expect(mount, name).toMatchObject({ type: 'bind', source: join(root, 'data', folder ?? name) });
    }
  });
});

describe('test overlay', () => {
  it('keeps every config mount of the base and moves only the data onto tmpfs', () => {
    const test = renderJson('test', secrets.dir);
    const prod = renderJson('prod', secrets.dir);
    for (const [name, data] of [
      ['postgres', '/var/lib/postgresql/data'],
      ['redis', '/data'],
      ['kafka', '/var/lib/kafka/data'],
    ] as const) {
      const mounts = (c: typeof test) =>
        (c.services[name]!.volumes ?? [])
          .filter((v) => v.target !== data)
          .map((v) => `${v.source}:${v.target}`)
          .sort();
      expect(mounts(test), name).toEqual(mounts(prod));
      expect(mounts(test).length, name).toBeGreaterThan(0);
      expect(
        test.services[name]!.volumes?.some((v) => v.target === data),
        name,
      ).toBe(false);
      expect(test.services[name]!.tmpfs, name).toContain(data);
    }
  });

  it("keeps the API's uploads on tmpfs, writable by the image's user", () => {
    const api = renderJson('test', secrets.dir).services.api!;
    expect(api.volumes ?? []).toEqual([]);
    expect(api.tmpfs).toContain('/var/lib/zakpos/uploads:uid=10001,gid=10001,mode=0700');
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
