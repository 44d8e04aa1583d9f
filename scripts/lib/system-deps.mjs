// Debian packages the infrastructure tests run for real (servers started from the system binaries with
// the config files the containers mount). Installed with apt when missing; root is assumed, as in CI.
import { spawnSync } from 'node:child_process';
import { run } from './ensure-deps.mjs';

export const aptPackages = [
  'nginx',
  'openssl',
  'prometheus',
  'maven',
  'openjdk-17-jre-headless',
  'postgresql',
  'postgresql-contrib',
  'redis-server',
  'gpg',
];

export function ensureSystemDeps(packages = aptPackages) {
  const missing = packages.filter(
    (p) =>
      spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' }).stdout !==
      'install ok installed',
  );
  if (missing.length === 0) return;
  console.log(`› installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-q'], { env });
  run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], { env });
}
