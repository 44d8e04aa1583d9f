// The real Compose stack on a real Docker engine, for the stack tier: one project per stack (its own networks,
// volumes and containers), brought up with the README's commands from a folder of its own: an env file made
// from the repository's template, the secrets of scripts/setup, a certificate of scripts/dev-cert (installed
// with scripts/install-cert for prod). Requests reach nginx over HTTPS on the port Docker published.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { homedir, hostname } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type Fetch, type FetchResponse } from '@zakpos/contracts';
import { io, type Socket } from 'socket.io-client';
import { docker } from '../../scripts/lib/docker-engine.mjs';

export const root = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
export type Variant = 'test' | 'prod' | 'dev';
/** The env file each variant's README command names (the test one documents every variable). */
const TEMPLATES: Record<Variant, string> = { test: '.env.example', prod: '.env.prod', dev: '.env.dev' };

const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * Where this process reaches a port the engine publishes: loopback when the engine runs in this network namespace
 * (same host name), else the address of the host on the bridge this container sits behind (a run inside a
 * container handed the host's Docker socket, as `fresh-machine --docker` does).
 */
export function publishAddress(): string {
  if (docker(['info', '--format', '{{.Name}}']).trim() === hostname()) return '127.0.0.1';
  const gateway = readFileSync('/proc/net/route', 'utf8')
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .find((f) => f[1] === '00000000' && f[2] !== '00000000')?.[2];
  if (!gateway) throw new Error('no default route: cannot tell where the engine publishes ports');
  return [6, 4, 2, 0].map((i) => parseInt(gateway.slice(i, i + 2), 16)).join('.');
}

/** Three free /24s in 10.231.0.0/16 for a stack's networks (Docker refuses overlapping ones). */
function freeSubnets(): [string, string, string] {
  const taken = new Set(
    docker(['network', 'ls', '-q'])
      .split('\n')
      .filter(Boolean)
      .flatMap((id) =>
        docker(['network', 'inspect', '--format', '{{range .IPAM.Config}}{{.Subnet}} {{end}}', id]).split(
          ' ',
        ),
      ),
  );
  for (let attempt = 0; attempt < 100; attempt++) {
    const n = 3 * Math.floor(Math.random() * 80);
    const nets = [0, 1, 2].map((i) => `10.231.${n + i}.0/24`) as [string, string, string];
    if (nets.every((s) => !taken.has(s))) return nets;
  }
  throw new Error('no three free /24 subnets in 10.231.0.0/16');
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

export class Stack {
  readonly project = `zakpos-st-${randomBytes(4).toString('hex')}`;
  // In the work tree (.tmp is git-ignored), not under /tmp: the engine bind-mounts the secrets and certificates
  // from its own file system, which shares the work tree's path but not this process's /tmp when the tests run
  // in a container handed the host's socket.
  readonly dir = join(root, '.tmp', 'stacks', this.project);
  readonly envFile = join(this.dir, 'stack.env');
  readonly secretsDir = join(this.dir, 'secrets');
  readonly certsDir = join(this.dir, 'certs');
  readonly address = publishAddress();
  private ca = '';

  constructor(
    readonly variant: Variant,
    private readonly settings: Record<string, string> = {},
  ) {
    mkdirSync(this.dir, { recursive: true, mode: 0o755 });
    chmodSync(this.dir, 0o755);
  }

  /** The env file (the variant's template with its blanks filled), secrets, certificate. */
  prepare(): this {
    const template = readFileSync(join(root, TEMPLATES[this.variant]), 'utf8');
    const [frontend, backend, monitoring] = freeSubnets();
    const values: Record<string, string> = {
      SECRETS_DIR: this.secretsDir,
      TLS_CERTS_DIR: this.certsDir,
      FRONTEND_SUBNET: frontend,
      BACKEND_SUBNET: backend,
      MONITORING_SUBNET: monitoring,
      PUBLISH_ADDRESS: this.address,
      HEALTHCHECK_INTERVAL: '3s',
      // Empty ports: free ones chosen by Docker.
      HTTP_PORT: '',
      HTTPS_PORT: '',
      NGINX_HTTP_PORT: '',
      NGINX_HTTPS_PORT: '',
      ...(this.variant === 'prod'
        ? { KAFKA_CLUSTER_ID: 'ZakPOSstackTestCluster', CORS_ORIGINS: 'https://pos.example.test' }
        : {}),
      ...(this.variant === 'dev'
        ? {
            // The README has the developer set their own ids; the data beside this stack's other files.
            DEV_UID: String(process.getuid!()),
            DEV_GID: String(process.getgid!()),
            DEV_DATA_DIR: join(this.dir, 'data'),
            DEV_UPLOADS_DIR: `/app/${relative(root, this.dir)}/uploads`,
            API_HOST_PORT: '',
            MINIO_API_HOST_PORT: '',
            MINIO_CONSOLE_HOST_PORT: '',
            POSTGRES_HOST_PORT: '',
            REDIS_HOST_PORT: '',
            PROMETHEUS_HOST_PORT: '',
            GRAFANA_HOST_PORT: '',
          }
        : {}),
      ...this.settings,
    };
    let env = template;
    for (const [key, value] of Object.entries(values)) {
      const line = new RegExp(`^${key}=.*$`, 'm');
      env = line.test(env) ? env.replace(line, `${key}=${value}`) : `${env}\n${key}=${value}\n`;
    }
    writeFileSync(this.envFile, env);
    this.script('setup', [], { SECRETS_DIR: this.secretsDir });
    const cert = join(this.dir, 'dev-cert');
    this.script('dev-cert', [cert, 'localhost']);
    this.script('install-cert', [cert, this.certsDir], { ZAKPOS_TARGET: 'host' });
    this.ca = readFileSync(join(this.certsDir, 'fullchain.pem'), 'utf8');
    return this;
  }

  /** Runs one of scripts/ with a clean environment; throws with its output on failure. */
  script(name: string, args: string[], env: Record<string, string> = {}): string {
    const run = spawnSync(join(root, 'scripts', name), args, {
      cwd: root,
      encoding: 'utf8',
      timeout: 600_000,
      env: { PATH, HOME: homedir(), ...env },
    });
    if (run.status !== 0)
      throw new Error(`scripts/${name} failed (${run.status}):\n${run.stdout}${run.stderr}`);
    return run.stdout;
  }

  /** The ops scripts in compose mode against this stack. */
  opsScript(name: string, args: string[], env: Record<string, string> = {}): Run {
    const run = spawnSync(join(root, 'scripts', name), args, {
      cwd: root,
      encoding: 'utf8',
      timeout: 600_000,
      env: {
        PATH,
        HOME: homedir(),
        ZAKPOS_TARGET: 'compose',
        COMPOSE_PROJECT_NAME: this.project,
        COMPOSE_FILES: `docker-compose.yml docker-compose.${this.variant}.yml`,
        COMPOSE_ENV_FILE: this.envFile,
        ...env,
      },
    });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  }

  /** The global flags of every compose command of this stack. */
  private composeArgs(profiles: string[]): string[] {
    return [
      '-p',
      this.project,
      '-f',
      'docker-compose.yml',
      '-f',
      `docker-compose.${this.variant}.yml`,
      '--env-file',
      this.envFile,
      ...profiles.flatMap((p) => ['--profile', p]),
    ];
  }

  /** `docker compose -p <project> -f docker-compose.yml -f docker-compose.<variant>.yml --env-file <env> ...`. */
  compose(args: string[], { timeoutMs = 600_000, profiles = [] as string[] } = {}): Run {
    const run = spawnSync('docker', ['compose', ...this.composeArgs(profiles), ...args], {
      cwd: root,
      encoding: 'utf8',
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
      env: { PATH, HOME: homedir(), DOCKER_BUILDKIT: '1' },
    });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  }

  /** compose() without blocking the event loop, for what runs beside requests in flight. */
  composeAsync(args: string[]): Promise<Run> {
    const child = spawn('docker', ['compose', ...this.composeArgs([]), ...args], {
      cwd: root,
      env: { PATH, HOME: homedir(), DOCKER_BUILDKIT: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    return new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
  }

  /** compose(), throwing with its output (and the stack's recent logs) unless it succeeds. */
  composeOk(args: string[], options?: { timeoutMs?: number; profiles?: string[] }): string {
    const run = this.compose(args, options);
    if (run.status !== 0) {
      const logs = this.compose(['logs', '--no-color', '--tail', '30']).stdout;
      throw new Error(
        `docker compose ${args.join(' ')} exited ${run.status}:\n${run.stderr}\n--- logs ---\n${logs}`,
      );
    }
    return run.stdout;
  }

  /** The ids of a service's containers (running or not). */
  containers(service: string): string[] {
    return this.composeOk(['ps', '-a', '-q', service]).split('\n').filter(Boolean);
  }

  /** A query in the application database as the postgres superuser over the container's socket (RLS bypassed). */
  sql(query: string): string {
    return this.composeOk([
      'exec',
      '-T',
      '-u',
      'postgres',
      'postgres',
      'psql',
      '-d',
      'zakpos',
      '-XtAc',
      query,
    ]).trim();
  }

  /** nginx's JSON access log lines. */
  accessLog(): AccessLogLine[] {
    return this.composeOk(['logs', '--no-color', '--no-log-prefix', 'nginx'])
      .split('\n')
      .filter((line) => line.startsWith('{"time"'))
      .map((line) => JSON.parse(line) as AccessLogLine);
  }

  /** `docker inspect` of one container. */
  inspect(id: string): ContainerInspect {
    return (JSON.parse(docker(['inspect', id])) as ContainerInspect[])[0]!;
  }

  /** The host port Docker published for a service's container port. */
  port(service: string, containerPort: number): number {
    const out = this.composeOk(['port', service, String(containerPort)]).trim();
    const port = Number(out.slice(out.lastIndexOf(':') + 1));
    if (!Number.isInteger(port) || port <= 0)
      throw new Error(`no published port for ${service}:${containerPort}: ${out}`);
    return port;
  }

  /** One HTTPS request to nginx, trusting the stack's certificate (issued for localhost). */
  request(
    path: string,
    init: {
      method?: string;
      headers?: Record<string, string>;
      body?: string;
      /** nginx's published HTTPS port, when the caller knows it (else asked of Compose). */
      port?: number;
      /** A kept-alive agent, as a till holds its connection (default: a new connection per request). */
      agent?: https.Agent;
    } = {},
  ) {
    const port = init.port ?? this.port('nginx', 8443);
    return new Promise<{
      status: number;
      headers: Record<string, string | string[] | undefined>;
      body: Buffer;
    }>((resolve, reject) => {
      const req = https.request(
        {
          host: this.address,
          port,
          path,
          method: init.method ?? 'GET',
          headers: init.headers,
          ca: this.ca,
          servername: 'localhost',
          agent: init.agent ?? false,
          timeout: 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
          );
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${path}: no answer within 30 s`)));
      req.on('error', reject);
      req.end(init.body);
    });
  }

  /** The typed API client, through nginx. */
  client(token?: () => string | undefined, connection: { port?: number; agent?: https.Agent } = {}) {
    const fetch: Fetch = async (url, init) => {
      const u = new URL(url);
      const res = await this.request(`${u.pathname}${u.search}`, { ...init, ...connection });
      const response: FetchResponse = {
        status: res.status,
        headers: { get: (name) => [res.headers[name.toLowerCase()]].flat()[0] ?? null },
        text: async () => res.body.toString('utf8'),
        arrayBuffer: async () => new Uint8Array(res.body).buffer,
      };
      return response;
    };
    return createClient({ baseUrl: 'https://localhost', fetch, token });
  }

  /**
   * A Socket.IO client through nginx (WebSocket only: replicas hold no shared polling session), trusting the
   * stack's certificate as `request` does; `requestId` names its upgrade request in nginx's access log.
   */
  socket(token: string, requestId: string): Socket {
    return io(`https://${this.address}:${this.port('nginx', 8443)}`, {
      path: '/socket.io',
      transports: ['websocket'],
      auth: { token },
      reconnection: false,
      extraHeaders: { 'x-request-id': requestId },
      agent: new https.Agent({ ca: this.ca, servername: 'localhost' }) as unknown as string,
    });
  }

  /** Stops and removes the stack with its volumes, then its folder. */
  remove(): void {
    this.compose(['down', '-v', '--remove-orphans', '--timeout', '5'], { profiles: ['monitoring'] });
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** One line of nginx's JSON access log (docker/nginx/nginx.conf). */
export interface AccessLogLine {
  time: string;
  request_id: string;
  method: string;
  uri: string;
  status: number;
  request_time: number;
  upstream_addr: string;
  upstream_status: string;
}

/** The parts of `docker inspect <container>` the tests read. */
export interface ContainerInspect {
  Id: string;
  Name: string;
  State: {
    Status: string;
    Running: boolean;
    Health?: { Status: string };
    Pid: number;
    RestartCount?: number;
  };
  RestartCount: number;
  Config: { User: string; Image: string; Labels: Record<string, string> };
  HostConfig: {
    ReadonlyRootfs: boolean;
    CapDrop: string[] | null;
    CapAdd: string[] | null;
    SecurityOpt: string[] | null;
    Privileged: boolean;
    PortBindings: Record<string, { HostIp: string; HostPort: string }[]> | null;
  };
  NetworkSettings: { Networks: Record<string, { IPAddress: string }>; Ports: Record<string, unknown> };
}
