#!/usr/bin/env node
// `npx clinic-fhir …`: bundles the FHIR validation CLI from source (esbuild
// takes a fraction of a second, and the bundle is never stale), then runs it.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'cli', 'clinic-fhir.mjs');
await build({ entryPoints: [join(root, 'tools/fhir/cli/clinic-fhir.ts')], outfile: bundle, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'error' });
await import(pathToFileURL(bundle).href);
