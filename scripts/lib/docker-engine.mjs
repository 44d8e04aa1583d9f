// A real Docker engine for the stack tier. Debian's client (/usr/bin/docker, 20.10, package docker.io) is used:
// it builds with BuildKit (DOCKER_BUILDKIT=1) by itself, where a newer client found first in PATH may want a
// buildx plugin. When no engine answers, Debian's dockerd is started in the background (as root, as CI runs);
// inside a container handed the host's socket (fresh-machine --docker) the host's engine answers already.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from './cache.mjs';

export const DOCKER = '/usr/bin/docker';
const DOCKERD = '/usr/sbin/dockerd';

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Runs the Docker client; returns stdout, throws with its output when it fails or outlasts timeoutMs. */
export function docker(args, { timeoutMs = 60_000, input, env, cwd } = {}) {
  const result = spawnSync(DOCKER, args, {
    cwd,
    encoding: 'utf8',
    input,
    timeout: timeoutMs,
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, DOCKER_BUILDKIT: '1', ...env },
  });
  if (result.error || result.status !== 0) {
    throw new Error(
      `docker ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}):\n` +
        `${result.stdout}\n${result.stderr}`.slice(-20_000),
    );
  }
  return result.stdout;
}

function engineAnswers() {
  if (!existsSync(DOCKER)) return false;
  return spawnSync(DOCKER, ['info', '--format', '{{.ServerVersion}}'], { timeout: 15_000 }).status === 0;
}

/** Makes sure a Docker engine answers, starting dockerd in the background when none does. */
export function ensureDockerEngine({ timeoutMs = 90_000 } = {}) {
  if (engineAnswers()) return;
  if (!existsSync(DOCKER) || !existsSync(DOCKERD)) {
    throw new Error(`${DOCKER} or ${DOCKERD} is missing: install the Debian package docker.io`);
  }
  mkdirSync(cacheDir(), { recursive: true });
  const log = join(cacheDir(), 'dockerd.log');
  console.log(`› starting dockerd in the background (log: ${log})`);
  const out = openSync(log, 'a');
  spawn(DOCKERD, [], { detached: true, stdio: ['ignore', out, out] }).unref();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    sleep(1000);
    if (engineAnswers()) return;
  }
  const tail = readFileSync(log, 'utf8').split('\n').slice(-20).join('\n');
  throw new Error(`dockerd did not answer within ${timeoutMs / 1000} s; end of ${log}:\n${tail}`);
}

/** The labels of a local image, or undefined when there is none of that name. */
export function imageLabels(name) {
  const result = spawnSync(DOCKER, ['image', 'inspect', '--format', '{{json .Config.Labels}}', name], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (result.status !== 0) return undefined;
  return JSON.parse(result.stdout) ?? {};
}
