// The page `npm run bench` drives in Chromium: the benchmarks run where the
// code ships (the renderer), against real IndexedDB.
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { runPatientIndexBenchmark } from '../../app/search/patient-index.benchmark';
import type { HubCaller } from '../../sync/client/hub-fetch';
import * as sync from '../../renderer/store/sync.benchmark';
import { runVaultBenchmark } from '../../renderer/store/vault.benchmark';
import { firstPullInWorker, firstPullOnPage, issueJoinCode, seedHubClinic, type FirstPullFigures, type HubLine } from './first-pull.benchmark';
import { runExport, seedExportClinic, stringifyCeiling, type ExportRunResult, type ExportSeedResult, type StringifyCeiling } from './fhir-export.benchmark';
import { connectToMain } from './main-line';
import { runBrowserPouchReference, type BrowserPouchResult, type BrowserPouchTarget } from './pouchdb-browser.benchmark';
import { runResponsivenessBenchmark } from './responsiveness.benchmark';

declare global {
  interface Window {
    benchmarks: {
      patientIndex(count: number): ReturnType<typeof runPatientIndexBenchmark>;
      vault(count: number): ReturnType<typeof runVaultBenchmark>;
      /** The screens' thread while the data layer works (responsiveness.benchmark.ts). */
      responsiveness(count: number): ReturnType<typeof runResponsivenessBenchmark>;
      /** The screens' thread during a first pull from a hub (first-pull.benchmark.ts). */
      /** Sets the clinic up with `count` patients and issues a join code for each of the `joins` workstations to come. */
      firstPullSeed(line: HubLine, code: string, count: number, joins: number): Promise<void>;
      firstPullCode(): Promise<string>;
      firstPull(store: 'worker' | 'page', line: HubLine, code: string, count: number): Promise<FirstPullFigures>;
      /** hub-sync (tools/bench/hub-sync.benchmark.ts), one store per name. */
      syncOpen(name: string, target: sync.SyncBenchTarget): Promise<void>;
      /** The store's link to its main process: the app's own WebSocket API (browser mode), which carries `hub.request`. */
      syncConnect(name: string, url: string, token: string): Promise<void>;
      syncSeed(name: string, count: number): ReturnType<typeof sync.seedSyncBenchRecords>;
      syncPush(name: string, count: number, capMs: number): Promise<sync.SyncPhaseResult>;
      syncPull(name: string, count: number, capMs: number): Promise<sync.SyncPhaseResult>;
      syncIdle(name: string): Promise<sync.RequestTally>;
      syncWatch(name: string): void;
      syncEdit(name: string, index: number, edit: number): Promise<string>;
      syncClose(name: string): Promise<void>;
      /** The FHIR export at clinic scale (fhir-export.benchmark.ts): seed, export through the data worker and the main process, the JSON.stringify ceiling. */
      fhirExportSeed(count: number): Promise<ExportSeedResult>;
      fhirExportRun(url: string, token: string, count: number): Promise<ExportRunResult>;
      fhirExportCeiling(count: number): Promise<StringifyCeiling>;
      /** hub-sync's reference in the browser: PouchDB on IndexedDB, talking to the hub itself (pouchdb-browser.benchmark.ts). */
      pouchReference(target: BrowserPouchTarget): Promise<BrowserPouchResult>;
    };
    /** Bindings the hub-sync benchmark exposes: its clocks and progress lines (not on the sync path). */
    syncArrived?(id: string, hlc: string): Promise<void>;
    syncWriting?(hlc: string): Promise<void>;
    syncProgress?(line: string): Promise<void>;
  }
}

function binding<K extends 'syncArrived' | 'syncWriting'>(name: K): NonNullable<Window[K]> {
  const fn = window[name];
  if (!fn) throw new Error(`the benchmark runner did not expose ${name}`);
  return fn;
}

const progress = (line: string) => void window.syncProgress?.(line);

const hubCallers = new Map<string, HubCaller>();
function hubCaller(name: string): HubCaller {
  const call = hubCallers.get(name);
  if (!call) throw new Error(`${name} is not connected to its main process`);
  return call;
}

async function connect(name: string, url: string, token: string): Promise<void> {
  const api = await connectToMain(url, token);
  hubCallers.set(name, (request) => api.call('hub.request', request));
}

window.benchmarks = {
  patientIndex: (count) => runPatientIndexBenchmark(count),
  vault: (count) => runVaultBenchmark(getRxStorageDexie(), count, `bench${Date.now()}`),
  responsiveness: (count) => runResponsivenessBenchmark(count),
  firstPullSeed: (line, code, count, joins) => seedHubClinic(line, code, count, joins, progress),
  firstPullCode: () => issueJoinCode(),
  firstPull: (store, line, code, count) => (store === 'worker' ? firstPullInWorker(line, code, count) : firstPullOnPage(line, code, count)),
  syncOpen: (name, target) => sync.openSyncBenchStore(getRxStorageDexie(), name, target),
  syncSeed: (name, count) => sync.seedSyncBenchRecords(name, count),
  syncConnect: (name, url, token) => connect(name, url, token),
  syncPush: (name, count, capMs) => sync.timeInitialPush(name, count, hubCaller(name), { capMs, progress }),
  syncPull: (name, count, capMs) => sync.timeInitialPull(name, count, hubCaller(name), { capMs, progress }),
  syncIdle: (name) => sync.awaitSyncBenchIdle(name),
  syncWatch: (name) => sync.watchSyncBenchArrivals(name, (id, hlc) => void binding('syncArrived')(id, hlc)),
  syncEdit: (name, index, edit) => sync.editSyncBenchRecord(name, index, edit, binding('syncWriting')),
  syncClose: (name) => sync.closeSyncBenchStore(name),
  pouchReference: (target) => runBrowserPouchReference(target, progress),
  fhirExportSeed: (count) => seedExportClinic(count, progress),
  fhirExportRun: (url, token, count) => runExport(url, token, count, progress),
  fhirExportCeiling: (count) => stringifyCeiling(count),
};
