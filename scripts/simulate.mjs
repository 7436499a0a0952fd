// `npm run simulate -- <device>`: bundles the simulator from source, then runs it.
import { build } from 'esbuild';
import { pathToFileURL } from 'node:url';

const outfile = 'dist/simulate/run-simulator.mjs';
await build({ entryPoints: ['device-bridge/simulate/run-simulator.ts'], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'error' });
await import(pathToFileURL(`${process.cwd()}/${outfile}`).href);
