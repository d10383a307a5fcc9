// @ts-check
import nx from '@nx/eslint-plugin';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/** Vendor clients that only infrastructure adapters may touch. */
const vendorClients = [
  '@nestjs/*',
  'kafkajs',
  '@eventstore/*',
  '@kurrent/*',
  'minio',
  'dcmjs',
  'avsc',
  'better-sqlite3',
  'pg',
  'pino',
];

/**
 * Layering: app → infrastructure → application → domain → util. Tests may also use the shared
 * testing lib (endpoints of real infrastructure, contract suites), production code may not.
 * @param {boolean} tests
 */
function boundaries(tests) {
  const extra = tests ? ['type:testing'] : [];
  /** @type {{ sourceTag: string, onlyDependOnLibsWithTags: string[], bannedExternalImports?: string[] }[]} */
  const depConstraints = [
    {
      // Pure model: deciders, events, value objects. No I/O, no vendor SDKs.
      sourceTag: 'type:domain',
      onlyDependOnLibsWithTags: ['type:domain', 'type:util'],
      bannedExternalImports: [...vendorClients, 'node:fs', 'fs', 'node:net', 'node:http'],
    },
    {
      sourceTag: 'type:util',
      onlyDependOnLibsWithTags: ['type:util'],
      bannedExternalImports: [...vendorClients, 'node:fs', 'fs'],
    },
    {
      // Ports and use cases: may orchestrate the domain, never a vendor SDK.
      sourceTag: 'type:application',
      onlyDependOnLibsWithTags: ['type:application', 'type:domain', 'type:util'],
      bannedExternalImports: vendorClients,
    },
    {
      sourceTag: 'type:infrastructure',
      onlyDependOnLibsWithTags: ['type:infrastructure', 'type:application', 'type:domain', 'type:util'],
    },
    {
      sourceTag: 'type:testing',
      onlyDependOnLibsWithTags: [
        'type:testing',
        'type:infrastructure',
        'type:application',
        'type:domain',
        'type:util',
      ],
    },
    {
      sourceTag: 'type:app',
      onlyDependOnLibsWithTags: [
        'type:infrastructure',
        'type:application',
        'type:domain',
        'type:util',
        'type:testing',
      ],
    },
  ];
  return [
    'error',
    {
      enforceBuildableLibDependency: false,
      allow: [],
      depConstraints: depConstraints.map((c) => ({
        ...c,
        onlyDependOnLibsWithTags: [...new Set([...c.onlyDependOnLibsWithTags, ...extra])],
      })),
    },
  ];
}

export default tseslint.config(
  {
    ignores: ['**/node_modules', '**/dist', '**/tmp', '**/coverage', '.nx/**', '**/*.js', '**/*.cjs'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    plugins: { '@nx': nx },
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': boundaries(false),
    },
  },
  {
    // Test-support entry points (`libs/*/src/testing`: contract and shared suites) are test code too.
    files: ['**/*.spec.ts', 'libs/shared/testing/**/*.ts', 'libs/**/src/testing/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries(true),
      // jest matchers (expect.any etc.) are typed as any.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  prettier,
);
