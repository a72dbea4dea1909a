/**
 * Jest runs the TypeScript sources as native ES modules, because @nestjs/* 12
 * ships ESM only. Start it through `npm test`, which adds
 * --experimental-vm-modules for Node 20.
 */
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/lib', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    // Sources import siblings as './x.js' (ESM rules); jest must find './x.ts'.
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.spec.json' }],
  },
  setupFiles: ['reflect-metadata'],
  testTimeout: 30000,
};
