import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runDeidBench } from '../../app/deid/deid-run.benchmark';

// `node deid-bench.mjs <ndjson folder> <count>`: the first <count> resources of the folder's NDJSON
// files through app/deid/deid-run.benchmark.ts; prints the result as JSON (scripts/bench.mjs, section deid).
const [folder, count] = process.argv.slice(2);
if (folder === undefined || count === undefined) throw new Error('usage: deid-bench.mjs <ndjson folder> <count>');
// The same share of each file (each resource type) as the whole export has, so <count> is a clinic in miniature.
const files = readdirSync(folder)
  .filter((file) => file.endsWith('.ndjson'))
  .sort()
  .map((name) => readFileSync(join(folder, name), 'utf8').split('\n').filter((line) => line !== ''));
const total = files.reduce((sum, lines) => sum + lines.length, 0);
const resources = files.flatMap((lines) => lines.slice(0, Math.round((lines.length * Math.min(Number(count), total)) / total)).map((line) => JSON.parse(line) as Record<string, unknown>));
process.stdout.write(`${JSON.stringify(await runDeidBench(resources, () => process.memoryUsage().heapUsed / 2 ** 20))}\n`);
