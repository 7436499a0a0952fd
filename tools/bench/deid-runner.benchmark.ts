import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runDeidBench } from '../../app/deid/deid-run.benchmark';

// `node deid-bench.mjs <ndjson folder> <count>`: the first <count> resources of the folder's NDJSON
// files through app/deid/deid-run.benchmark.ts; prints the result as JSON (scripts/bench.mjs, section deid).
const [folder, count] = process.argv.slice(2);
if (folder === undefined || count === undefined) throw new Error('usage: deid-bench.mjs <ndjson folder> <count>');
const resources: Record<string, unknown>[] = [];
for (const name of readdirSync(folder).filter((file) => file.endsWith('.ndjson')).sort()) {
  for (const line of readFileSync(join(folder, name), 'utf8').split('\n')) if (line !== '' && resources.length < Number(count)) resources.push(JSON.parse(line) as Record<string, unknown>);
}
process.stdout.write(`${JSON.stringify(await runDeidBench(resources, () => process.memoryUsage().heapUsed / 2 ** 20))}\n`);
