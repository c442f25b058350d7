// @ts-check
// Lint: ESLint's and typescript-eslint's recommended rules with type information (floating promises,
// unsafe `any`), formatting left to Prettier (eslint-config-prettier turns the clashing rules off).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const node = Object.fromEntries(
  [
    'process',
    'console',
    'require',
    'module',
    'exports',
    '__dirname',
    '__filename',
    'Buffer',
    'URL',
    'setTimeout',
    'clearTimeout',
    'setImmediate',
    'setInterval',
    'clearInterval',
    'AbortController',
    'AbortSignal',
    'fetch',
    'structuredClone',
    'TextEncoder',
    'TextDecoder',
    'performance',
    'globalThis',
    'URLSearchParams',
  ].map((name) => [name, 'readonly']),
);

export default defineConfig(
  {
    // .doc-blocks/: the docs' blocks as scripts/doc-blocks.cjs writes them, compiled by tsconfig.doc-blocks.json.
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'coverage/**',
      '.ci/out/**',
      'bench/out/**',
      'test-deps/**',
      '.doc-blocks/**',
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: node },
  },
  prettier,
);
