import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Lint rules: eslint's and typescript-eslint's recommended sets, on every TypeScript source. */
export default tseslint.config(
  { ignores: ['dist/', 'dist-demo/', 'dist-check/', 'coverage/', 'node_modules/', 'test-output/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
