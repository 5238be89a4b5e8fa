import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.vscode-test/**', 'examples/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly' } },
  },
  {
    // The npm bin shim is plain CommonJS.
    files: ['bin/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // kernel-sim is pure TypeScript: no Node built-ins, no VS Code (ARCHITECTURE.md, Layers).
    files: ['kernel-sim/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: ['fs', 'path', 'os', 'child_process', 'vscode', 'util', 'crypto'], patterns: ['node:*'] },
      ],
    },
  },
);
