// The page `npm run bench` drives in Chromium: the benchmarks run where the
// code ships (the renderer), against real IndexedDB.
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { runPatientIndexBenchmark } from '../../app/search/patient-index.benchmark';
import type { HubRequest } from '../../sync/client/hub-fetch';
import * as sync from '../../renderer/store/sync.benchmark';
import { runVaultBenchmark } from '../../renderer/store/vault.benchmark';

declare global {
  interface Window {
    benchmarks: {
      patientIndex(count: number): ReturnType<typeof runPatientIndexBenchmark>;
      vault(count: number): ReturnType<typeof runVaultBenchmark>;
      /** hub-sync (tools/bench/hub-sync-bench.ts), one store per name. */
      syncOpen(name: string, target: sync.SyncBenchTarget): Promise<void>;
      syncSeed(name: string, count: number): ReturnType<typeof sync.seedSyncBenchRecords>;
      syncPush(name: string, count: number, capMs: number): Promise<sync.SyncPhaseResult>;
      syncPull(name: string, count: number, capMs: number): Promise<sync.SyncPhaseResult>;
      syncIdle(name: string): Promise<sync.RequestTally>;
      syncWatch(name: string): void;
      syncEdit(name: string, index: number, edit: number): Promise<string>;
      syncClose(name: string): Promise<void>;
    };
    /** Bindings the hub-sync benchmark exposes: the hub link (as `hub.request`), and its clocks. */
    hubCall?(request: HubRequest): Promise<{ status: number; body: string }>;
    syncArrived?(id: string, hlc: string): Promise<void>;
    syncWriting?(hlc: string): Promise<void>;
    syncProgress?(line: string): Promise<void>;
  }
}

function binding<K extends 'hubCall' | 'syncArrived' | 'syncWriting'>(name: K): NonNullable<Window[K]> {
  const fn = window[name];
  if (!fn) throw new Error(`the benchmark runner did not expose ${name}`);
  return fn;
}

const progress = (line: string) => void window.syncProgress?.(line);

window.benchmarks = {
  patientIndex: (count) => runPatientIndexBenchmark(count),
  vault: (count) => runVaultBenchmark(getRxStorageDexie(), count, `bench${Date.now()}`),
  syncOpen: (name, target) => sync.openSyncBenchStore(getRxStorageDexie(), name, target),
  syncSeed: (name, count) => sync.seedSyncBenchRecords(name, count),
  syncPush: (name, count, capMs) => sync.timeInitialPush(name, count, binding('hubCall'), { capMs, progress }),
  syncPull: (name, count, capMs) => sync.timeInitialPull(name, count, binding('hubCall'), { capMs, progress }),
  syncIdle: (name) => sync.awaitSyncBenchIdle(name),
  syncWatch: (name) => sync.watchSyncBenchArrivals(name, (id, hlc) => void binding('syncArrived')(id, hlc)),
  syncEdit: (name, index, edit) => sync.editSyncBenchRecord(name, index, edit, binding('syncWriting')),
  syncClose: (name) => sync.closeSyncBenchStore(name),
};
