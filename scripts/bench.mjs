// `npm run bench [-- --patients N]`: runs the benchmarks in Debian's Chromium
// against real IndexedDB (where the code ships), then rewrites their section of
// BENCHMARKS.md with the figures, the machine and the command.
import { chromium } from '@playwright/test';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { build, preview } from 'vite';

const { values } = parseArgs({ options: { patients: { type: 'string', default: '100000' } } });
const patients = Number(values.patients);
const config = 'tools/bench/vite.config.ts';

await build({ configFile: config });
const server = await preview({ configFile: config, preview: { port: 0, host: '127.0.0.1' } });
const url = server.resolvedUrls?.local[0];
if (!url) throw new Error('the benchmark page has no address');

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(0);
  await page.goto(url);
  await page.waitForFunction(() => 'benchmarks' in globalThis);
  process.stderr.write(`patient index, ${patients} patients…\n`);
  const index = await page.evaluate((n) => globalThis.benchmarks.patientIndex(n), patients);
  process.stderr.write(`encrypted store, ${patients} patients…\n`);
  const vault = await page.evaluate((n) => globalThis.benchmarks.vault(n), patients);
  const machine = {
    cpu: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}`,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    chromium: browser.version(),
    date: new Date().toISOString().slice(0, 10),
  };
  mkdirSync('reports', { recursive: true });
  writeFileSync('reports/bench.json', `${JSON.stringify({ machine, index, vault }, null, 2)}\n`);
  writeSection('patient-store', patientStoreSection(machine, index, vault));
  process.stdout.write(`${JSON.stringify({ index, vault }, null, 2)}\n`);
} finally {
  await browser.close();
  await new Promise((resolve) => server.httpServer.close(resolve));
}

function ms(value) {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value < 10 ? 2 : 0)} ms`;
}

function patientStoreSection(machine, index, vault) {
  const target = (ok) => (ok ? 'met' : '**missed**');
  return `## Encrypted patient store (issue 3)

Reproduce: \`npm run bench -- --patients ${vault.patients}\` (${machine.date}; ${machine.cpu}, ${machine.memoryGiB} GiB;
Chromium ${machine.chromium}, headless, IndexedDB via RxDB's Dexie storage; Node ${machine.node} drives it).
Synthetic multilingual patients (seeded), every figure from the same run.

| what | figure | target |
| --- | --- | --- |
| seal + insert ${vault.patients} patients (AES-256-GCM, batches of 1,000) | ${ms(vault.sealedInsertMs)} | |
| the same insert without sealing (reference, same run) | ${ms(vault.plainInsertMs)} | |
| sealing overhead (sealed ÷ plain) | ${vault.sealingOverhead.toFixed(2)}× | < 1.5×: ${target(vault.sealingOverhead < 1.5)} |
| unlock to searchable (passphrase, sealed index snapshot, records written since) | ${ms(vault.unlockToSearchableMs)} | < 3 s: ${target(vault.unlockToSearchableMs < 3000)} |
| first unlock on a workstation (no snapshot yet: read, decrypt and index every record) | ${ms(vault.firstUnlockMs)} | |
| of which the passphrase (PBKDF2-SHA-256, 600,000 rounds) | ${ms(vault.passphraseUnwrapMs)} | |
| search p50 / p95 / max over ${vault.search.queries} misspelt-name queries, through the store | ${ms(vault.search.p50Ms)} / ${ms(vault.search.p95Ms)} / ${ms(vault.search.maxMs)} | p95 < 30 ms: ${target(vault.search.p95Ms < 30)} |
| misspelt-name queries with the patient in the first 10 | ${(vault.search.foundInTop10 * 100).toFixed(1)} % | |

The index alone (\`app/search/patient-index.benchmark.ts\`, ${index.patients} patients, ${index.queries} mixed queries:
misspelt names, dropped accents, prefixes, clinic numbers, phone fragments):

| what | figure |
| --- | --- |
| build | ${ms(index.buildMs)} |
| snapshot to JSON / size / load back | ${ms(index.toJsonMs)} / ${(index.jsonBytes / 1e6).toFixed(1)} MB / ${ms(index.loadMs)} |
| search p50 / p95 / max | ${ms(index.search.p50Ms)} / ${ms(index.search.p95Ms)} / ${ms(index.search.maxMs)} |
| recall of misspelt names in the first 10 | ${(index.recall * 100).toFixed(1)} % (${(index.recallAllowingNamesakes * 100).toFixed(1)} % counting exact namesakes as found) |
`;
}

function writeSection(name, body) {
  const path = 'BENCHMARKS.md';
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  let text = existsSync(path)
    ? readFileSync(path, 'utf8')
    : '# Benchmarks\n\nEach section below is rewritten by `npm run bench`; edit the generator in scripts/bench.mjs, not the figures.\n';
  const block = `${start}\n${body}${end}`;
  const at = text.indexOf(start);
  text = at === -1 ? `${text.trimEnd()}\n\n${block}\n` : text.slice(0, at) + block + text.slice(text.indexOf(end) + end.length);
  writeFileSync(path, text);
}
