import type { Config } from 'jest';

// One jest run over every package, against src (no build step): the workspace names map to the
// sources so that a test of `kunci` exercises the providers' current code, not a stale dist/.
const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/docs'],
  testMatch: ['**/test/**/*.test.ts', '**/docs/**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  moduleNameMapper: {
    '^@kunci/core/test-kit$': '<rootDir>/packages/core/test-kit/index.ts',
    '^@kunci/(core|redis-store|pivot-snap|pivot-legacy|klikoo)$': '<rootDir>/packages/$1/src/index.ts',
    '^@kunci/sdk$': '<rootDir>/packages/sdk/src/index.ts',
  },
  setupFiles: ['reflect-metadata'],
  modulePathIgnorePatterns: ['<rootDir>/packages/.*/dist/'],
  testTimeout: 15000,
};

export default config;
