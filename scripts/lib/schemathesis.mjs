// schemathesis, the OpenAPI fuzzer of the API's fuzz test (apps/api/src/fuzz/), pinned, from PyPI into the cache
// outside the work tree. It runs as `python -m schemathesis.cli` with the install folder on PYTHONPATH.
import { join } from 'node:path';
import { pipTool, venvPython } from './pip-tool.mjs';

export const SCHEMATHESIS_VERSION = '4.32.5';

/** How to run the pinned schemathesis CLI, installed first when missing. Throws when it cannot be. */
export function schemathesisCommand(version = SCHEMATHESIS_VERSION) {
  const prefix = pipTool({
    name: 'schemathesis',
    version,
    requirement: `schemathesis==${version}`,
    marker: join('schemathesis', 'cli', '__main__.py'),
  });
  return {
    command: venvPython(),
    args: ['-m', 'schemathesis.cli'],
    env: { PYTHONPATH: prefix, PYTHONDONTWRITEBYTECODE: '1' },
  };
}
