// The cache outside the work tree where the tests' tools are kept (~/.cache/zakpos): fetched once per
// machine, shared by every checkout and by CI runs on the same machine.
import { existsSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const cacheDir = () => join(homedir(), '.cache', 'zakpos');

/**
 * Renames the finished folder `from` to `to`. When another process (a parallel test file) got there first,
 * its copy (`marker` exists) is kept, as it may be in use, and `from` is removed.
 */
export function moveIntoPlace(from, to, marker) {
  try {
    renameSync(from, to);
  } catch (err) {
    if (!existsSync(marker)) throw err;
    rmSync(from, { recursive: true, force: true });
  }
}
