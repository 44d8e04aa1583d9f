// One lint configuration for every workspace.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.data/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read configuration through apps/api/src/config/env.ts only.',
        },
      ],
    },
  },
  {
    // Type-aware rules: a promise left floating inside a unit of work lets it commit before the query runs,
    // and only the type checker can see that. One program (tsconfig.test.json) holds every TypeScript file.
    files: ['{apps,packages}/**/*.ts', 'docker/**/*.ts', 'scripts/**/*.ts', 'vitest.config.ts'],
    ignores: ['**/*.d.mts'],
    languageOptions: {
      parserOptions: { project: './tsconfig.test.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
    },
  },
  {
    // The one validated place that reads the environment, and the operator scripts that set it up.
    files: ['apps/api/src/config/env.ts', 'scripts/**', 'vitest.config.ts', 'apps/api/src/test/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
