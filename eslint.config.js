// @ts-check
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Layering (which folder may import what) is checked by dependency-cruiser
// (.dependency-cruiser.cjs), not here.

/** The product folders: shipped to users. */
const product = ['app', 'main', 'renderer', 'device-bridge', 'sync'];
const tsFiles = '**/*.{ts,tsx,mts,cts}';
const jsFiles = '**/*.{js,mjs,cjs,jsx}';
const testFiles = '**/*.test.{ts,tsx}';

export default defineConfig([
  {
    name: 'clinic/ignores',
    ignores: [
      'dist/',
      'release/',
      'test-results/',
      'playwright-report/',
      'e2e/artifacts/',
      // Deliberately broken imports for tools/layer-check.test.ts.
      'tools/layer-check-fixtures/',
    ],
  },

  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    name: 'clinic/type-information',
    languageOptions: {
      parserOptions: {
        // Each file is checked with the tsconfig.json that governs it (app/
        // with app/tsconfig.json: no DOM, no Node types).
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    // JavaScript files (this config, scripts/*.mjs, .dependency-cruiser.cjs)
    // are in no tsconfig, so they get the rules that need no type information.
    name: 'clinic/javascript',
    files: [jsFiles],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    name: 'clinic/typescript',
    files: [tsFiles],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      // `import { type X } from 'm'` is compiled (verbatimModuleSyntax) to
      // `import {} from 'm'`, which still loads the module at runtime;
      // dependency-cruiser counts it as type-only, so this rule closes that gap
      // for electron-only-in-main-electron.
      '@typescript-eslint/no-import-type-side-effects': 'error',
    },
  },

  // ---- runtime environments (globals) ------------------------------------
  {
    // The clinical core runs in Node, browsers and workers alike.
    name: 'clinic/globals-app',
    files: ['app/**'],
    languageOptions: { globals: { ...globals['shared-node-browser'] } },
    rules: {
      // app/tsconfig.json types app/ with the WebWorker library for the APIs
      // Node, browsers and workers share; these it also declares exist in only
      // some of those runtimes.
      'no-restricted-globals': [
        'error',
        ...['self', 'indexedDB', 'caches', 'postMessage', 'importScripts', 'navigator', 'location', 'localStorage', 'sessionStorage', 'window', 'document'].map(
          (name) => ({ name, message: 'app/ runs in Node, browsers and workers alike: take this from the caller instead.' }),
        ),
      ],
    },
  },
  {
    name: 'clinic/globals-browser',
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    name: 'clinic/globals-node',
    files: [
      'main/**',
      'device-bridge/**',
      'sync/**',
      'scripts/**',
      'tools/**',
      'e2e/**',
      // configuration files at the root
      '*.{js,mjs,cjs,ts,mts,cts}',
      '.*.{js,mjs,cjs}',
    ],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Unit tests run under Node (vitest's node environment), whatever folder they test.
    name: 'clinic/globals-tests',
    files: [testFiles],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // The browser-side sync client is imported by the renderer.
    name: 'clinic/globals-sync-client',
    files: ['sync/client/**'],
    ignores: [testFiles],
    languageOptions: { globals: { ...globals.browser } },
  },

  {
    // Playwright reads a fixture's dependencies from its first parameter,
    // which must be a destructuring pattern even when it uses none: `({}, use)`.
    name: 'clinic/playwright-fixtures',
    files: ['e2e/**'],
    rules: { 'no-empty-pattern': ['error', { allowObjectPatternsAsParameters: true }] },
  },

  // ---- React ---------------------------------------------------------------
  {
    name: 'clinic/react-hooks',
    // Custom hooks may live in .ts files too.
    files: ['renderer/**/*.{ts,tsx}'],
    extends: [reactHooks.configs.flat.recommended],
  },

  // ---- console -------------------------------------------------------------
  {
    // Product code logs through app/log/logger.ts (fixed, non-PHI fields) or not at
    // all: a stray console call could write patient data to a terminal or
    // the browser console.
    name: 'clinic/no-console-in-product',
    files: product.map((folder) => `${folder}/**`),
    rules: { 'no-console': 'error' },
  },
  {
    // Scripts may report problems on stderr.
    name: 'clinic/console-in-scripts',
    files: ['scripts/**'],
    rules: { 'no-console': ['error', { allow: ['error', 'warn'] }] },
  },
]);
