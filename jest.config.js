// One Jest run for the whole workspace: unit specs beside the code, integration specs in
// each project's test/ folder. Native ESM (run with --experimental-vm-modules) + swc.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      // Keep `with { type: 'json' }`: Node (and Jest's ESM loader) require it for JSON modules.
      experimental: { keepImportAttributes: true },
    },
    module: { type: 'es6' },
  },
];

export default {
  testEnvironment: 'node',
  // Resolve workspace libs to their TypeScript source (see libs/*/package.json "exports").
  testEnvironmentOptions: { customExportConditions: ['oo-source', 'node', 'node-addons'] },
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: [
    '<rootDir>/{libs,services,bench}/**/*.spec.ts',
    '<rootDir>/{libs,services}/*/test/**/*.int-spec.ts',
    '<rootDir>/web/test/**/*.int-spec.ts',
  ],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // Bundles staged by `npm run bundle` (dist/<target>/) hold copies of the libs' package.json.
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  globalSetup: '<rootDir>/libs/devkit/jest/global-setup.ts',
  maxWorkers: 2,
  // How long a worker may take to exit once Jest is done with it. A worker that ran integration
  // specs empties its event loop within a few ms (no handle is left open), but Node then frees
  // the V8 heap on its way out: with the 300-450 MB such a worker holds, that took 0.3-0.6 s on
  // a busy 2-core machine, past Jest's 500 ms default, so Jest killed healthy workers and blamed
  // "improper teardown". A real leak (an open socket, timer or child process) keeps a worker
  // alive for good, so it is still reported, only after this long.
  workerGracefulExitTimeout: 5000,
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/libs/testing/jest/summary-reporter.cjs'],
};
