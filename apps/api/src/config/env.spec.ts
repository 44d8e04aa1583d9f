import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EnvError, loadEnv } from './env.js';

const valid = {
  DATABASE_URL: 'postgres://zakpos_app:pw@127.0.0.1:5432/zakpos',
  JWT_SECRET: 'x'.repeat(32),
};
const load = (source: Record<string, string | undefined>) => () => loadEnv({}, source);

describe('loadEnv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zakpos-env-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts a minimal valid environment and fills the defaults', () => {
    const env = loadEnv({}, valid);
    expect(env).toMatchObject({ PORT: 3000, LOG_LEVEL: 'info', CORS_ORIGINS: [], SHUTDOWN_GRACE_MS: 10_000 });
  });

  it.each([
    ['a missing DATABASE_URL', { JWT_SECRET: valid.JWT_SECRET }, /DATABASE_URL/],
    ['a DATABASE_URL that is not PostgreSQL', { ...valid, DATABASE_URL: 'mysql://h/db' }, /DATABASE_URL/],
    ['a short JWT_SECRET', { ...valid, JWT_SECRET: 'short' }, /JWT_SECRET: must be at least 32 characters/],
    ['PORT=abc', { ...valid, PORT: 'abc' }, /PORT/],
    ['an unknown LOG_LEVEL', { ...valid, LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    ['a BODY_LIMIT_BYTES below 1 KiB', { ...valid, BODY_LIMIT_BYTES: '10' }, /BODY_LIMIT_BYTES/],
    [
      'a drain as long as the grace period',
      { ...valid, SHUTDOWN_DRAIN_MS: '10000', SHUTDOWN_GRACE_MS: '10000' },
      /SHUTDOWN_DRAIN_MS: with SHUTDOWN_LINGER_MS must stay below SHUTDOWN_GRACE_MS \(10000\)/,
    ],
    [
      'a drain and linger longer than the grace period',
      { ...valid, SHUTDOWN_DRAIN_MS: '5000', SHUTDOWN_LINGER_MS: '6000', SHUTDOWN_GRACE_MS: '10000' },
      /SHUTDOWN_DRAIN_MS: with SHUTDOWN_LINGER_MS must stay below SHUTDOWN_GRACE_MS/,
    ],
  ])('rejects %s, naming the variable', (_, source, message) => {
    expect(load(source)).toThrow(EnvError);
    expect(load(source)).toThrow(message);
  });

  it('reads X_FILE when X is unset (Docker secrets), trimming the newline', () => {
    const file = join(dir, 'jwt');
    writeFileSync(file, `${'s'.repeat(40)}\n`);
    const env = loadEnv({}, { DATABASE_URL: valid.DATABASE_URL, JWT_SECRET_FILE: file });
    expect(env.JWT_SECRET).toBe('s'.repeat(40));
  });

  it('prefers X over X_FILE', () => {
    const file = join(dir, 'jwt-other');
    writeFileSync(file, 'f'.repeat(40));
    expect(loadEnv({}, { ...valid, JWT_SECRET_FILE: file }).JWT_SECRET).toBe(valid.JWT_SECRET);
  });

  it('names X_FILE when its file cannot be read', () => {
    const source = { DATABASE_URL: valid.DATABASE_URL, JWT_SECRET_FILE: join(dir, 'absent') };
    expect(load(source)).toThrow(/JWT_SECRET_FILE: cannot read/);
  });

  it('still validates a value read from a file', () => {
    const file = join(dir, 'short');
    writeFileSync(file, 'short');
    expect(load({ DATABASE_URL: valid.DATABASE_URL, JWT_SECRET_FILE: file })).toThrow(/JWT_SECRET/);
  });
});
