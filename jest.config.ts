import type { Config } from 'jest';

// One jest run over every package, against src (no build step): the workspace names map to the
// sources so that a test of `kunci` exercises the providers' current code, not a stale dist/.
const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/docs'],
  testMatch: ['**/test/**/*.test.ts', '**/docs/**/*.test.ts'],
  // Each file is transpiled alone (isolatedModules): jest does not type-check. `npm test` runs tsc
  // over the whole repository first, once, instead of ts-jest checking every test file's imports.
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }],
  },
  moduleNameMapper: {
    // The repository's own test kit: private, never published, hence not an @kunci/* name.
    '^#test-kit$': '<rootDir>/packages/core/test-kit/index.ts',
    '^@kunci/core/(provider|emulator)$': '<rootDir>/packages/core/src/entries/$1.ts',
    '^@kunci/(core|redis-store|pivot-snap|pivot-legacy|klikoo|snap)$': '<rootDir>/packages/$1/src/index.ts',
    '^@kunci/(pivot-snap|pivot-legacy|klikoo|snap)/emulator$': '<rootDir>/packages/$1/src/entries/emulator.ts',
    '^@kunci/sdk$': '<rootDir>/packages/sdk/src/index.ts',
    '^@kunci/sandbox$': '<rootDir>/packages/sandbox/src/index.ts',
    '^@kunci/sandbox/nock$': '<rootDir>/packages/sandbox/src/entries/nock.ts',
    '^@kunci/cli$': '<rootDir>/packages/cli/src/index.ts',
    '^@kunci/nest$': '<rootDir>/packages/nest/src/index.ts',
    '^@kunci/opentelemetry$': '<rootDir>/packages/opentelemetry/src/index.ts',
    '^@kunci/inbound$': '<rootDir>/packages/inbound/src/index.ts',
    '^@kunci/inbound/express$': '<rootDir>/packages/inbound/src/entries/express.ts',
    // jest loads CommonJS only, and Nest 12 is ES modules only: under jest every @nestjs/* import
    // (Nest's own included) is Nest 11's, from test-deps/nest11. Nest 12 runs in plain node child
    // processes (packages/nest/test/nest-majors.test.ts), where require() loads ES modules.
    '^@nestjs/(common|core|testing|platform-express|config)(/.*)?$':
      '<rootDir>/test-deps/nest11/node_modules/@nestjs/$1$2',
  },
  // The docs' blocks under .doc-blocks/, written as `npm run typecheck` writes them (its doc tests read them).
  globalSetup: '<rootDir>/scripts/jest-global-setup.cjs',
  setupFiles: ['reflect-metadata'],
  setupFilesAfterEnv: ['<rootDir>/packages/core/test-kit/jest-setup.ts'],
  modulePathIgnorePatterns: ['<rootDir>/packages/.*/dist/'],
  testTimeout: 15000,
  // Both cores: jest's default (cores - 1) leaves one of a 2-core machine idle.
  maxWorkers: 2,
};

export default config;
