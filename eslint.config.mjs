// @ts-check
// ESLint for src/, test/, bench/ and scripts/: typescript-eslint's recommended rules plus the type-aware ones
// that catch what hurts an extension host most — a promise nobody awaits (a failure that vanishes, an
// operation that outlives its caller) and a promise passed where a plain callback is expected.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.vscode-test/**', 'artifacts/**', 'demo-out/**', 'test/fixtures/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // zod is configured once (src/core/zod.ts) before any schema exists: everything in src/ builds from it.
    files: ['src/**/*.ts'],
    ignores: ['src/core/zod.ts', 'src/core/zodVendor.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [{ name: 'zod', message: "Import { z } from src/core/zod (it is configured there first).", allowTypeImports: true }] }],
    },
  },
  {
    // Tests load code they just generated and compiled, by path, at run time.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
