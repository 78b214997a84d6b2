// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const MONGOOSE_ONLY_IN_DATA_LAYER = {
  name: 'mongoose',
  message: 'Only repositories, schemas and src/database use mongoose; go through a repository.',
};

export default tseslint.config(
  {
    ignores: [
      'dist/',
      '.bench/',
      'coverage/',
      'node_modules/',
      'test-artifacts/',
      'eslint.config.mjs',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  prettier,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      eqeqeq: 'error',
      curly: 'error',
      'no-console': 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    // The query module builds MongoDB filters (ObjectId values), so it is part of the data layer.
    ignores: [
      'src/**/*.repository.ts',
      'src/**/schemas/**',
      'src/database/**',
      'src/common/query/**',
      'src/**/*.spec.ts',
    ],
    rules: { 'no-restricted-imports': ['error', { paths: [MONGOOSE_ONLY_IN_DATA_LAYER] }] },
  },
  {
    files: [
      'src/main.ts',
      'src/worker.ts',
      'src/openapi-export.ts',
      'scripts/**',
      'test/**/*.ts',
      'src/**/*.spec.ts',
    ],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['test/**/*.ts', 'src/**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Tests read JSON responses whose shape is what they assert.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: globals.node,
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
