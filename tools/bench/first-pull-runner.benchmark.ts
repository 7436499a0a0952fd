import { chromium, type Page } from '@playwright/test';
import { startHubProcess } from '../../sync/hub/test-support';
import { serveBenchWorkstation, type BenchWorkstation } from './bench-workstation';
import { profiled } from './cpu-profile';
import type { FirstPullFigures, HubLine } from './first-pull.benchmark';

/**
 * `npm run bench -- --only responsiveness` (scripts/bench.mjs bundles this
 * file and calls `runFirstPullBench`): one hub process, three workstations'
 * main processes (main/compose.ts, in this Node process), each with its own
 * page in its own Chromium context (its own IndexedDB). The seeding
 * workstation sets the clinic up with N patients; two new workstations
 * join it in turn, one with its store in the data worker, one with its store
 * on the screens' thread (first-pull.benchmark.ts).
 */
export interface FirstPullBenchOptions {
  pageUrl: string;
  chromiumPath: string;
  patients: number;
  /** Which stores join, in turn, each after the clinic is set up once (a worker and a page store by default; the same store several times for the spread between runs). */
  stores?: readonly ('worker' | 'page')[];
  /** When given, each joining page's JavaScript is profiled into `<dir>/first-pull-<store>.cpuprofile` (the figures are then not for the record). */
  profileDir?: string;
  progress(line: string): void;
}

export interface FirstPullBenchResult {
  /** The last join of each store. */
  worker?: FirstPullFigures;
  page?: FirstPullFigures;
  /** Every join, in order. */
  joins: { store: 'worker' | 'page'; figures: FirstPullFigures }[];
}

export async function runFirstPullBench(options: FirstPullBenchOptions): Promise<FirstPullBenchResult> {
  const { patients } = options;
  const progress = (line: string) => options.progress(line);
  const hub = await startHubProcess();
  const pageOrigin = new URL(options.pageUrl).origin;
  const workstations: BenchWorkstation[] = [];
  const browser = await chromium.launch({
    executablePath: options.chromiumPath,
    args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const openWorkstation = async (): Promise<{ page: Page; line: HubLine }> => {
    const main = await serveBenchWorkstation(pageOrigin);
    workstations.push(main);
    const page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(0);
    await page.exposeFunction('syncProgress', (line: string) => progress(line));
    await page.goto(options.pageUrl);
    await page.waitForFunction(() => 'benchmarks' in globalThis);
    return { page, line: { url: main.url, token: main.token, hubUrl: hub.url } };
  };
  try {
    const clinicId = hub.admin('create-clinic', '--name', 'Bench clinic').stdout;
    const seeding = await openWorkstation();
    progress(`first pull: setting up a clinic of ${patients} patients on the hub…`);
    const stores = options.stores ?? ['worker', 'page'];
    await seeding.page.evaluate(([line, code, n, joins]) => window.benchmarks.firstPullSeed(line, code, n, joins), [seeding.line, hub.admin('issue-code', '--clinic', clinicId).stdout, patients, stores.length] as const);
    const joinWith = async (store: 'worker' | 'page'): Promise<FirstPullFigures> => {
      const code = await seeding.page.evaluate(() => window.benchmarks.firstPullCode());
      const joining = await openWorkstation();
      progress(`first pull: a workstation joins, its store ${store === 'worker' ? 'in the data worker' : "on the screens' thread"}…`);
      const figures = await profiled(joining.page, options.profileDir, `first-pull-${store}`, () =>
        joining.page.evaluate(([s, line, c, n]) => window.benchmarks.firstPull(s, line, c, n), [store, joining.line, code, patients] as const),
      );
      progress(`first pull (${store}): ${Math.round(figures.pullMs)} ms, ${figures.searching.longTasks.count} long tasks while searching, search p95 ${figures.searching.keystrokes.p95Ms.toFixed(1)} ms`);
      await joining.page.context().close();
      return figures;
    };
    const result: FirstPullBenchResult = { joins: [] };
    for (const store of stores) {
      const figures = await joinWith(store);
      result[store] = figures;
      result.joins.push({ store, figures });
    }
    return result;
  } finally {
    await browser.close().catch(() => undefined);
    for (const workstation of workstations) await workstation.close().catch(() => undefined);
    await hub.stop();
  }
}
