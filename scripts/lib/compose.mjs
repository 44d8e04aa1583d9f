// Docker Compose v2, for the tests that render the Compose files (`docker-compose config` needs no engine).
// Debian bookworm packages only the end-of-life v1, so v2 is built once from the Go module proxy with
// `go install` into a cache outside the work tree. Its go.mod must have no exclude/replace directive for
// `go install pkg@version` to accept it: v2.28.1 is the newest such release on the proxy.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const COMPOSE_VERSION = '2.28.1';

/** The path of the pinned docker-compose v2 binary, built first when missing (minutes). Throws when it cannot be. */
export function composeBin(version = COMPOSE_VERSION) {
  const dir = join(homedir(), '.cache', 'zakpos', 'bin');
  const bin = join(dir, `docker-compose-${version}`);
  if (existsSync(bin)) return bin;

  console.log(`› building docker-compose v${version} with go install (first time only) into ${dir}`);
  mkdirSync(dir, { recursive: true });
  // Built into a private folder and moved into place, so an interrupted build is never reused.
  const gobin = join(dir, `.build-${process.pid}`);
  rmSync(gobin, { recursive: true, force: true });
  const go = spawnSync('go', ['install', `github.com/docker/compose/v2/cmd@v${version}`], {
    encoding: 'utf8',
    env: { ...process.env, GOBIN: gobin, CGO_ENABLED: '0' },
  });
  if (go.error || go.status !== 0) {
    rmSync(gobin, { recursive: true, force: true });
    throw new Error(
      `go install github.com/docker/compose/v2/cmd@v${version} failed (needs Go and the Go module proxy): ` +
        `${go.error?.message ?? go.stderr}`,
    );
  }
  // The package is named `cmd`: the binary gets a real name here.
  copyFileSync(join(gobin, 'cmd'), `${bin}.partial`);
  renameSync(`${bin}.partial`, bin);
  rmSync(gobin, { recursive: true, force: true });
  return bin;
}
