// The page `npm run bench` drives in Chromium: the benchmarks run where the
// code ships (the renderer), against real IndexedDB.
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { runPatientIndexBenchmark } from '../../app/search/patient-index.benchmark';
import { runVaultBenchmark } from '../../renderer/store/vault.benchmark';

declare global {
  interface Window {
    benchmarks: {
      patientIndex(count: number): ReturnType<typeof runPatientIndexBenchmark>;
      vault(count: number): ReturnType<typeof runVaultBenchmark>;
    };
  }
}

window.benchmarks = {
  patientIndex: (count) => runPatientIndexBenchmark(count),
  vault: (count) => runVaultBenchmark(getRxStorageDexie(), count, `bench${Date.now()}`),
};
