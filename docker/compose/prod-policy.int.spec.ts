// The production policy (issue 3 §5), asserted on what Compose actually renders for base + prod with every
// profile: each rule is checked on every service, and a failure lists each service that breaks it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  COMPOSE_HOOK_TIMEOUT,
  compose,
  type ComposeConfig,
  type ComposeService,
  makeSecrets,
  renderJson,
  root,
  type Secrets,
} from './compose-harness.js';

/** Every service of prod. A new service must be added here, which makes its author read the rules below. */
const SERVICES = [
  'api',
  'grafana',
  'kafka',
  'kafka-init',
  'migrate',
  'minio',
  'minio-volume',
  'nginx',
  'nginx-exporter',
  'postgres',
  'postgres-exporter',
  'prometheus',
  'redis',
  'redis-exporter',
  'worker',
];
/** One-shot jobs: restart "no", no health check (they exit); who needs them waits for their success. */
const ONE_SHOT = ['kafka-init', 'migrate', 'minio-volume'];
/**
 * One-shots that run as root, with the one capability they need added back after dropping ALL and no network:
 * minio-volume hands MinIO's volume to MinIO's user (the image makes /data root's). No long-running service
 * adds a capability: nginx listens on 8080/8443.
 */
const ROOT_ONE_SHOT: Record<string, string[]> = { 'minio-volume': ['CHOWN'] };
/** Stateful services and the named volume holding their data. */
const STATEFUL: Record<string, [volume: string, target: string]> = {
  postgres: ['postgres_data', '/var/lib/postgresql/data'],
  redis: ['redis_data', '/data'],
  kafka: ['kafka_data', '/var/lib/kafka/data'],
  minio: ['minio_data', '/data'],
  prometheus: ['prometheus_data', '/prometheus'],
  grafana: ['grafana_data', '/var/lib/grafana'],
};
const SUBNETS = { frontend: '172.20.0.0/24', backend: '172.21.0.0/24', monitoring: '172.22.0.0/24' };

/** Compose renders memory as a byte count string. */
const bytes = (m: string | undefined) => Number(m ?? NaN);

/** Every rule a service breaks, as readable strings (empty when it complies). */
function violations(name: string, s: ComposeService): string[] {
  const out: string[] = [];
  const fail = (rule: string) => out.push(`${name}: ${rule}`);

  const [uid, gid] = (s.user ?? '').split(':');
  const asRoot = ROOT_ONE_SHOT[name];
  if (!s.user) fail('no user');
  else if (asRoot) {
    if (!ONE_SHOT.includes(name) || s.network_mode !== 'none')
      fail('runs as root, but not as a one-shot without network');
  } else if (!/^\d+$/.test(uid!) || uid === '0' || (gid !== undefined && (!/^\d+$/.test(gid) || gid === '0')))
    fail(`user ${s.user} is not a numeric non-root uid:gid`);
  if (s.read_only !== true) fail('root filesystem not read-only');
  if (!(s.cap_drop ?? []).includes('ALL')) fail('cap_drop does not include ALL');
  const extra = (s.cap_add ?? []).filter((c) => !(asRoot ?? []).includes(c));
  if (extra.length) fail(`cap_add ${extra.join(',')} not allowed`);
  if (!(s.security_opt ?? []).includes('no-new-privileges:true')) fail('no no-new-privileges:true');
  if (s.privileged) fail('privileged');
  for (const shared of ['network_mode', 'pid', 'ipc'] as const)
    if (s[shared] === 'host') fail(`${shared}: host`);

  const { limits, reservations } = s.deploy?.resources ?? {};
  if (!(Number(limits?.cpus) > 0) || !(bytes(limits?.memory) > 0)) fail('no CPU and memory limits');
  if (!(Number(reservations?.cpus) > 0) || !(bytes(reservations?.memory) > 0))
    fail('no CPU and memory reservations');
  if (
    bytes(reservations?.memory) > bytes(limits?.memory) ||
    Number(reservations?.cpus) > Number(limits?.cpus)
  )
    fail('reservations exceed limits');

  const image = s.image ?? '';
  const tag = image.slice(image.lastIndexOf('/') + 1).split(':')[1];
  if (!tag || tag === 'latest' || !/\d/.test(tag)) fail(`image ${image || '(none)'} not pinned to a version`);

  if (s.logging?.driver !== 'json-file') fail('logging driver is not json-file');
  if (!s.logging?.options?.['max-size'] || !s.logging?.options?.['max-file']) fail('no log rotation');

  if (ONE_SHOT.includes(name)) {
    if (s.restart !== 'no') fail(`one-shot restart is ${s.restart}, not "no"`);
  } else {
    if (!['unless-stopped', 'always'].includes(s.restart ?? '')) fail(`restart is ${s.restart ?? 'unset'}`);
    const hc = s.healthcheck;
    if (!hc || hc.disable || !hc.test?.length || hc.test[0] === 'NONE') fail('no health check');
    else if (!hc.start_period) fail('health check has no start_period');
  }
  for (const [dep, { condition }] of Object.entries(s.depends_on ?? {}))
    if (!['service_healthy', 'service_completed_successfully'].includes(condition))
      fail(`depends on ${dep} with condition ${condition}`);

  // Secrets reach services as files only: no secret-looking variable but the *_FILE ones.
  for (const key of Object.keys(s.environment ?? {}))
    if (/PASSWORD|SECRET|TOKEN|DATABASE_URL|_KEY$/.test(key) && !/_FILE$/.test(key))
      fail(`environment ${key} carries a secret by value`);
  return out;
}

/** Secret values found in a rendered config. */
function leaks(rendered: string, values: Iterable<string>): string[] {
  const found: string[] = [];
  for (const value of values) {
    // Each password alone too, as it appears inside the derived URLs and JSON.
    const pieces = [value, ...value.split(/[^0-9a-f]+/).filter((p) => p.length >= 16)];
    if (pieces.some((p) => rendered.includes(p))) found.push(value.slice(0, 4));
  }
  return found;
}

let secrets: Secrets;
let config: ComposeConfig;

beforeAll(() => {
  secrets = makeSecrets();
  config = renderJson('prod', secrets.dir);
}, COMPOSE_HOOK_TIMEOUT);

afterAll(() => secrets?.remove());

describe('prod policy (base + prod, every profile)', () => {
  it('has exactly the known services', () => {
    expect(Object.keys(config.services).sort()).toEqual([...SERVICES].sort());
  });

  it('every service follows every hardening rule', () => {
    const all = Object.entries(config.services).flatMap(([name, s]) => violations(name, s));
    expect(all).toEqual([]);
  });

  it('the policy check itself catches a broken service', () => {
    const broken: ComposeService = { ...config.services.api!, user: '0', read_only: false, cap_drop: [] };
    expect(violations('api', broken)).toEqual(
      expect.arrayContaining([
        'api: user 0 is not a numeric non-root uid:gid',
        'api: root filesystem not read-only',
        'api: cap_drop does not include ALL',
      ]),
    );
    // Root only for a listed one-shot without network, and its capability only for it.
    const { network_mode: _, ...networked } = config.services['minio-volume']!;
    expect(violations('minio-volume', networked)).toEqual([
      'minio-volume: runs as root, but not as a one-shot without network',
    ]);
    expect(violations('minio', { ...config.services.minio!, cap_add: ['CHOWN'] })).toEqual([
      'minio: cap_add CHOWN not allowed',
    ]);
  });

  it('only nginx publishes ports, and only 80 and 443', () => {
    const published = Object.entries(config.services).flatMap(([name, s]) =>
      (s.ports ?? []).map((p) => `${name}:${p.published}->${p.target}`),
    );
    expect(published.sort()).toEqual(['nginx:443->8443', 'nginx:80->8080']);
  });

  it('postgres, redis, kafka and minio sit only on the internal backend network', () => {
    for (const name of ['postgres', 'redis', 'kafka', 'minio'])
      expect(Object.keys(config.services[name]!.networks ?? {}), name).toEqual(['backend']);
    expect(config.networks.backend?.internal).toBe(true);
    expect(config.networks.frontend?.internal).toBeFalsy();
    // Nothing that faces the outside reaches the data stores directly.
    expect(Object.keys(config.services.nginx!.networks ?? {})).not.toContain('backend');
    expect(Object.keys(config.services.api!.networks ?? {}).sort()).toEqual([
      'backend',
      'frontend',
      'monitoring',
    ]);
    for (const name of ['prometheus', 'grafana'])
      expect(Object.keys(config.services[name]!.networks ?? {}), name).toEqual(['monitoring']);
  });

  it('networks use the design subnets', () => {
    for (const [net, subnet] of Object.entries(SUBNETS))
      expect(
        config.networks[net]?.ipam?.config?.map((c) => c.subnet),
        net,
      ).toEqual([subnet]);
  });

  it("leaves Redis's container at least twice its maxmemory (AOF rewrite fork, buffers)", () => {
    const conf = readFileSync(join(root, 'docker/redis/redis.conf'), 'utf8');
    const [, mb] = /^maxmemory (\d+)mb$/m.exec(conf) ?? [];
    expect(Number(mb)).toBeGreaterThan(0);
    const limit = bytes(config.services.redis!.deploy?.resources?.limits?.memory);
    expect(limit).toBe(768 * 1024 * 1024);
    expect(limit).toBeGreaterThanOrEqual(2 * Number(mb) * 1024 * 1024);
    // Its comment names the limit as prod sets it (it said 512 MB against prod's 768m).
    expect(conf).toContain(`(REDIS_MEMORY, ${limit / 1024 / 1024}m by default)`);
  });

  it('stateful services keep their data in named volumes', () => {
    for (const [name, [volume, target]] of Object.entries(STATEFUL)) {
      const mount = config.services[name]!.volumes?.find((v) => v.target === target);
      expect(mount, name).toMatchObject({ type: 'volume', source: volume });
      expect(Object.keys(config.volumes ?? {}), name).toContain(volume);
    }
    const binds = Object.entries(config.services).flatMap(([name, s]) =>
      (s.volumes ?? [])
        .filter((v) => v.type === 'bind' && /\/data(\/|$)/.test(v.source ?? ''))
        .map(() => name),
    );
    expect(binds).toEqual([]);
  });

  // `up --wait` exits 1 when a one-shot container exits and nothing waits for its completion.
  it('every one-shot job is waited for by a service that needs it', () => {
    for (const job of ONE_SHOT) {
      const waiters = Object.entries(config.services)
        .filter(([, s]) => s.depends_on?.[job]?.condition === 'service_completed_successfully')
        .map(([name]) => name);
      expect(waiters, job).not.toEqual([]);
    }
  });

  it('the API and migrate step wait for what they need', () => {
    // Every one-shot is waited for: `up --wait` fails on one that exits when nothing depends on it.
    expect(config.services.api!.depends_on).toMatchObject({
      migrate: { condition: 'service_completed_successfully' },
      'kafka-init': { condition: 'service_completed_successfully' },
      postgres: { condition: 'service_healthy' },
    });
    expect(config.services.nginx!.depends_on).toMatchObject({ api: { condition: 'service_healthy' } });
    expect(config.services['kafka-init']!.depends_on).toMatchObject({
      kafka: { condition: 'service_healthy' },
    });
  });

  it('secrets reach the API and the worker as *_FILE variables of mounted secret files', () => {
    for (const service of [config.services.api!, config.services.worker!]) {
      expect(service.environment).toMatchObject({
        DATABASE_URL_FILE: '/run/secrets/database_url',
        JWT_SECRET_FILE: '/run/secrets/jwt_secret',
        REDIS_URL_FILE: '/run/secrets/redis_url',
        S3_SECRET_ACCESS_KEY_FILE: '/run/secrets/s3_secret_access_key',
      });
      expect(service.secrets?.map((s) => s.source).sort()).toEqual([
        'database_url',
        'jwt_secret',
        'redis_url',
        's3_secret_access_key',
      ]);
    }
    expect(config.services.postgres!.environment).toMatchObject({
      POSTGRES_PASSWORD_FILE: '/run/secrets/postgres_password',
    });
    expect(config.services.minio!.environment).toMatchObject({
      MINIO_ROOT_PASSWORD_FILE: 'minio_root_password',
    });
    expect(secrets.values.get('s3_secret_access_key')).toBe(secrets.values.get('minio_root_password'));
  });

  it('no secret value written by scripts/setup appears in the rendered config', () => {
    expect(secrets.values.size).toBeGreaterThan(5);
    const json = JSON.stringify(config);
    const yaml = compose('prod', ['config'], { secretsDir: secrets.dir }).stdout;
    expect(yaml.length).toBeGreaterThan(1000);
    expect(leaks(json, secrets.values.values())).toEqual([]);
    expect(leaks(yaml, secrets.values.values())).toEqual([]);
    // The check finds a value that does leak.
    const one = secrets.values.get('redis_password')!;
    // + the exporter's JSON and the API's Redis URL, which hold it too.
    expect(leaks(`${json}{"REDIS":"${one}"}`, secrets.values.values())).toHaveLength(3);
  });
});
