// Docker Compose v2, for the tests that render the Compose files (`docker-compose config` needs no engine).
// Debian bookworm packages only the end-of-life v1, so v2 is built once from the Go module proxy with
// `go install` into a cache outside the work tree. Its go.mod must have no exclude/replace directive for
// `go install pkg@version` to accept it: v2.28.1 is the newest such release on the proxy.
// It needs Go >= 1.21 (bookworm's golang is 1.19). Without one on PATH, a Go toolchain is fetched from the
// Go module proxy, which serves every Go release as the module golang.org/toolchain, checked against the
// hash the Go checksum database gives for it, and kept in the cache.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { cacheDir, moveIntoPlace } from './cache.mjs';

export const COMPOSE_VERSION = '2.28.1';
const MIN_GO = [1, 21];
// The Go release Compose v2.28.1 was built with upstream (1.22), and the h1 hash of its module zip, as in
// https://proxy.golang.org/sumdb/sum.golang.org/lookup/golang.org/toolchain@v0.0.1-go1.22.12.linux-amd64
export const GO_TOOLCHAIN_VERSION = '1.22.12';
const GO_TOOLCHAIN_H1 = 'h1:Hdh4VJAlDWzMnhKpqDwqJJr+sE7NgsJ86dyR4wrv2oY=';

/** [major, minor] of `go` (a command or a path), or undefined when it does not run. */
function goVersion(go) {
  const r = spawnSync(go, ['env', 'GOVERSION'], {
    encoding: 'utf8',
    env: { ...process.env, GOTOOLCHAIN: 'local' },
  });
  const m = r.status === 0 ? /^go(\d+)\.(\d+)/.exec(r.stdout.trim()) : null;
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** The first proxy of GOPROXY (a list separated by , or |), as Go reads it; proxy.golang.org by default. */
function goProxy() {
  const proxies = (process.env.GOPROXY || 'https://proxy.golang.org').split(/[,|]/);
  const proxy = proxies.find((p) => /^https?:\/\//.test(p));
  if (!proxy) throw new Error(`GOPROXY=${process.env.GOPROXY} names no proxy to fetch a Go toolchain from`);
  return proxy.replace(/\/+$/, '');
}

/**
 * The h1 hash of a module zip's files (Go's dirhash.Hash1): sha256 over "<sha256 hex>  <name>\n" lines,
 * one per file, sorted by name, where names are as in the zip (`<module>@<version>/<path>`).
 */
function moduleHash(dir, prefix) {
  const files = readdirSync(join(dir, prefix), { recursive: true })
    .map((f) => `${prefix}/${f}`)
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
  const summary = createHash('sha256');
  for (const f of files)
    summary.update(
      `${createHash('sha256')
        .update(readFileSync(join(dir, f)))
        .digest('hex')}  ${f}\n`,
    );
  return `h1:${summary.digest('base64')}`;
}

function runOrThrow(what, cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`${what}: ${r.error?.message ?? r.stderr}`);
}

/** bin/go of the pinned Go toolchain in the cache, fetched from the Go module proxy first when missing. */
export function goToolchain(version = GO_TOOLCHAIN_VERSION, h1 = GO_TOOLCHAIN_H1) {
  const root = join(cacheDir(), `go-${version}`);
  const go = join(root, 'bin', 'go');
  if (existsSync(go)) return go;
  if (process.platform !== 'linux' || process.arch !== 'x64')
    throw new Error(
      `no Go toolchain is pinned for ${process.platform}-${process.arch}: put Go >= 1.21 on PATH`,
    );
  const module = `golang.org/toolchain@v0.0.1-go${version}.linux-amd64`;
  const url = `${goProxy()}/golang.org/toolchain/@v/v0.0.1-go${version}.linux-amd64.zip`;
  console.log(`› fetching Go toolchain ${version} (${url}) into ${root}`);
  mkdirSync(cacheDir(), { recursive: true });
  // Unpacked and checked beside the final folder and renamed into place, so a partial one is never used.
  const partial = `${root}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial);
  try {
    const zip = join(partial, 'toolchain.zip');
    runOrThrow(`downloading ${url} (needs curl)`, 'curl', ['-fsSL', '-o', zip, url]);
    runOrThrow(`unpacking ${zip} (needs unzip)`, 'unzip', ['-q', zip, '-d', join(partial, 'files')]);
    const got = moduleHash(join(partial, 'files'), module);
    if (got !== h1) throw new Error(`${url}: its files hash to ${got}, the Go checksum database says ${h1}`);
    moveIntoPlace(join(partial, 'files', module), root, go);
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
  return go;
}

/** A Go >= 1.21: `go` when PATH has one, otherwise the pinned toolchain (fetched once). */
export function goBin() {
  const onPath = goVersion('go');
  if (onPath && (onPath[0] > MIN_GO[0] || (onPath[0] === MIN_GO[0] && onPath[1] >= MIN_GO[1]))) return 'go';
  console.log(
    `› no Go >= ${MIN_GO.join('.')} on PATH (${onPath ? `go ${onPath.join('.')}` : 'none'}): using Go ${GO_TOOLCHAIN_VERSION} from the Go module proxy`,
  );
  return goToolchain();
}

/** The path of the pinned docker-compose v2 binary, built first when missing (minutes). Throws when it cannot be. */
export function composeBin(version = COMPOSE_VERSION) {
  const dir = join(cacheDir(), 'bin');
  const bin = join(dir, `docker-compose-${version}`);
  if (existsSync(bin)) return bin;

  const go = goBin();
  console.log(`› building docker-compose v${version} with ${go} install (first time only) into ${dir}`);
  mkdirSync(dir, { recursive: true });
  // Built into a private folder and moved into place, so an interrupted build is never reused.
  const gobin = join(dir, `.build-${process.pid}`);
  rmSync(gobin, { recursive: true, force: true });
  // GOTOOLCHAIN=local: build with this Go, never with another one go.mod might ask it to fetch.
  const env = { ...process.env, GOBIN: gobin, CGO_ENABLED: '0', GOTOOLCHAIN: 'local' };
  if (go !== 'go') env.GOROOT = join(go, '..', '..');
  const result = spawnSync(go, ['install', `github.com/docker/compose/v2/cmd@v${version}`], {
    encoding: 'utf8',
    env,
  });
  if (result.error || result.status !== 0) {
    rmSync(gobin, { recursive: true, force: true });
    throw new Error(
      `go install github.com/docker/compose/v2/cmd@v${version} failed (needs the Go module proxy): ` +
        `${result.error?.message ?? result.stderr}`,
    );
  }
  // The package is named `cmd`: the binary gets a real name here.
  copyFileSync(join(gobin, 'cmd'), `${bin}.partial-${process.pid}`);
  renameSync(`${bin}.partial-${process.pid}`, bin);
  rmSync(gobin, { recursive: true, force: true });
  return bin;
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
