// @ts-check
// Plain CommonJS so jest needs no TypeScript loader for its own config.
const { readFileSync } = require('node:fs');

const tsconfig = JSON.parse(readFileSync(`${__dirname}/tsconfig.base.json`, 'utf8'));
/** @type {Record<string, string>} */
const moduleNameMapper = Object.fromEntries(
  Object.entries(/** @type {Record<string, string[]>} */ (tsconfig.compilerOptions.paths)).map(
    ([alias, [target]]) => [`^${alias.replace('/', '\\/')}$`, `<rootDir>/${target}`],
  ),
);

const common = {
  rootDir: __dirname,
  transform: {
    '^.+\\.(ts|js|mjs)$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleNameMapper,
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/tools'],
  // NestJS 12 ships ES modules only; transform them like our sources (the workspace is CommonJS).
  transformIgnorePatterns: ['/node_modules/(?!@nestjs/)'],
};

/**
 * Two tiers: `unit` (no I/O beyond temp files) and `integration` (real Kafka, MinIO, PostgreSQL,
 * event stores, child processes). Under CI=true an integration suite whose infrastructure is
 * missing fails rather than skips (see libs/shared/testing).
 * @type {import('jest').Config}
 */
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['**/*.unit.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['**/*.int.spec.ts', '**/*.e2e.spec.ts'],
    },
  ],
  // Top level only: jest-circus ignores a per-project testTimeout. Generous because integration
  // tests start processes and talk to real brokers on 2 cores; speed is measured by benchmarks.
  testTimeout: 120_000,
};
