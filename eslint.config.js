import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import importBoundaries from './eslint-rules/import-boundaries.js';

export default tseslint.config(
  {
    ignores: [
      'dist',
      'node_modules',
      'bench-results',
      'test-results',
      'playwright-report',
      'data',
      'coverage',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { gatepost: { rules: { 'import-boundaries': importBoundaries } } },
    rules: {
      'gatepost/import-boundaries': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': 'off',
    },
  },
);
