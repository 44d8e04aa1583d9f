import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const alias = {
  '@zakpos/contracts': fileURLToPath(new URL('./packages/contracts/src/index.ts', import.meta.url)),
  '@zakpos/pricing': fileURLToPath(new URL('./packages/pricing/src/index.ts', import.meta.url)),
  '@zakpos/receipt': fileURLToPath(new URL('./packages/receipt/src/index.ts', import.meta.url)),
};

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['{apps,packages}/*/src/**/*.spec.ts'],
          exclude: ['**/*.int.spec.ts', '**/*.fuzz.spec.ts', '**/node_modules/**', '**/dist/**'],
          // A hang guard, not a speed limit: the property tests run thousands of cases (the refund one ~5 s
          // alone) and take several times longer on a loaded 2-core machine. Speed lives in `npm run bench`.
          testTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'int',
          include: ['{apps,packages}/*/src/**/*.int.spec.ts'],
          exclude: ['**/node_modules/**', '**/dist/**'],
          globalSetup: ['apps/api/src/test/postgres.global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        // schemathesis against the API from its OpenAPI document; once per `npm test` (scripts/test.mjs).
        resolve: { alias },
        test: {
          name: 'fuzz',
          include: ['apps/api/src/**/*.fuzz.spec.ts'],
          globalSetup: ['apps/api/src/test/postgres.global-setup.ts'],
          // A hang guard: each role's run stops itself (schemathesis --max-time).
          testTimeout: 600_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The container infrastructure's config files, checked against real servers started here.
        resolve: { alias },
        test: {
          name: 'infra',
          include: ['{docker,scripts}/**/*.int.spec.ts'],
          exclude: ['**/node_modules/**', '**/dist/**'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        // The Compose stack on a real Docker engine (docker/stack): one stack at a time, each file brings up its own.
        resolve: { alias },
        test: {
          name: 'stack',
          include: ['docker/stack/**/*.stack.spec.ts'],
          globalSetup: ['docker/stack/stack.global-setup.ts'],
          fileParallelism: false,
          // Hang guards: bringing a stack up waits on health checks, and the first run builds the images.
          testTimeout: 600_000,
          hookTimeout: 1_800_000,
        },
      },
      {
        // The API's row-level security tests again, on the container stack's database: PostgreSQL 15 from the
        // system binaries with docker/postgres's config, init.sql roles and the migrations.
        resolve: { alias },
        test: {
          name: 'infra-rls',
          include: [
            'apps/api/src/db/tenant-isolation.int.spec.ts',
            'apps/api/src/db/tenancy-schema.int.spec.ts',
            'apps/api/src/db/tenant-filters.int.spec.ts',
          ],
          globalSetup: ['docker/postgres/rls.global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
