import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Lint rules: eslint's and typescript-eslint's recommended sets, on every TypeScript source. */
export default tseslint.config(
  { ignores: ['dist/', '.dist-*/', 'dist-demo/', 'dist-check/', 'dist-bench/', 'bench/profiles/', 'coverage/', 'node_modules/', 'test-output/', 'demo/public/htmx.min.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // The demo page's scripts run in the browser.
    files: ['demo/public/**/*.js'],
    languageOptions: { globals: globals.browser },
  },
  {
    // Plain Node scripts: the build, the consumer matrix's runners, jest's config and global set-up.
    files: ['test/**/*.mjs', 'test/**/*.js', 'scripts/**/*.mjs', 'jest.config.js'],
    languageOptions: { globals: globals.node },
  },
  {
    // Node's global Buffer is a getter on globalThis: each read in a request's path calls it. The module's own code
    // imports it from node:buffer, a binding of the module.
    files: ['lib/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', { name: 'Buffer', message: "Import it: import { Buffer } from 'node:buffer'." }],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
