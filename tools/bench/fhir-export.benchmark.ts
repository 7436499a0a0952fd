import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import type { TransferResult } from '../../app/contract/data-api';
import type { RecordedObservation } from '../../app/observations/observation';
import type { Patient } from '../../app/patients/patient';
import { sealRecord } from '../../app/records/sealed-record';
import { visitsOf, type Visit } from '../../app/visits/visit';
import { openClinicDatabase } from '../../renderer/store/database';
import type { Session } from '../../renderer/store/session';
import { createVault } from '../../renderer/store/vault';
import { startBenchDataWorker } from './bench-data-worker';
import { measured, passphrase, searcher, storeSealedPatients, syntheticPatients, type ResponsivenessFigures } from './responsiveness.benchmark';

/**
 * The FHIR export at clinic scale, on the benchmark page (driven by
 * fhir-export-runner.benchmark.ts): a clinic of N patients, each with two
 * visits of five readings, sealed into IndexedDB as the store holds them;
 * then the admin's NDJSON export through the real path (the data worker
 * reads, decrypts and maps; the main process writes the files), with a
 * search every 50 ms on the screens' thread; and the same records as plain
 * `JSON.stringify` lines, the ceiling no export can pass.
 */

const kinds = [
  { kind: 'pulse', code: '8867-4', unit: '/min', value: (i: number) => 60 + (i % 40) },
  { kind: 'spo2', code: '59408-5', unit: '%', value: (i: number) => 90 + (i % 10) },
  { kind: 'systolic', code: '8480-6', unit: 'mm[Hg]', value: (i: number) => 100 + (i % 60) },
  { kind: 'diastolic', code: '8462-4', unit: 'mm[Hg]', value: (i: number) => 60 + (i % 30) },
  { kind: 'bodyTemperature', code: '8310-5', unit: 'Cel', value: (i: number) => 36 + (i % 20) / 10 },
] as const;

export const readingsPerPatient = 10;

/** A patient's readings: two visits of five, a month apart, as the seeding writes them. */
export function readingsOf(patient: Patient, index: number, userId: string): RecordedObservation[] {
  return Array.from({ length: readingsPerPatient }, (_, i): RecordedObservation => {
    const { kind, code, unit, value } = kinds[i % kinds.length]!;
    const at = Date.UTC(2026, 0, 1) + (index % 300) * 86_400_000 + Math.floor(i / kinds.length) * 30 * 86_400_000;
    return {
      id: `obs-${index.toString(16)}-${i}`,
      patientId: patient.id,
      kind,
      code,
      unit,
      value: value(index + i),
      effectiveAt: new Date(at).toISOString(),
      recordedAt: new Date(at + 60_000).toISOString(),
      recordedBy: userId,
      source: { type: 'manual' },
      ...(kind === 'spo2' ? { onOxygen: false } : {}),
    };
  });
}

async function visitsOfPatient(readings: readonly RecordedObservation[], userId: string): Promise<Visit[]> {
  return (await Promise.all([readings.slice(0, kinds.length), readings.slice(kinds.length)].map((part) => visitsOf(part, userId)))).flat();
}

export interface ExportSeedResult {
  patients: number;
  readings: number;
  visits: number;
  ms: number;
}

/** Seals the clinic into the store the app opens (database `clinic`), then locks it; setup, not measured as the export. */
export async function seedExportClinic(count: number, progress: (line: string) => void): Promise<ExportSeedResult> {
  const started = performance.now();
  const patients = syntheticPatients(count);
  const db = await openClinicDatabase(getRxStorageDexie());
  const vault = await createVault(db);
  await vault.setupClinic({ clinicName: 'Benchmark Clinic', displayName: 'Bench Admin', username: 'bench', passphrase });
  if (vault.state.status !== 'unlocked') throw new Error('setup did not unlock');
  const session: Session = vault.state.session;
  await storeSealedPatients(db, session, patients);
  let readings = 0;
  let visits = 0;
  let hlc = 0;
  const stamp = () => `${String(Date.now()).padStart(15, '0')}-${String(hlc++ % 100000).padStart(5, '0')}-bench`;
  for (let i = 0; i < patients.length; i += 200) {
    const records = [];
    for (const [j, patient] of patients.slice(i, i + 200).entries()) {
      const own = readingsOf(patient, i + j, session.userId);
      for (const reading of own) records.push(sealRecord(session.dataKey, { id: reading.id, type: 'observation', clinicId: session.clinicId, subject: patient.id, updatedAt: Date.now(), hlc: stamp(), deleted: false }, reading));
      for (const visit of await visitsOfPatient(own, session.userId)) {
        records.push(sealRecord(session.dataKey, { id: visit.id, type: 'visit', clinicId: session.clinicId, subject: patient.id, updatedAt: Date.now(), hlc: stamp(), deleted: false }, visit));
        visits++;
      }
      readings += own.length;
    }
    await db.records.bulkInsert(await Promise.all(records));
    if ((i / 200) % 50 === 0) progress(`fhir-export: sealed ${i + 200} of ${patients.length} patients' readings`);
  }
  await vault.lock();
  await db.close();
  return { patients: count, readings, visits, ms: performance.now() - started };
}

export interface ExportRunResult {
  loginMs: number;
  export: ResponsivenessFigures;
  resources: number;
  files: string[];
  exportId: string;
}

/** Logs in through the data worker (its line to the real main process), then exports everything as NDJSON while searching. */
export async function runExport(url: string, token: string, count: number, progress: (line: string) => void): Promise<ExportRunResult> {
  const client = await startBenchDataWorker({ kind: 'websocket', url, token });
  try {
    const loginStarted = performance.now();
    await client.call('vault.login', { username: 'bench', passphrase });
    const loginMs = performance.now() - loginStarted;
    const patients = syntheticPatients(Math.min(count, 5000));
    let result: TransferResult | undefined;
    let reported = 0;
    const figures = await measured(
      async () => {
        result = await client.call('export.run', { format: 'ndjson', scope: { kind: 'all' } }, {
          onProgress: (done, total) => {
            if (done - reported >= total / 20) {
              reported = done;
              progress(`fhir-export: ${done} of ${total} patients exported`);
            }
          },
        });
      },
      searcher(patients, (query) => client.call('patients.search', { query, limit: 10 })),
    );
    if (result?.destination !== 'folder') throw new Error('the export went elsewhere');
    await client.call('vault.lock', { reason: 'user' });
    return { loginMs, export: figures, resources: result.resources, files: result.files, exportId: result.exportId };
  } finally {
    client.close();
  }
}

export interface StringifyCeiling {
  records: number;
  characters: number;
  ms: number;
}

/** The same records as plain `JSON.stringify` lines, made again from the seed (only the stringifying is timed). */
export async function stringifyCeiling(count: number): Promise<StringifyCeiling> {
  const patients = syntheticPatients(count);
  let ms = 0;
  let records = 0;
  let characters = 0;
  for (let i = 0; i < patients.length; i += 1000) {
    const batch: unknown[] = [];
    for (const [j, patient] of patients.slice(i, i + 1000).entries()) {
      const own = readingsOf(patient, i + j, 'user-bench');
      batch.push(patient, ...own, ...(await visitsOfPatient(own, 'user-bench')));
    }
    const started = performance.now();
    for (const record of batch) characters += JSON.stringify(record).length + 1;
    ms += performance.now() - started;
    records += batch.length;
  }
  return { records, characters, ms };
}
