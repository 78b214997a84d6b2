// Nest 12 and its companions are ES modules, so Jest runs in its native ESM mode
// (`--experimental-vm-modules`, see the `test` script) and ts-jest emits ESM.
import { readFileSync } from 'node:fs';

// Dates in tests and in the app are compared as UTC; workers inherit this.
process.env.TZ = 'UTC';

/**
 * Only the files the Swagger CLI plugin rewrites (nest-cli.json: `*.dto.ts`, `*.controller.ts`)
 * need the type checker: ts-jest compiles them with a full TypeScript program and the plugin, so
 * tests see the DTO metadata `nest build` emits. Every other file is transpiled on its own
 * (test/support/transpile.transformer.cjs): a type-checked program for every file took most of
 * the suite's time. Types are checked by `npm run typecheck` (tsconfig.json covers src and test),
 * so ts-jest reports no type errors of its own.
 */
const swaggerPlugin = JSON.parse(
  readFileSync(new URL('nest-cli.json', import.meta.url), 'utf8'),
).compilerOptions.plugins.find((plugin) => plugin.name === '@nestjs/swagger').options;
const SWAGGER_PLUGIN_FILES = `(?:${[
  ...swaggerPlugin.dtoFileNameSuffix,
  ...swaggerPlugin.controllerFileNameSuffix,
]
  .map((suffix) => suffix.replaceAll('.', '\\.'))
  .join('|')})$`;
const TRANSPILE = '<rootDir>/test/support/transpile.transformer.cjs';
const transform = {
  [SWAGGER_PLUGIN_FILES]: [
    'ts-jest',
    {
      useESM: true,
      tsconfig: 'tsconfig.jest.json',
      diagnostics: false,
      astTransformers: { before: ['<rootDir>/test/support/swagger-plugin.transformer.cjs'] },
    },
  ],
  '^.+\\.ts$': TRANSPILE,
};

/**
 * ES-module-only packages that a CommonJS dependency require()s. Node 20 allows that
 * (require(esm)), Jest's module loader on Node 20 does not, so Jest compiles them to CommonJS.
 * (@fastify/static, which serves Swagger UI, requires content-disposition.)
 */
const ESM_REQUIRED_FROM_CJS = ['content-disposition'];

/**
 * CommonJS packages that require() Nest's own ES modules: Jest points those calls at the modules
 * the test already loaded (see test/support/esm-bridge.transformer.cjs).
 */
const REQUIRES_NEST_FROM_CJS = ['@nestjs/throttler'];

const shared = {
  testEnvironment: 'node',
  rootDir: '.',
  extensionsToTreatAsEsm: ['.ts'],
  // Sources import each other as `./x.js` (Node's ESM rule); Jest resolves them to the .ts files.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    ...transform,
    [`node_modules/(?:${ESM_REQUIRED_FROM_CJS.join('|')})/.+\\.js$`]: TRANSPILE,
    [`node_modules/(?:${REQUIRES_NEST_FROM_CJS.join('|')})/.+\\.js$`]:
      '<rootDir>/test/support/esm-bridge.transformer.cjs',
  },
  transformIgnorePatterns: [
    `/node_modules/(?!(?:${[...ESM_REQUIRED_FROM_CJS, ...REQUIRES_NEST_FROM_CJS].join('|')})/)`,
  ],
  setupFiles: ['<rootDir>/test/support/esm-bridge.setup.ts'],
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
  // The suites run one after another in one worker, whose heap keeps what every suite loaded (the
  // ES-module registries of a hundred suites, Nest apps, pdf.js): past 1 GB the collector ran
  // most of the time, and the last small suites took 10 to 30 s each. The worker is replaced once
  // its heap passes this (the whole run: 761 → 511 s). Setting it also makes Jest run the suites in
  // a worker rather than in its own process, which is what lets the worker be replaced.
  workerIdleMemoryLimit: '1GB',
  // maxWorkers stays Jest's default (one fewer than the cores; one on a two-core machine). With two
  // workers on two cores the OCR suites ran side by side, each with its own OCR processes, and
  // overran their time limits when the machine was busy.
};
