import type { RxStorage } from 'rxdb';
import { generateDataKey } from '../../app/crypto/keys';
import { createHlcClock } from '../../app/records/hlc';
import type { Databases } from '../../app/replication/replicated-collections';
import { sealRecord, type SealedRecord } from '../../app/records/sealed-record';
import { startClinicSync, type ClinicSync } from '../../sync/client/clinic-sync';
import type { HubCaller, HubRequest } from '../../sync/client/hub-fetch';
import { openClinicDatabase, type ClinicDatabase } from './database';

/**
 * Hub sync at clinic scale, in the runtime it ships in (the page, RxDB on
 * IndexedDB through Dexie, the real sync client). The hub is reached as in
 * the product, through a caller the host provides (`hub.request` over the
 * WebSocket/IPC API in the app; a Playwright binding to the same hub link in
 * the benchmark). Node drives these steps and owns the clocks that span two
 * pages (tools/bench/hub-sync-bench.ts).
 */

export interface SyncBenchTarget {
  hubId: string;
  databases: Databases;
  clinicId: string;
  workstationId: string;
}

/**
 * Per kind of hub request, as the page saw it (through the caller, so including the hop to the host).
 * `docs`: documents sent (`_bulk_docs`), asked for (`_all_docs`) or received (`_changes`); `stored`: of
 * those sent, the ones the hub answered `ok` for.
 */
export type RequestTally = Record<string, { count: number; ms: number; bytesOut: number; bytesIn: number; docs: number; stored: number }>;

export interface SyncPhaseResult {
  /** How many the hub had acknowledged (push) or were stored here (pull) when the phase ended. */
  docs: number;
  /** All of them (false: the time cap ended the phase). */
  finished: boolean;
  ms: number;
  /** Push: after `ms`, until the client's own status showed nothing pending (it counts at most once a second). */
  pendingClearedMs?: number;
  requests: RequestTally;
}

interface OpenStore {
  db: ClinicDatabase;
  target: SyncBenchTarget;
  clock: ReturnType<typeof createHlcClock>;
  dataKey?: CryptoKey;
  sync?: ClinicSync;
  tally: RequestTally;
  stopWatching?: () => void;
}

const stores = new Map<string, OpenStore>();
const sealBatch = 2000;
const pollMs = 50;
/** Reading a counter in the page: no request. */
const ackPollMs = 10;

export const syncBenchRecordId = (i: number) => `obs-bench-${String(i).padStart(6, '0')}`;

/** The kind of a replication request, for the tally (`doc_count` polls of the benchmark itself are `bench-poll`). */
export function kindOf(request: HubRequest): string {
  const [path, query = ''] = request.path.split('?');
  const tail = path!.split('/').slice(2).join('/');
  if (tail === '') return `${request.method} db`;
  if (tail === '_changes') return `${request.method} _changes${/feed=longpoll/.test(query) ? ' (live)' : ''}`;
  return `${request.method} ${tail.startsWith('_local/') ? '_local' : tail}`;
}

function docsIn(kind: string, request: HubRequest, body: string): number {
  try {
    if (kind === 'POST _bulk_docs') return (JSON.parse(request.body ?? '{}') as { docs?: unknown[] }).docs?.length ?? 0;
    if (kind.includes(' _changes')) return (JSON.parse(body) as { results?: unknown[] }).results?.length ?? 0;
    if (kind === 'POST _all_docs') return (JSON.parse(request.body ?? '{}') as { keys?: unknown[] }).keys?.length ?? 0;
  } catch {
    return 0;
  }
  return 0;
}

/** `_bulk_docs` answers one row per document; `ok` means the hub has it. */
function storedIn(body: string): number {
  try {
    return (JSON.parse(body) as { ok?: boolean }[]).filter((row) => row.ok === true).length;
  } catch {
    return 0;
  }
}

function tallied(call: HubCaller, tally: RequestTally): HubCaller {
  return async (request) => {
    const kind = kindOf(request);
    const started = performance.now();
    const answer = await call(request);
    const entry = (tally[kind] ??= { count: 0, ms: 0, bytesOut: 0, bytesIn: 0, docs: 0, stored: 0 });
    entry.count++;
    entry.ms += performance.now() - started;
    entry.bytesOut += request.body?.length ?? 0;
    entry.bytesIn += answer.body.length;
    entry.docs += docsIn(kind, request, answer.body);
    if (kind === 'POST _bulk_docs' && answer.status === 201) entry.stored += storedIn(answer.body);
    return answer;
  };
}

const resetTally = (tally: RequestTally) => {
  for (const key of Object.keys(tally)) delete tally[key];
};
const copyTally = (tally: RequestTally): RequestTally => structuredClone(tally);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function store(name: string): OpenStore {
  const open = stores.get(name);
  if (!open) throw new Error(`no benchmark store ${name}`);
  return open;
}

export async function openSyncBenchStore(storage: RxStorage<unknown, unknown>, name: string, target: SyncBenchTarget): Promise<void> {
  const db = await openClinicDatabase(storage, name);
  stores.set(name, { db, target, clock: createHlcClock(target.workstationId), tally: {} });
}

/** ~600-byte sealed readings, as the store writes them (the fault run's shape); not timed. */
export async function seedSyncBenchRecords(name: string, count: number): Promise<{ docs: number; ms: number; bytes: number }> {
  const open = store(name);
  const dataKey = (open.dataKey ??= await generateDataKey());
  const started = performance.now();
  let bytes = 0;
  const base = Date.now() - count;
  for (let from = 0; from < count; from += sealBatch) {
    const records = await Promise.all(
      Array.from({ length: Math.min(sealBatch, count - from) }, (_, j) => {
        const i = from + j;
        const at = base + i;
        return sealRecord(
          dataKey,
          { id: syncBenchRecordId(i), type: 'observation', clinicId: open.target.clinicId, subject: `pat-bench-${i % 5000}`, updatedAt: at, hlc: `${String(at).padStart(15, '0')}-00000-${open.target.workstationId}`, deleted: false },
          { kind: 'spo2', value: 90 + (i % 10), unit: '%', effectiveAt: new Date(at).toISOString(), source: { kind: 'manual' }, note: 'x'.repeat(200) },
        );
      }),
    );
    for (const record of records) bytes += JSON.stringify(record).length;
    const result = await open.db.records.bulkInsert(records);
    if (result.error.length > 0) throw new Error(`${result.error.length} records were not stored`);
  }
  return { docs: count, ms: performance.now() - started, bytes };
}

function startSync(open: OpenStore, call: HubCaller): ClinicSync {
  const sync = startClinicSync({
    collections: { records: { collection: open.db.records }, staff: { collection: open.db.staff }, facilities: { collection: open.db.facilities } },
    hubId: open.target.hubId,
    databases: open.target.databases,
    call: tallied(call, open.tally),
    clockNode: open.target.workstationId,
    observeClock: (hlc) => open.clock.observe(hlc),
    lastSyncedAt: null,
    saveLastSyncedAt: () => undefined,
    waitForLeadership: false,
    // Nobody uses these workstations' screens here: they pull as an unattended workstation does
    // (tools/bench/first-pull.benchmark.ts measures one whose nurse searches during the pull).
    screensInUse: () => false,
  });
  open.sync = sync;
  return sync;
}

async function hubDocCount(call: HubCaller, database: string): Promise<number> {
  const answer = await call({ method: 'GET', path: `/${database}` });
  if (answer.status !== 200) throw new Error(`GET /${database}: ${answer.status}`);
  return (JSON.parse(answer.body) as { doc_count: number }).doc_count;
}

export interface PhaseOptions {
  /** Gives up after this long (the result then says how far it got). */
  capMs: number;
  progress?: (line: string) => void;
}

/**
 * The initial push: replication starts on a store holding `count` records the
 * hub has never seen; done when the hub has answered `ok` for all of them
 * (its `_bulk_docs` answers, counted as they reach the page). The hub's
 * `doc_count` then confirms it (not timed), and the time until the client's
 * status shows nothing pending is reported beside it.
 */
export async function timeInitialPush(name: string, count: number, call: HubCaller, { capMs, progress }: PhaseOptions): Promise<SyncPhaseResult> {
  const open = store(name);
  resetTally(open.tally);
  const stored = () => open.tally['POST _bulk_docs']?.stored ?? 0;
  const started = performance.now();
  const sync = startSync(open, call);
  let reported = started;
  while (stored() < count && performance.now() - started < capMs) {
    await sleep(ackPollMs);
    if (performance.now() - reported > 10_000) {
      reported = performance.now();
      progress?.(`${stored()} on the hub after ${((reported - started) / 1000).toFixed(0)} s`);
    }
  }
  const ms = performance.now() - started;
  const requests = copyTally(open.tally);
  if (stored() < count) return { docs: stored(), finished: false, ms, requests };
  const onHub = await hubDocCount(call, open.target.databases.records);
  if (onHub < count) throw new Error(`the hub acknowledged ${stored()} documents but holds ${onHub}`);
  while (sync.status().pending > 0 && performance.now() - started < capMs) await sleep(pollMs);
  return { docs: count, finished: true, ms, pendingClearedMs: performance.now() - started - ms, requests };
}

/** The initial pull: replication starts on an empty store; done when `count` records are stored here. */
export async function timeInitialPull(name: string, count: number, call: HubCaller, { capMs, progress }: PhaseOptions): Promise<SyncPhaseResult> {
  const open = store(name);
  resetTally(open.tally);
  const arrived = new Set<string>();
  let done: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (done = resolve));
  const started = performance.now();
  let reported = started;
  const subscription = open.db.records.$.subscribe((event) => {
    if (event.operation !== 'INSERT') return;
    arrived.add(event.documentId);
    if (arrived.size >= count) done();
    else if (performance.now() - reported > 10_000) {
      reported = performance.now();
      progress?.(`${arrived.size} stored after ${((reported - started) / 1000).toFixed(0)} s`);
    }
  });
  startSync(open, call);
  await Promise.race([all, sleep(capMs)]);
  const ms = performance.now() - started;
  subscription.unsubscribe();
  return { docs: arrived.size, finished: arrived.size >= count, ms, requests: copyTally(open.tally) };
}

/** Resolves once this store's replication has nothing left to move either way. */
export async function awaitSyncBenchIdle(name: string): Promise<RequestTally> {
  const open = store(name);
  await open.sync?.awaitInSync();
  return copyTally(open.tally);
}

/** Reports every changed record that arrives from the hub (id and clock) to `report`. */
export function watchSyncBenchArrivals(name: string, report: (id: string, hlc: string) => void): void {
  const open = store(name);
  open.stopWatching?.();
  const subscription = open.db.records.$.subscribe((event) => {
    if (event.operation === 'UPDATE') report(event.documentId, event.documentData.hlc);
  });
  open.stopWatching = () => subscription.unsubscribe();
}

/**
 * One edit as a workstation makes it: the record re-sealed with a new payload
 * and a new clock value, then written. `beforeWrite` runs after sealing and
 * immediately before the write (the host starts its clock there).
 */
export async function editSyncBenchRecord(name: string, index: number, edit: number, beforeWrite: (hlc: string) => Promise<void>): Promise<string> {
  const open = store(name);
  if (!open.dataKey) throw new Error('this store did not seed the records, so it has no key to re-seal them');
  const at = Date.now();
  const hlc = open.clock.tick();
  const record: SealedRecord = await sealRecord(
    open.dataKey,
    { id: syncBenchRecordId(index), type: 'observation', clinicId: open.target.clinicId, subject: `pat-bench-${index % 5000}`, updatedAt: at, hlc, deleted: false },
    { kind: 'spo2', value: 80 + (edit % 20), unit: '%', effectiveAt: new Date(at).toISOString(), source: { kind: 'manual' }, note: `edit ${edit} ${'x'.repeat(190)}` },
  );
  await beforeWrite(hlc);
  await open.db.records.upsert(record);
  return hlc;
}

export async function closeSyncBenchStore(name: string, remove = true): Promise<void> {
  const open = stores.get(name);
  if (!open) return;
  stores.delete(name);
  open.stopWatching?.();
  await open.sync?.stop();
  if (remove) await open.db.remove();
  else await open.db.close();
}
