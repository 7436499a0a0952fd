#!/usr/bin/env node
// `npx clinic-route …`: bundles the road-graph import and routing CLI from source (esbuild
// takes a fraction of a second, and the bundle is never stale), then runs it.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'cli', 'clinic-route.mjs');
await build({ entryPoints: [join(root, 'sync/hub/region/cli/clinic-route.ts')], outfile: bundle, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'error' });
await import(pathToFileURL(bundle).href);
