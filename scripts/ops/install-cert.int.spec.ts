// scripts/install-cert run for real: a certbot-like folder (live/<name> symlinks into archive/, keys readable by
// root only) made with scripts/dev-cert, installed where the prod nginx (uid 101) reads it.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from './ops-harness.js';

const NGINX_UID = 101;

function run(cmd: string, args: string[], env: Record<string, string> = {}) {
  return spawnSync(cmd, args, {
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', ...env },
  });
}
const installCert = (args: string[], env: Record<string, string> = {}) =>
  run(join(root, 'scripts/install-cert'), args, { ZAKPOS_TARGET: 'host', ...env });

/** What uid 101 gets when it opens the key, as nginx does when it loads its config. */
const readKeyAsNginx = (path: string) =>
  run('setpriv', [
    `--reuid=${NGINX_UID}`,
    `--regid=${NGINX_UID}`,
    '--clear-groups',
    'openssl',
    'pkey',
    '-in',
    path,
    '-noout',
  ]);

let base: string;
/** A certbot-style lineage: live/<name>/*.pem -> ../../archive/<name>/*1.pem, the key mode 600 for root. */
function lineage(name: string, host: string) {
  const archive = join(base, 'archive', name);
  const live = join(base, 'live', name);
  mkdirSync(live, { recursive: true });
  const made = run(join(root, 'scripts/dev-cert'), [archive, host]);
  expect(made.status, made.stderr).toBe(0);
  chmodSync(join(base, 'archive'), 0o755);
  chmodSync(archive, 0o755);
  for (const f of ['fullchain', 'privkey']) {
    renameSync(join(archive, `${f}.pem`), join(archive, `${f}1.pem`));
    symlinkSync(`../../archive/${name}/${f}1.pem`, join(live, `${f}.pem`));
  }
  return { live, archive };
}

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'zakpos-cert-'));
  // Every folder on the way is open to uid 101, so only a file's own owner and mode decide what it can read.
  chmodSync(base, 0o755);
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('scripts/install-cert', () => {
  it('installs a certbot lineage as plain files nginx (uid 101) can read, the key for it alone', () => {
    const { live, archive } = lineage('pos.example.com', 'pos.example.com');
    // The finding: nginx as uid 101 could not read a key written for root.
    expect(statSync(join(archive, 'privkey1.pem')).mode & 0o777).toBe(0o600);
    expect(readKeyAsNginx(join(live, 'privkey.pem')).status).not.toBe(0);

    const dest = join(base, 'certs');
    const res = installCert([live, dest]);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/subject=CN ?= ?pos\.example\.com/);
    expect(statSync(dest).mode & 0o777).toBe(0o755);
    const key = lstatSync(join(dest, 'privkey.pem'));
    const chain = lstatSync(join(dest, 'fullchain.pem'));
    expect([key.isFile(), key.uid, key.gid, key.mode & 0o777]).toEqual([true, NGINX_UID, NGINX_UID, 0o600]);
    expect([chain.isFile(), chain.uid, chain.mode & 0o777]).toEqual([true, 0, 0o644]);
    expect(readFileSync(join(dest, 'privkey.pem'))).toEqual(readFileSync(join(archive, 'privkey1.pem')));
    expect(readFileSync(join(dest, 'fullchain.pem'))).toEqual(readFileSync(join(archive, 'fullchain1.pem')));
    const asNginx = readKeyAsNginx(join(dest, 'privkey.pem'));
    expect(asNginx.status, asNginx.stderr).toBe(0);
  });

  it("works as certbot's deploy hook: the lineage from RENEWED_LINEAGE, the folder from TLS_CERTS_DIR", () => {
    const { live, archive } = lineage('renewed', 'renewed.example.com');
    const dest = join(base, 'hook-certs');
    const res = installCert([], { RENEWED_LINEAGE: live, TLS_CERTS_DIR: dest });
    expect(res.status, res.stderr).toBe(0);
    expect(readFileSync(join(dest, 'fullchain.pem'))).toEqual(readFileSync(join(archive, 'fullchain1.pem')));
  });

  it('refuses a key that is not the certificate’s, naming it, and changes nothing', () => {
    const good = lineage('good', 'good.example.com');
    const other = lineage('other', 'other.example.com');
    const dest = join(base, 'kept');
    expect(installCert([good.live, dest]).status).toBe(0);
    const before = readFileSync(join(dest, 'privkey.pem'));
    rmSync(join(good.live, 'privkey.pem'));
    symlinkSync(join(other.archive, 'privkey1.pem'), join(good.live, 'privkey.pem'));
    const res = installCert([good.live, dest]);
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain(
      `install-cert: FAILED: ${good.live}/privkey.pem is not the key of ${good.live}/fullchain.pem`,
    );
    expect(readFileSync(join(dest, 'privkey.pem'))).toEqual(before);
  });

  it('names what is missing: the source, a file of it, the destination, root', () => {
    expect(installCert([]).stderr).toContain('no SOURCE_DIR given and RENEWED_LINEAGE is not set');
    const empty = join(base, 'empty');
    mkdirSync(empty);
    expect(installCert([empty, join(base, 'x')]).stderr).toContain(
      `${empty}/fullchain.pem is missing or empty`,
    );
    const noDest = installCert([empty], { COMPOSE_ENV_FILE: join(base, 'none.env') });
    expect(noDest.stderr).toContain('no DEST_DIR given and TLS_CERTS_DIR is set neither');
    const { live } = lineage('unprivileged', 'u.example.com');
    const asNobody = run(
      'setpriv',
      [
        '--reuid=65534',
        '--regid=65534',
        '--clear-groups',
        join(root, 'scripts/install-cert'),
        live,
        join(base, 'y'),
      ],
      { ZAKPOS_TARGET: 'host' },
    );
    expect(asNobody.status).not.toBe(0);
    expect(asNobody.stderr).toContain('run as root');
  });
});
