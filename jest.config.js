// Two tiers: unit specs beside the code (src/**/*.spec.ts), end-to-end specs in test/ against
// real PostgreSQL and Redis. TypeScript is compiled by swc (see test/setup/swc-transformer.js,
// which also turns NestJS 12's ES-module-only packages into CommonJS for jest); `tsc` (pinned to
// TypeScript 6.x) builds the app. ts-jest is not used.
const transformer = '<rootDir>/test/setup/swc-transformer.js';
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.(ts|js|mjs)$': transformer },
  // The innermost node_modules decides (content-disposition is nested under @fastify/static).
  transformIgnorePatterns: ['/node_modules/(?!.*/node_modules/)(?!(@nestjs|file-type|strtok3|token-types|@tokenizer|uint8array-extras|@borewit|@standard-schema|content-disposition)/)'],
};
module.exports = {
  // A global option (jest ignores it inside a project): end-to-end specs talk to real services.
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
    },
  ],
};
