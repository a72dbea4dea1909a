/**
 * Jest runs the TypeScript sources as native ES modules, because @nestjs/* 12
 * ships ESM only. Start it through `npm test`, which adds
 * --experimental-vm-modules for Node 20.
 */
const nestModules = process.env.NESTJS_AJAX_NEST_MODULES;

/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/lib', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  // The consumer apps' own specs run inside those apps, by test/matrix/run.mjs.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/matrix/app/'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    // Sources import siblings as './x.js' (ESM rules); jest must find './x.ts'.
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // test/matrix/suite-on-nest11.mjs: every @nestjs package from another install (Nest 11),
    // sharing the project's copies of Nest's peers (rxjs, reflect-metadata, the validators).
    ...(nestModules && {
      '^@nestjs/(common|core|platform-express|platform-fastify|swagger|testing)$': `${nestModules}/@nestjs/$1`,
      '^@nestjs/(common|core|platform-express|platform-fastify|swagger|testing)/(.*)$': `${nestModules}/@nestjs/$1/$2`,
      '^(rxjs|reflect-metadata|class-validator|class-transformer)$': '<rootDir>/node_modules/$1',
      '^(rxjs|class-transformer)/(.*)$': '<rootDir>/node_modules/$1/$2',
    }),
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.spec.json' }],
  },
  setupFiles: ['reflect-metadata'],
  globalSetup: '<rootDir>/test/global-setup.js',
  globalTeardown: '<rootDir>/test/global-teardown.js',
  testTimeout: 30000,
};
