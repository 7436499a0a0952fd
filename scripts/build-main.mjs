// Bundles the main-process entry points. Electron's main and preload are
// CommonJS (a sandboxed preload must be one self-contained file); the
// browser-mode host is an ES module run by plain Node.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  define: { __APP_NAME__: JSON.stringify('Clinic Workstation'), __APP_VERSION__: JSON.stringify(pkg.version) },
};

await Promise.all([
  build({ ...common, entryPoints: ['main/electron/main.ts'], outfile: 'dist/electron/main.cjs', format: 'cjs', external: ['electron'], packages: 'external' }),
  // The preload bundles its few imports: a sandboxed preload can require only electron.
  build({ ...common, entryPoints: ['main/electron/preload.ts'], outfile: 'dist/electron/preload.cjs', format: 'cjs', external: ['electron'] }),
  build({ ...common, entryPoints: ['main/host/cli.ts'], outfile: 'dist/host/serve.mjs', format: 'esm', packages: 'external' }),
]);
