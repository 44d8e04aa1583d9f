import { describe, expect, it } from 'vitest';
import { readMigrations } from '../../db/migrator.js';
import { migrationsCheck } from './migrations.check.js';

describe('migrations check', () => {
  it('is ok when every file on disk is recorded', async () => {
    const versions = (await readMigrations()).map((m) => ({ version: m.version }));
    expect(await migrationsCheck(async () => versions).run()).toEqual({ ok: true, pending: [] });
  });

  it('lists the files not recorded, in order', async () => {
    const all = await readMigrations();
    const result = await migrationsCheck(async () => [{ version: all[0]!.version }]).run();
    expect(result).toEqual({ ok: false, pending: all.slice(1).map((m) => m.name) });
  });

  it('reads a missing schema_migrations table as nothing applied', async () => {
    const missing = Object.assign(new Error('relation "schema_migrations" does not exist'), {
      code: '42P01',
    });
    const result = await migrationsCheck(async () => {
      throw missing;
    }).run();
    expect(result.pending).toEqual((await readMigrations()).map((m) => m.name));
  });

  it('lets any other failure through (the service reports it)', async () => {
    const denied = Object.assign(new Error('permission denied'), { code: '42501' });
    await expect(
      migrationsCheck(async () => {
        throw denied;
      }).run(),
    ).rejects.toThrow('permission denied');
  });
});
