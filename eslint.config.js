// Type-aware lint for the whole workspace, zero warnings allowed (npm run lint).
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/generated/**',
      '.data/**',
      '.nx/**',
      'libs/database/test/fixtures/generated/**',
      // A template (placeholders filled at build) for the service worker's plain-JS scope.
      'web/build/service-worker.template.js',
      'eslint.config.js',
      'jest.config.js',
      '**/*.cjs',
      '**/*.mjs',
      '**/prisma.config.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      // Nest needs classes with static factories and decorated empty classes.
      '@typescript-eslint/no-extraneous-class': 'off',
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          // Only test code closes these loops (a lib's tests use @oo/testing, which builds on
          // that lib); production code of each lib stays acyclic.
          ignoredCircularDependencies: [
            ['messaging', 'testing'],
            ['messaging', 'platform'],
            ['devkit', 'testing'],
            ['local-todoist', 'testing'],
            ['database', 'testing'],
          ],
          depConstraints: [
            // A service never imports another service, nor dev tooling; only libraries.
            { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:lib', 'type:testing'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib', 'type:testing'] },
            // The test kit may start processes the way `npm start` does.
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:lib', 'type:tool'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:testing'] },
            // The SPA takes only types from the contracts; its browser tests use the test kit.
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib', 'type:testing'] },
          ],
        },
      ],
    },
  },
  {
    // Tests may use the testing lib; production code may not.
    files: [
      '**/*.spec.ts',
      '**/*.test.tsx',
      '**/test/**/*.ts',
      '**/test/**/*.tsx',
      'bench/**/*.ts',
    ],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Handlers passed to the code under test are async by contract, whether or not they await.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  prettier,
);
