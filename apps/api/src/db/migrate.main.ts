// One-shot migrate step: applies pending migrations as the owner role and exits non-zero on failure.
import { loadEnv } from '../config/env.js';
import { migrate } from './migrator.js';

try {
  const env = loadEnv();
  if (!env.MIGRATION_DATABASE_URL) throw new Error('MIGRATION_DATABASE_URL: required for migrations');
  const { applied } = await migrate(env.MIGRATION_DATABASE_URL, (line) => console.log(line), {
    waitMs: env.MIGRATE_WAIT_MS,
  });
  console.log(applied.length ? `migrations applied: ${applied.length}` : 'migrations: up to date');
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
