// Nest 12 and its companions are ES modules, so Jest runs in its native ESM mode
// (`--experimental-vm-modules`, see the `test` script) and ts-jest emits ESM.

// Dates in tests and in the app are compared as UTC; workers inherit this.
process.env.TZ = 'UTC';

/** ts-jest with the Swagger CLI plugin, so DTO metadata in tests is what `nest build` emits. */
const transform = {
  '^.+\\.ts$': [
    'ts-jest',
    {
      useESM: true,
      tsconfig: 'tsconfig.jest.json',
      astTransformers: { before: ['<rootDir>/test/support/swagger-plugin.transformer.cjs'] },
    },
  ],
};

const shared = {
  testEnvironment: 'node',
  rootDir: '.',
  extensionsToTreatAsEsm: ['.ts'],
  // Sources import each other as `./x.js` (Node's ESM rule); Jest resolves them to the .ts files.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform,
};

/** @type {import('jest').Config} */
export default {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
    },
  ],
  testTimeout: 60_000,
};
