// Docker Compose v2, for the tests that render the Compose files (`docker-compose config` needs no engine)
// and the stack tier. Debian bookworm packages only the end-of-life v1, so v2 is built once with `go install`
// (go.mjs). Its go.mod must have no exclude/replace directive for `go install pkg@version` to accept it:
// v2.28.1 is the newest such release on the proxy.
import { existsSync, mkdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { cacheDir } from './cache.mjs';
import { goInstalled } from './go.mjs';

export const COMPOSE_VERSION = '2.28.1';

/** The path of the pinned docker-compose v2 binary, built first when missing (minutes). Throws when it cannot be. */
export function composeBin(version = COMPOSE_VERSION) {
  return goInstalled({
    pkg: 'github.com/docker/compose/v2/cmd',
    version: `v${version}`,
    name: `docker-compose-${version}`,
    minGo: [1, 21],
  });
}

/**
 * Makes `docker compose` run the pinned binary, for any docker client: a link in ~/.docker/cli-plugins (where
 * the clients look for CLI plugins). A plugin of another origin already there is left as it is.
 */
export function linkComposePlugin(version = COMPOSE_VERSION) {
  const bin = composeBin(version);
  const plugins = join(homedir(), '.docker', 'cli-plugins');
  const link = join(plugins, 'docker-compose');
  mkdirSync(plugins, { recursive: true });
  let current;
  try {
    current = readlinkSync(link);
  } catch {
    current = existsSync(link) ? 'not a link' : undefined;
  }
  if (current === bin) return link;
  if (current !== undefined && !current.startsWith(join(cacheDir(), 'bin'))) {
    console.log(`› ${link} exists (${current}): kept, docker compose may not be v${version}`);
    return link;
  }
  rmSync(link, { force: true });
  symlinkSync(bin, link);
  return link;
}
