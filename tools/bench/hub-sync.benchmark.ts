import { readFile, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import PouchDB, { type PouchDatabase } from 'pouchdb-node';
import { enrollmentProof } from '../../app/enrollment/enrollment-code';
import { createApiClient } from '../../app/contract/client';
import type { Workstation } from '../../main/compose';
import { hubLinkSchema, type HubRequest } from '../../main/hub/hub-link';
import { kindOf, type RequestTally, type SyncBenchTarget, type SyncPhaseResult } from '../../renderer/store/sync.benchmark';
import { basic, enrolled, startHubProcess, type HubProcess } from '../../sync/hub/test-support';
import { seededRandom } from '../../app/search/synthetic-patients';
import { serveBenchWorkstation } from './bench-workstation';
import { copyHubDocuments } from './copy-hub-documents';
import { profiled } from './cpu-profile';
import type { BrowserPouchResult } from './pouchdb-browser.benchmark';

/**
 * `npm run bench -- --only hub-sync` (scripts/bench.mjs bundles this file and
 * calls `runHubSyncBench`). One run, one hub process:
 *
 *   ours      two workstations, each a Chromium browser context (its own
 *             IndexedDB) on the benchmark page, RxDB on Dexie with the real
 *             sync client (renderer/store/sync.benchmark.ts), reaching the hub
 *             as the app in browser mode does: the app's WebSocket API
 *             (renderer/api/ws-transport.ts → main/host/ws-transport.ts) to
 *             its own main process (main/compose.ts, here in this Node
 *             process), whose hub link (main/hub/hub-link.ts) sends each
 *             `hub.request`. A pushes N sealed records (initial push),
 *             B pulls them into an empty store (initial pull), then A edits
 *             one record at a time while B watches (edit latency).
 *   PouchDB   the reference, on a second clinic of the same hub: the same N
 *             documents (read back from the hub, `_rev` removed) in a LevelDB
 *             PouchDB here, `PouchDB.replicate` to the hub and back into a
 *             fresh LevelDB PouchDB, with PouchDB's defaults (batches of 100).
 */

export interface HubSyncBenchOptions {
  pageUrl: string;
  chromiumPath: string;
  docs: number;
  edits: number;
  /** Pause between edits. */
  editGapMs: number;
  /** Each of our two phases gives up after this long (the figures then say how far it got). */
  capMs: number;
  /** When given, a CPU profile of A's page through the push and of B's through the pull is written here (`.cpuprofile`, for Chromium's DevTools). */
  profileDir?: string;
  progress(line: string): void;
}

export interface HubMemory {
  rssMiB: number;
  hwmMiB: number;
}

export interface DiskUse {
  /** Sum of file sizes. */
  bytes: number;
  /** Blocks allocated on disk. */
  allocatedBytes: number;
}

export interface Distribution {
  count: number;
  p50: number;
  p95: number;
  max: number;
  mean: number;
}

export interface PhaseFigures {
  /** Documents moved in `ms` (all of them unless the time cap ended the phase). */
  docs: number;
  finished: boolean;
  /** The page failed outright during the phase. */
  error?: string;
  ms: number;
  docsPerSecond: number;
  /** As the page saw each kind of request (through the WebSocket API), per kind. */
  pageRequests: RequestTally;
  /** The same requests as the main process handled them (validation and the hub round trip, without the page hop). */
  linkRequests: Record<string, { count: number; ms: number }>;
  /** The hub's own handling time per route kind, from its request log. */
  hubRequests: Record<string, { count: number; ms: number }>;
}

export interface HubSyncBenchResult {
  docs: number;
  docBytes: number;
  seconds: number;
  ours: {
    push: PhaseFigures;
    /** After the push was complete: until the client's status showed nothing pending (null: the push did not finish). */
    pendingClearedMs: number | null;
    /** After the push was complete: until A's replication was in step (`awaitInSync`). */
    echoSettleMs: number;
    /** A's requests from the start of the push until then. */
    echoRequests: RequestTally;
    pull: PhaseFigures;
    /** After B's last record was stored: until its replication was in step (`awaitInSync`). */
    pullSettleMs: number;
    pullSettled: boolean;
  };
  /** Reference in Node: PouchDB on LevelDB. */
  pouchdb: { push: PhaseFigures; pull: PhaseFigures };
  /** Reference in Chromium: PouchDB on IndexedDB, on the benchmark page, replicating with the hub directly. */
  pouchdbBrowser: { push: PhaseFigures; pull: PhaseFigures; copyMs: number };
  ratio: { push: number; pull: number };
  ratioToBrowser: { push: number; pull: number };
  edits: { count: number; gapMs: number; latencyMs: Distribution; lost: number };
  /** A workstation's page failed outright during a phase (then no edits are timed). */
  errors?: { push: string | null; pull: string | null };
  hub: {
    memoryIdle: HubMemory;
    memoryAfterPush: HubMemory;
    memoryEnd: HubMemory;
    diskAfterPush: DiskUse;
    diskEnd: DiskUse;
    /** At the end, per database folder under `databases/`, named by role. */
    diskByDatabase: Record<string, DiskUse>;
  };
  versions: { chromium: string; pouchdb: string; pouchdbBrowser: string; rxdb: string };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A phase that failed outright (a crashed page) is recorded as unfinished, with its error, and the run goes on. */
async function phase(run: () => Promise<SyncPhaseResult>): Promise<SyncPhaseResult & { error?: string }> {
  const started = performance.now();
  try {
    return await run();
  } catch (error) {
    return { docs: 0, finished: false, ms: performance.now() - started, requests: {}, error: error instanceof Error ? error.message.split('\n')[0] : String(error) };
  }
}

/** The promise's value, or undefined once `ms` have passed (the timer does not outlive the promise). */
async function within<T>(ms: number, promise: Promise<T>): Promise<T | undefined> {
  let cancel = () => {};
  const timeout = new Promise<undefined>((resolve) => {
    const timer = setTimeout(resolve, ms);
    cancel = () => clearTimeout(timer);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    cancel();
  }
}

async function hubMemory(pid: number): Promise<HubMemory> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
  return { rssMiB: kib('VmRSS') / 1024, hwmMiB: kib('VmHWM') / 1024 };
}

async function diskUse(path: string): Promise<DiskUse> {
  const info = await stat(path);
  if (!info.isDirectory()) return { bytes: info.size, allocatedBytes: info.blocks * 512 };
  const total: DiskUse = { bytes: 0, allocatedBytes: info.blocks * 512 };
  for (const entry of await readdir(path)) {
    const inner = await diskUse(join(path, entry));
    total.bytes += inner.bytes;
    total.allocatedBytes += inner.allocatedBytes;
  }
  return total;
}

function distribution(values: number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
  return { count: sorted.length, p50: at(50), p95: at(95), max: sorted.at(-1) ?? 0, mean: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length) };
}

type Tally = Record<string, { count: number; ms: number }>;

/** One workstation's requests in the hub's log since `from`, per route kind (method + kind), with the hub's own handling time. */
function hubTally(hub: HubProcess, from: number, workstationId: string): Tally {
  const tally: Tally = {};
  for (const line of hub.logs.slice(from)) {
    if (line.event !== 'http.request' || line.workstation !== workstationId) continue;
    const kind = `${String(line.method)} ${String(line.kind)}`;
    const entry = (tally[kind] ??= { count: 0, ms: 0 });
    entry.count++;
    entry.ms += typeof line.ms === 'number' ? line.ms : 0;
  }
  return tally;
}

/** Waits until the hub's log pipe has delivered what it logged so far. */
async function settledLogs(hub: HubProcess): Promise<number> {
  for (let seen = -1; seen !== hub.logs.length; ) {
    seen = hub.logs.length;
    await sleep(100);
  }
  return hub.logs.length;
}

/**
 * A workstation's main process as the app composes it (main/compose.ts, its
 * hub link enrolled through `hub.enroll`), serving the app's WebSocket API
 * (browser mode's transport, main/host/ws-transport.ts) that its page
 * connects to. Every `hub.request` is timed as the main process handles it
 * (validation and the hub round trip, without the page hop).
 */
async function workstationFor(hub: HubProcess, name: string, code: string, pageOrigin: string) {
  const tally: Tally = {};
  const timed = (workstation: Workstation): Pick<Workstation, 'dispatcher' | 'subscribe'> => ({
    dispatcher: {
      ...workstation.dispatcher,
      async handleText(text: string, context: Parameters<typeof workstation.dispatcher.handleText>[1]) {
        const started = performance.now();
        try {
          return await workstation.dispatcher.handleText(text, context);
        } finally {
          const request = hubRequestIn(text);
          if (request) {
            const entry = (tally[kindOf(request)] ??= { count: 0, ms: 0 });
            entry.count++;
            entry.ms += performance.now() - started;
          }
        }
      },
    },
    subscribe: (listener) => workstation.subscribe(listener),
  });
  const served = await serveBenchWorkstation(pageOrigin, timed);
  const { workstation } = served;
  const direct = createApiClient({ kind: 'websocket', send: (request) => workstation.dispatcher.handleValue(request, { transport: 'websocket' }), onEvent: () => () => undefined });
  await direct.call('hub.enroll', { hubUrl: hub.url, codeProof: await enrollmentProof(code), workstationName: `Bench ${name}` });
  const status = await direct.call('hub.status', {});
  if (!status.linked) throw new Error(`${name} did not link`);
  const credentials = hubLinkSchema.parse(JSON.parse(await readFile(join(served.dataDir, 'hub-link.json'), 'utf8')));
  const target: SyncBenchTarget = { hubId: status.hubId, databases: status.databases, clinicId: status.clinicId, workstationId: status.workstationId };
  return { target, credentials, tally, url: served.url, token: served.token, close: () => served.close() };
}

/** The `hub.request` a request text carries, read from its head (the client writes id, method, then params' method and path). */
function hubRequestIn(text: string): HubRequest | undefined {
  const match = /^\{"id":"[^"]*","method":"hub\.request","params":\{"method":"(GET|POST|PUT)","path":"([^"\\]*)"/.exec(text.slice(0, 2000));
  return match ? { method: match[1] as HubRequest['method'], path: match[2]! } : undefined;
}

const snapshot = (tally: Tally): Tally => structuredClone(tally);
const clear = (tally: Tally) => {
  for (const key of Object.keys(tally)) delete tally[key];
};

function figures(docs: number, ms: number, pageRequests: RequestTally, linkRequests: Tally, hubRequests: Tally, finished: boolean, error?: string): PhaseFigures {
  return { docs, finished, ...(error !== undefined ? { error } : {}), ms, docsPerSecond: docs / (ms / 1000), pageRequests, linkRequests, hubRequests };
}

export async function runHubSyncBench(options: HubSyncBenchOptions): Promise<HubSyncBenchResult> {
  const { docs } = options;
  // Waiting for a workstation to be in step after a phase is not a headline figure: a shorter cap.
  const settleCapMs = Math.min(options.capMs, 5 * 60_000);
  const progress = (line: string) => options.progress(line);
  const started = performance.now();
  const scratch = await mkdtemp(join(os.tmpdir(), 'clinic-bench-hub-sync-'));
  const hub = await startHubProcess();
  const pid = hub.child.pid!;
  const workstations: { close(): Promise<void> }[] = [];
  const browser = await chromium.launch({
    executablePath: options.chromiumPath,
    args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const memoryIdle = await hubMemory(pid);
    const clinicId = hub.admin('create-clinic', '--name', 'Bench clinic').stdout;
    const pageOrigin = new URL(options.pageUrl).origin;
    const a = await workstationFor(hub, 'A', hub.admin('issue-code', '--clinic', clinicId).stdout, pageOrigin);
    workstations.push(a);
    // A second code while a workstation is active carries no key without --force; the bench needs no key on B.
    const b = await workstationFor(hub, 'B', hub.admin('issue-code', '--clinic', clinicId, '--force').stdout, pageOrigin);
    workstations.push(b);

    // Node's clock on both ends of an edit: A calls syncWriting just before its write, B calls syncArrived once stored.
    const writes = new Map<string, number>();
    const arrivedAt = new Map<string, number>();
    const waiting = new Map<string, (at: number) => void>();
    const openPage = async (name: string): Promise<Page> => {
      const context = await browser.newContext();
      const page = await context.newPage();
      page.setDefaultTimeout(0);
      await page.exposeFunction('syncWriting', (hlc: string) => void writes.set(hlc, performance.now()));
      await page.exposeFunction('syncArrived', (_id: string, hlc: string) => {
        const at = performance.now();
        arrivedAt.set(hlc, at);
        waiting.get(hlc)?.(at);
      });
      await page.exposeFunction('syncProgress', (line: string) => progress(`hub-sync: ${name}: ${line}`));
      await page.goto(options.pageUrl);
      await page.waitForFunction(() => 'benchmarks' in globalThis);
      return page;
    };
    const pageA = await openPage('A');
    const pageB = await openPage('B');
    const nameA = `hubsynca${Date.now().toString(36)}`;
    const nameB = `hubsyncb${Date.now().toString(36)}`;

    progress(`hub-sync: sealing ${docs} records on workstation A…`);
    await pageA.evaluate(([name, target]) => window.benchmarks.syncOpen(name, target), [nameA, a.target] as const);
    await pageA.evaluate(([name, url, token]) => window.benchmarks.syncConnect(name, url, token), [nameA, a.url, a.token] as const);
    const seeded = await pageA.evaluate(([name, n]) => window.benchmarks.syncSeed(name, n), [nameA, docs] as const);

    progress(`hub-sync: initial push of ${docs} records (ours)…`);
    clear(a.tally);
    let logMark = await settledLogs(hub);
    const push = await profiled(pageA, options.profileDir, 'push-a', () =>
      phase(() => pageA.evaluate(([name, n, cap]) => window.benchmarks.syncPush(name, n, cap), [nameA, docs, options.capMs] as const)),
    );
    const memoryAfterPush = await hubMemory(pid);
    const pushLink = snapshot(a.tally);
    const echoStarted = performance.now();
    const echoRequests = await within(settleCapMs, pageA.evaluate((name) => window.benchmarks.syncIdle(name), nameA).catch(() => undefined));
    const echoSettleMs = performance.now() - echoStarted;
    let logEnd = await settledLogs(hub);
    const pushHub = hubTally(hub, logMark, a.target.workstationId);
    const diskAfterPush = await diskUse(hub.dataDir);
    progress(`hub-sync: push ${Math.round(push.ms)} ms${push.finished ? '' : ` (cap; ${push.docs} on the hub)`}; A in step ${Math.round(echoSettleMs)} ms later`);

    progress(`hub-sync: initial pull of ${docs} records into workstation B (ours)…`);
    await pageB.evaluate(([name, target]) => window.benchmarks.syncOpen(name, target), [nameB, b.target] as const);
    await pageB.evaluate(([name, url, token]) => window.benchmarks.syncConnect(name, url, token), [nameB, b.url, b.token] as const);
    clear(b.tally);
    logMark = logEnd;
    const pull = await profiled(pageB, options.profileDir, 'pull-b', () =>
      phase(() => pageB.evaluate(([name, n, cap]) => window.benchmarks.syncPull(name, n, cap), [nameB, docs, options.capMs] as const)),
    );
    const pullLink = snapshot(b.tally);
    logEnd = await settledLogs(hub);
    const pullHub = hubTally(hub, logMark, b.target.workstationId);
    progress(`hub-sync: pull ${Math.round(pull.ms)} ms${pull.finished ? '' : ` (cap; ${pull.docs} stored)`}`);
    const settleStarted = performance.now();
    const pullSettled = (await within(settleCapMs, pageB.evaluate((name) => window.benchmarks.syncIdle(name), nameB).catch(() => undefined))) !== undefined;
    const pullSettleMs = performance.now() - settleStarted;
    progress(`hub-sync: B in step ${Math.round(pullSettleMs)} ms after its last record was stored${pullSettled ? '' : ' (cap)'}`);

    progress(`hub-sync: ${options.edits} single edits on A, timed until they arrive on B…`);
    const pagesFailed = Boolean(push.error ?? pull.error);
    if (!pagesFailed) await pageB.evaluate((name) => window.benchmarks.syncWatch(name), nameB);
    const pick = seededRandom(20260501);
    const latencies: number[] = [];
    let lost = 0;
    // Five lost edits end the phase: the link is not carrying edits, and each would wait 30 s.
    for (let edit = 0; edit < options.edits && lost < 5 && !pagesFailed; edit++) {
      const index = Math.floor(pick() * docs);
      const hlc = await pageA.evaluate(([name, i, k]) => window.benchmarks.syncEdit(name, i, k), [nameA, index, edit] as const);
      // B may report the edit before A's evaluate has returned its clock value.
      const at = arrivedAt.get(hlc) ?? (await within(30_000, new Promise<number>((resolve) => waiting.set(hlc, resolve))));
      const wrote = writes.get(hlc);
      if (at === undefined || wrote === undefined) lost++;
      else latencies.push(at - wrote);
      writes.clear();
      arrivedAt.clear();
      waiting.clear();
      await sleep(options.editGapMs);
    }
    const latencyMs = distribution(latencies);
    progress(`hub-sync: edit latency p50 ${latencyMs.p50.toFixed(0)} ms, p95 ${latencyMs.p95.toFixed(0)} ms`);
    const chromiumVersion = browser.version();
    // The contexts' IndexedDB goes with the browser.
    await browser.close();

    // The reference: PouchDB's own replicator, LevelDB on both ends, the same documents, a clinic of its own.
    progress(`hub-sync: the same ${docs} documents with PouchDB (reference)…`);
    const refClinic = hub.admin('create-clinic', '--name', 'PouchDB reference').stdout;
    const ref = await enrolled(hub.url, hub.admin('issue-code', '--clinic', refClinic).stdout, 'PouchDB reference');
    const source = new PouchDB(join(scratch, 'pouch-source'));
    const copied = await copyHubDocuments({ url: `${hub.url}${a.target.databases.records}`, authorization: basic(a.credentials.workstationId, a.credentials.secret) }, ref.clinicId, source);
    if (copied !== docs) throw new Error(`the hub holds ${copied} documents, not ${docs}`);
    const remote = (): PouchDatabase => new PouchDB(`${hub.url}${ref.databases.records}`, { auth: { username: ref.workstationId, password: ref.secret } });

    logMark = await settledLogs(hub);
    const pouchPushStarted = performance.now();
    const pushed = await PouchDB.replicate(source, remote());
    const pouchPushMs = performance.now() - pouchPushStarted;
    logEnd = await settledLogs(hub);
    const pouchPushHub = hubTally(hub, logMark, ref.workstationId);
    if (pushed.docs_written !== docs || (await remote().info()).doc_count !== docs) throw new Error(`PouchDB pushed ${pushed.docs_written} of ${docs}`);
    progress(`hub-sync: PouchDB push ${Math.round(pouchPushMs)} ms`);

    const copy = new PouchDB(join(scratch, 'pouch-copy'));
    logMark = logEnd;
    const pouchPullStarted = performance.now();
    const pulled = await PouchDB.replicate(remote(), copy);
    const pouchPullMs = performance.now() - pouchPullStarted;
    const pouchPullHub = hubTally(hub, logMark, ref.workstationId);
    if (pulled.docs_written !== docs) throw new Error(`PouchDB pulled ${pulled.docs_written} of ${docs}`);
    progress(`hub-sync: PouchDB pull ${Math.round(pouchPullMs)} ms`);
    await Promise.all([source.close(), copy.close()]);

    // The second reference: PouchDB in Chromium on IndexedDB, on a clinic of its own, talking to the hub itself.
    progress(`hub-sync: the same ${docs} documents with PouchDB in Chromium (reference)…`);
    const browserClinic = hub.admin('create-clinic', '--name', 'PouchDB in Chromium reference').stdout;
    const inBrowser = await enrolled(hub.url, hub.admin('issue-code', '--clinic', browserClinic).stdout, 'PouchDB in Chromium reference');
    const referenceBrowser = await chromium.launch({
      executablePath: options.chromiumPath,
      // An app served from the hub's own origin makes no CORS preflights; the benchmark page is on another origin.
      args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-web-security'],
    });
    let browserPouch: BrowserPouchResult;
    try {
      const page = await referenceBrowser.newPage();
      page.setDefaultTimeout(0);
      await page.exposeFunction('syncProgress', (line: string) => progress(`hub-sync: ${line}`));
      await page.goto(options.pageUrl);
      await page.waitForFunction(() => 'benchmarks' in globalThis);
      browserPouch = await page.evaluate((target) => window.benchmarks.pouchReference(target), {
        hubUrl: hub.url,
        source: { database: a.target.databases.records, username: a.credentials.workstationId, password: a.credentials.secret },
        target: { database: inBrowser.databases.records, username: inBrowser.workstationId, password: inBrowser.secret, clinicId: inBrowser.clinicId },
        docs,
      });
    } finally {
      await referenceBrowser.close();
    }
    progress(`hub-sync: PouchDB in Chromium push ${Math.round(browserPouch.pushMs)} ms, pull ${Math.round(browserPouch.pullMs)} ms`);

    const memoryEnd = await hubMemory(pid);
    const databasesDir = join(hub.dataDir, 'databases');
    const roles: Record<string, string> = {
      [a.target.databases.records]: 'ours: records',
      [a.target.databases.staff]: 'ours: staff',
      [ref.databases.records]: 'PouchDB reference: records',
      [ref.databases.staff]: 'PouchDB reference: staff',
      [inBrowser.databases.records]: 'PouchDB in Chromium: records',
      [inBrowser.databases.staff]: 'PouchDB in Chromium: staff',
    };
    const diskByDatabase: Record<string, DiskUse> = {};
    for (const entry of await readdir(databasesDir)) diskByDatabase[roles[entry] ?? entry] = await diskUse(join(databasesDir, entry));
    const diskEnd = await diskUse(hub.dataDir);

    const pkg = async (name: string) => (JSON.parse(await readFile(`node_modules/${name}/package.json`, 'utf8')) as { version: string }).version;
    return {
      docs,
      docBytes: seeded.bytes / docs,
      seconds: (performance.now() - started) / 1000,
      ours: {
        push: figures(push.docs, push.ms, push.requests, pushLink, pushHub, push.finished, push.error),
        pendingClearedMs: push.pendingClearedMs ?? null,
        echoSettleMs,
        echoRequests: echoRequests ?? {},
        pull: figures(pull.docs, pull.ms, pull.requests, pullLink, pullHub, pull.finished, pull.error),
        pullSettleMs,
        pullSettled,
      },
      pouchdb: { push: figures(docs, pouchPushMs, {}, {}, pouchPushHub, true), pull: figures(docs, pouchPullMs, {}, {}, pouchPullHub, true) },
      pouchdbBrowser: { push: figures(docs, browserPouch.pushMs, {}, {}, {}, true), pull: figures(docs, browserPouch.pullMs, {}, {}, {}, true), copyMs: browserPouch.copyMs },
      ratio: { push: push.ms / pouchPushMs, pull: pull.ms / pouchPullMs },
      ratioToBrowser: { push: push.ms / browserPouch.pushMs, pull: pull.ms / browserPouch.pullMs },
      edits: { count: options.edits, gapMs: options.editGapMs, latencyMs, lost },
      ...(push.error || pull.error ? { errors: { push: push.error ?? null, pull: pull.error ?? null } } : {}),
      hub: { memoryIdle, memoryAfterPush, memoryEnd, diskAfterPush, diskEnd, diskByDatabase },
      versions: { chromium: chromiumVersion, pouchdb: await pkg('pouchdb-node'), pouchdbBrowser: await pkg('pouchdb-browser'), rxdb: await pkg('rxdb') },
    };
  } finally {
    await browser.close().catch(() => undefined);
    for (const workstation of workstations) await workstation.close().catch(() => undefined);
    await hub.stop();
    await rm(scratch, { recursive: true, force: true });
  }
}
