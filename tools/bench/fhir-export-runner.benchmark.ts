import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import type { Resource } from '@medplum/fhirtypes';
import { writeSample } from '../fhir/sample/write-sample';
import { loadFhirValidators } from '../fhir/validators';
import { fhirPackageProblems } from '../fhir/validators-fhir-package';
import { medplumProblems } from '../fhir/validators-medplum';
import { valueProblems } from '../fhir/validators-values';
import { serveBenchWorkstation } from './bench-workstation';
import type { ExportRunResult, ExportSeedResult, StringifyCeiling } from './fhir-export.benchmark';

/**
 * `npm run bench -- --only fhir-export` (scripts/bench.mjs bundles this file
 * and calls `runFhirExportBench`): a workstation's main process as the app
 * composes it (its export files on disk, fsync and all), a page in Chromium
 * whose data worker exports a clinic of N patients with ten readings each as
 * NDJSON, and the resident memory of Chromium's processes and of the main
 * process sampled every second while it runs. Then each validator's
 * throughput over a sample clinic's resources, in this Node process.
 */
export interface FhirExportBenchOptions {
  pageUrl: string;
  chromiumPath: string;
  patients: number;
  progress: (line: string) => void;
}

export interface MemoryFigures {
  /** Chromium (every process: browser, renderer with the page and the data worker, GPU, utility) and the main process, in MiB. */
  chromiumPeakMiB: number;
  mainPeakMiB: number;
  /** Median of the samples in the first and the last quarter of the export: flat memory keeps these close. */
  chromiumFirstQuarterMiB: number;
  chromiumLastQuarterMiB: number;
  samples: number;
}

export interface ValidatorThroughput {
  validator: 'medplum' | 'fhir' | 'values';
  resources: number;
  ms: number;
}

export interface FhirExportBenchResult {
  seed: ExportSeedResult;
  run: ExportRunResult;
  bytes: number;
  memory: MemoryFigures;
  ceiling: StringifyCeiling;
  validators: ValidatorThroughput[];
}

const mib = (kib: number) => Math.round(kib / 1024);

/** Resident memory (KiB) of Chromium's processes: those whose program (argv[0]) is a chromium or chrome binary. */
function chromiumResidentKiB(): number {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const program = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
      if (!/chrom(e|ium)/.test(program.split('/').pop() ?? '')) continue;
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      total += Number(rss ?? 0);
    } catch {
      // The process ended between listing and reading.
    }
  }
  return total;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

function validatorThroughput(progress: (line: string) => void): Promise<ValidatorThroughput[]> {
  const dir = mkdtempSync(join(tmpdir(), 'clinic-bench-validate-'));
  return (async () => {
    try {
      await writeSample({ patients: 300, seed: 3, format: 'ndjson', out: dir });
      const resources = readdirSync(dir)
        .filter((file) => file.endsWith('.ndjson'))
        .flatMap((file) => readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Resource));
      loadFhirValidators();
      const timed = (validator: ValidatorThroughput['validator'], check: (resource: Resource) => unknown): ValidatorThroughput => {
        for (const resource of resources.slice(0, 200)) check(resource);
        const started = performance.now();
        for (const resource of resources) check(resource);
        return { validator, resources: resources.length, ms: performance.now() - started };
      };
      progress(`fhir-export: validating ${resources.length} resources with each validator…`);
      return [timed('medplum', medplumProblems), timed('fhir', fhirPackageProblems), timed('values', valueProblems)];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  })();
}

export async function runFhirExportBench(options: FhirExportBenchOptions): Promise<FhirExportBenchResult> {
  const { patients, progress } = options;
  const main = await serveBenchWorkstation(new URL(options.pageUrl).origin);
  // A profile on disk, as a workstation has. In a new (incognito) context, whose storage is ephemeral and whose quota is
  // smaller, seeding 100,000 patients with a million readings (about a gigabyte sealed) failed at 60,000 patients.
  const profile = mkdtempSync(join(tmpdir(), 'clinic-bench-profile-'));
  const browser = await chromium.launchPersistentContext(profile, { executablePath: options.chromiumPath, args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(0);
    await page.exposeFunction('syncProgress', (line: string) => progress(line));
    // A failure inside the page reaches the runner as a bare message: its console and errors say more.
    page.on('console', (message) => {
      if (message.type() === 'error') progress(`page console: ${message.text()}`);
    });
    page.on('pageerror', (error) => progress(`page error: ${error.stack ?? error.message}`));
    await page.goto(options.pageUrl);
    await page.waitForFunction(() => 'benchmarks' in globalThis);
    progress(`fhir-export: sealing a clinic of ${patients} patients with ten readings each…`);
    const seed = await page.evaluate((n) => window.benchmarks.fhirExportSeed(n), patients);

    const samples: { at: number; chromium: number; main: number }[] = [];
    const sample = () => samples.push({ at: performance.now(), chromium: chromiumResidentKiB(), main: Math.round(process.memoryUsage().rss / 1024) });
    const sampler = setInterval(sample, 1000);
    let run: ExportRunResult;
    try {
      sample();
      run = await page.evaluate(([url, token, n]) => window.benchmarks.fhirExportRun(url, token, n), [main.url, main.token, patients] as const);
      sample();
    } finally {
      clearInterval(sampler);
    }
    const folder = join(main.dataDir, 'exports', run.exportId);
    const bytes = readdirSync(folder).reduce((sum, file) => sum + statSync(join(folder, file)).size, 0);
    const quarter = Math.max(1, Math.floor(samples.length / 4));
    const memory: MemoryFigures = {
      chromiumPeakMiB: mib(Math.max(...samples.map((s) => s.chromium))),
      mainPeakMiB: mib(Math.max(...samples.map((s) => s.main))),
      chromiumFirstQuarterMiB: mib(median(samples.slice(0, quarter).map((s) => s.chromium))),
      chromiumLastQuarterMiB: mib(median(samples.slice(-quarter).map((s) => s.chromium))),
      samples: samples.length,
    };
    progress(`fhir-export: ${run.resources} resources in ${Math.round(run.export.ms)} ms; the JSON.stringify ceiling…`);
    const ceiling = await page.evaluate((n) => window.benchmarks.fhirExportCeiling(n), patients);
    await browser.close();
    const validators = await validatorThroughput(progress);
    return { seed, run, bytes, memory, ceiling, validators };
  } finally {
    await browser.close().catch(() => undefined);
    await main.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
