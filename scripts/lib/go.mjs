// Go programs the tests run (Compose v2, MinIO, Mailpit), built once with `go install` from the Go module
// proxy into a cache outside the work tree. Without a recent enough Go on PATH (bookworm's golang is 1.19),
// a Go toolchain is fetched from the proxy, which serves every Go release as the module golang.org/toolchain,
// checked against the hash the Go checksum database gives for it, and kept in the cache.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import { cacheDir, moveIntoPlace } from './cache.mjs';

// The pinned Go release, and the h1 hash of its module zip, as in
// https://proxy.golang.org/sumdb/sum.golang.org/lookup/golang.org/toolchain@v0.0.1-go1.26.8.linux-amd64
// The newest Mailpit asks for Go 1.26, MinIO for 1.24, Compose v2.28.1 for 1.21.
export const GO_TOOLCHAIN_VERSION = '1.26.8';
const GO_TOOLCHAIN_H1 = 'h1:ZOmGe1OnfREDMIdb1Qi4G9JSuDPBLGExZMQ4nis1RXM=';
const PINNED = GO_TOOLCHAIN_VERSION.split('.').slice(0, 2).map(Number);

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
      `no Go toolchain is pinned for ${process.platform}-${process.arch}: put a Go >= ${GO_TOOLCHAIN_VERSION} on PATH`,
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

/** A Go >= `min` ([major, minor]): `go` when PATH has one, otherwise the pinned toolchain (fetched once). */
export function goBin(min) {
  const atLeast = (v, m) => v[0] > m[0] || (v[0] === m[0] && v[1] >= m[1]);
  if (!atLeast(PINNED, min))
    throw new Error(`Go ${min.join('.')} is newer than the pinned ${GO_TOOLCHAIN_VERSION}`);
  const onPath = goVersion('go');
  if (onPath && atLeast(onPath, min)) return 'go';
  console.log(
    `› no Go >= ${min.join('.')} on PATH (${onPath ? `go ${onPath.join('.')}` : 'none'}): using Go ${GO_TOOLCHAIN_VERSION} from the Go module proxy`,
  );
  return goToolchain();
}

/**
 * The binary `name` built by `go install <pkg>@<version>` into the cache's bin/ (first time only, minutes);
 * the module's go.mod must have no exclude/replace directive. Built into a private folder and moved into
 * place, so an interrupted build is never reused. Throws when it cannot be built.
 */
export function goInstalled({ pkg, version, name, minGo }) {
  const dir = join(cacheDir(), 'bin');
  const bin = join(dir, name);
  if (existsSync(bin)) return bin;
  const go = goBin(minGo);
  console.log(`› building ${pkg}@${version} with ${go} install (first time only) into ${bin}`);
  mkdirSync(dir, { recursive: true });
  const gobin = join(dir, `.build-${name}-${process.pid}`);
  rmSync(gobin, { recursive: true, force: true });
  // GOTOOLCHAIN=local: build with this Go, never with another one go.mod might ask it to fetch.
  const env = { ...process.env, GOBIN: gobin, CGO_ENABLED: '0', GOTOOLCHAIN: 'local' };
  if (go !== 'go') env.GOROOT = join(go, '..', '..');
  const result = spawnSync(go, ['install', `${pkg}@${version}`], { encoding: 'utf8', env });
  if (result.error || result.status !== 0) {
    rmSync(gobin, { recursive: true, force: true });
    throw new Error(
      `go install ${pkg}@${version} failed (needs the Go module proxy): ${result.error?.message ?? result.stderr}`,
    );
  }
  const built = readdirSync(gobin);
  if (built.length !== 1)
    throw new Error(`go install ${pkg}@${version} built ${built.join(', ') || 'nothing'}`);
  copyFileSync(join(gobin, built[0]), `${bin}.partial-${process.pid}`);
  renameSync(`${bin}.partial-${process.pid}`, bin);
  rmSync(gobin, { recursive: true, force: true });
  return bin;
}
