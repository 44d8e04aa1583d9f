import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Secrets of the embedded default, generated on first start into `<data>/secrets` (mode 600) and
 * reused afterwards. Nothing secret is ever committed.
 */
export function readOrCreateSecret(
  dir: string,
  name: string,
  make = () => randomBytes(24).toString('base64url'),
) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const value = make();
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return value;
}
