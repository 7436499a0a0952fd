// Bundles the main-process entry points. Electron's main and preload are
// CommonJS (a sandboxed preload must be one self-contained file); the
// browser-mode host is an ES module run by plain Node.
//
// `--metafile <dir>` builds nothing to dist/: it writes each bundle's esbuild
// metafile to <dir>/<name>.json instead (tools/shipped-bundles.test.ts reads
// them to check what the shipped bundles contain).
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  define: { __APP_NAME__: JSON.stringify('Clinic Workstation'), __APP_VERSION__: JSON.stringify(pkg.version) },
};

/** `shipped: false` marks a development build: electron-builder.yml leaves dist/dev/ out of the package. */
const bundles = {
  'electron-main': { shipped: true, options: { entryPoints: ['main/electron/main.ts'], outfile: 'dist/electron/main.cjs', format: 'cjs', external: ['electron'], packages: 'external' } },
  // The preload bundles its few imports: a sandboxed preload can require only electron.
  'electron-preload': { shipped: true, options: { entryPoints: ['main/electron/preload.ts'], outfile: 'dist/electron/preload.cjs', format: 'cjs', external: ['electron'] } },
  'host': { shipped: true, options: { entryPoints: ['main/host/serve.ts'], outfile: 'dist/host/serve.mjs', format: 'esm', packages: 'external' } },
  // The host with simulated HID devices (`--simulate`), for the end-to-end tests and development only.
  'host-simulated': { shipped: false, options: { entryPoints: ['main/host/serve-simulated.ts'], outfile: 'dist/dev/serve-simulated.mjs', format: 'esm', packages: 'external' } },
};

const { values } = parseArgs({ options: { metafile: { type: 'string' } } });

if (values.metafile === undefined) {
  await Promise.all(Object.values(bundles).map(({ options }) => build({ ...common, ...options })));
} else {
  const dir = values.metafile;
  mkdirSync(dir, { recursive: true });
  await Promise.all(
    Object.entries(bundles).map(async ([name, { shipped, options }]) => {
      const { metafile } = await build({ ...common, ...options, metafile: true, write: false });
      writeFileSync(join(dir, `${name}.json`), JSON.stringify({ shipped, outfile: options.outfile, metafile }));
    }),
  );
}
