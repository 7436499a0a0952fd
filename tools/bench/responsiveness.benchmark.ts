import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import type { Patient } from '../../app/patients/patient';
import { sealRecord } from '../../app/records/sealed-record';
import { generateSyntheticPatients, misspeltNameQuery, seededRandom } from '../../app/search/synthetic-patients';
import type { DataClient } from '../../renderer/data-client/data-client';
import { openClinicDatabase, type ClinicDatabase } from '../../renderer/store/database';
import type { Session } from '../../renderer/store/session';
import { createVault, type Vault } from '../../renderer/store/vault';
import { startBenchDataWorker } from './bench-data-worker';

/**
 * How the screens' thread fares while the data layer works hard: the first
 * unlock of a workstation with N patients (every record decrypted and
 * indexed), and a sealed insert of 10,000 readings. Measured twice in one
 * page, on the same IndexedDB: with the store on the screens' thread (as
 * before issue 13: `page`), and in the data worker (`worker`).
 *
 * - Long tasks: the screens' thread's `longtask` entries (over 50 ms) while
 *   the operation runs; a person's typing waits that long.
 * - Keystrokes: every 50 ms a "keystroke" is scheduled on the screens'
 *   thread; its latency is from when it was due to when its work was done:
 *   for a search (unlocked), until the results were in hand.
 */
export interface ResponsivenessFigures {
  ms: number;
  longTasks: { count: number; maxMs: number; totalMs: number };
  keystrokes: { count: number; p50Ms: number; p95Ms: number; maxMs: number };
}

export interface ResponsivenessResult {
  patients: number;
  readings: number;
  page: { firstUnlock: ResponsivenessFigures; insertReadings: ResponsivenessFigures };
  worker: { firstUnlock: ResponsivenessFigures; insertReadings: ResponsivenessFigures };
}

export const passphrase = 'benchmark passphrase one';
const keystrokeEveryMs = 50;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;

/** Runs `work` while recording long tasks and keystroke latencies on this thread; `keystroke` is what one keystroke does. */
export async function measured(work: () => Promise<unknown>, keystroke: () => unknown): Promise<ResponsivenessFigures> {
  const longTasks: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration);
  });
  observer.observe({ type: 'longtask' });
  const latencies: number[] = [];
  let running = true;
  const typing = (async () => {
    while (running) {
      const due = performance.now() + keystrokeEveryMs;
      await new Promise((resolve) => setTimeout(resolve, keystrokeEveryMs));
      await keystroke();
      latencies.push(performance.now() - due);
    }
  })();
  const started = performance.now();
  await work();
  const ms = performance.now() - started;
  running = false;
  await typing;
  // Entries of the last task are delivered after it ends.
  await new Promise((resolve) => setTimeout(resolve, 100));
  observer.disconnect();
  latencies.sort((a, b) => a - b);
  return {
    ms,
    longTasks: { count: longTasks.length, maxMs: Math.max(0, ...longTasks), totalMs: longTasks.reduce((a, b) => a + b, 0) },
    keystrokes: { count: latencies.length, p50Ms: percentile(latencies, 50), p95Ms: percentile(latencies, 95), maxMs: latencies.at(-1) ?? 0 },
  };
}

export function syntheticPatients(count: number): Patient[] {
  const at = new Date().toISOString();
  return generateSyntheticPatients(count, 7).map((e) => ({
    id: e.id,
    clinicNumber: e.clinicNumber,
    givenNames: e.givenNames,
    familyName: e.familyName,
    sex: e.sex,
    birthDate: `${e.birthYear ?? 1980}-06-15`,
    phone: e.phone,
    village: e.village,
    nationalId: e.nationalId,
    createdAt: at,
    updatedAt: at,
  }));
}

function readingDrafts(patientId: string, userId: string, count: number, prefix: string): unknown[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}-${i}`,
    patientId,
    kind: 'spo2',
    code: '59408-5',
    value: 90 + (i % 10),
    unit: '%',
    effectiveAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    recordedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000 + 5000).toISOString(),
    recordedBy: userId,
    source: { type: 'manual' },
    onOxygen: false,
  }));
}

/** A keystroke of the search box: a misspelt name, searched. */
export function searcher(patients: Patient[], search: (query: string) => unknown) {
  const random = seededRandom(11);
  return () => {
    for (;;) {
      const target = patients[Math.floor(random() * patients.length)]!;
      const query = misspeltNameQuery(target, random);
      if (query) return search(query);
    }
  };
}

/** Seals the patients as the store does and writes them straight into its records (setup, not measured). */
export async function storeSealedPatients(db: ClinicDatabase, session: Session, patients: readonly Patient[]): Promise<void> {
  for (let i = 0; i < patients.length; i += 1000) {
    const records = await Promise.all(
      patients.slice(i, i + 1000).map((p, j) =>
        sealRecord(session.dataKey, { id: p.id, type: 'patient', clinicId: session.clinicId, subject: p.id, updatedAt: Date.now(), hlc: `${String(Date.now()).padStart(15, '0')}-${String((i + j) % 100000).padStart(5, '0')}-bench`, deleted: false }, p),
      ),
    );
    await db.records.bulkInsert(records);
  }
}

/** Seeds the clinic store (database `clinic`, as the app names it) with N sealed patients; returns the store closed and locked. */
async function seed(patients: Patient[]): Promise<void> {
  const db = await openClinicDatabase(getRxStorageDexie());
  const vault = await createVault(db);
  await vault.setupClinic({ clinicName: 'Benchmark Clinic', displayName: 'Bench Admin', username: 'bench', passphrase });
  if (vault.state.status !== 'unlocked') throw new Error('setup did not unlock');
  await storeSealedPatients(db, vault.state.session, patients);
  await vault.lock();
  await db.close();
}

/** Drops the sealed index snapshot, so the next unlock is a first unlock (every record opened). */
async function forgetSnapshot(): Promise<void> {
  const db = await openClinicDatabase(getRxStorageDexie());
  await (await db.local.findOne('patient-index-snapshot').exec())?.remove();
  await db.close();
}

async function onThePage(patients: Patient[], readings: number): Promise<ResponsivenessResult['page']> {
  const db = await openClinicDatabase(getRxStorageDexie());
  const vault: Vault = await createVault(db);
  // Locked during the unlock: a keystroke is the screens' own work (rendering what was typed), here a frame's wait.
  const firstUnlock = await measured(() => vault.login('bench', passphrase), () => undefined);
  if (vault.state.status !== 'unlocked') throw new Error('page: no unlock');
  const userId = vault.state.session.userId;
  // The capture screen holds a run's readings as they arrive; confirming sends them.
  const drafts = readingDrafts(patients[0]!.id, userId, readings, 'page');
  const insertReadings = await measured(
    () => vault.observations.record(drafts),
    searcher(patients, (query) => vault.patients.search(query, 10)),
  );
  await vault.lock();
  await db.close();
  return { firstUnlock, insertReadings };
}

async function inTheWorker(patients: Patient[], readings: number): Promise<ResponsivenessResult['worker']> {
  // No main process here: the worker's hub link never connects, so its sync waits, as on a workstation without a hub.
  const client: DataClient = await startBenchDataWorker({ kind: 'websocket', url: 'ws://127.0.0.1:9/api', token: 'none' });
  try {
    const firstUnlock = await measured(() => client.call('vault.login', { username: 'bench', passphrase }), () => undefined);
    const state = client.latest('state');
    if (state?.status !== 'unlocked') throw new Error('worker: no unlock');
    const drafts = readingDrafts(patients[0]!.id, state.session.userId, readings, 'worker');
    const insertReadings = await measured(
      () => client.call('observations.record', { drafts }),
      searcher(patients, (query) => client.call('patients.search', { query, limit: 10 })),
    );
    await client.call('vault.lock', { reason: 'user' });
    return { firstUnlock, insertReadings };
  } finally {
    client.close();
  }
}

export async function runResponsivenessBenchmark(count: number, readings = 10_000): Promise<ResponsivenessResult> {
  const patients = syntheticPatients(count);
  await seed(patients);
  await forgetSnapshot();
  const page = await onThePage(patients, readings);
  await forgetSnapshot();
  const worker = await inTheWorker(patients, readings);
  return { patients: count, readings, page, worker };
}
