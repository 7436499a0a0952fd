import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { ApiError } from '../../app/contract/errors';
import type { SyncStatus } from '../../app/contract/sync-status';
import { openClinicDatabase } from '../../renderer/store/database';
import { createVault } from '../../renderer/store/vault';
import { startBenchDataWorker } from './bench-data-worker';
import { connectToMain } from './main-line';
import { measured, passphrase, searcher, storeSealedPatients, syntheticPatients, type ResponsivenessFigures } from './responsiveness.benchmark';

/**
 * The screens' thread during a clinic's first pull from its hub (page side;
 * first-pull-runner.benchmark.ts runs the hub and the main processes). A
 * seeding workstation sets the clinic up on the hub with N sealed patients
 * and issues join codes; a new workstation joins with one, its whole clinic
 * arrives, and a nurse logs in and searches while it does. The joining store
 * runs either in the data worker (the app today) or on the screens' thread
 * (as before issue 13, with sync started beside it as SyncProvider did).
 */
export interface HubLine {
  /** The workstation's main process (browser mode's WebSocket API). */
  url: string;
  token: string;
  hubUrl: string;
}

export interface FirstPullFigures {
  patients: number;
  /** From the join until the last record was in. */
  pullMs: number;
  /** Joining, then logging in as soon as the staff records are here (keystrokes are the thread's own turns). */
  joinAndLogin: ResponsivenessFigures;
  /** Logged in, searching a misspelt name every 50 ms until the pull ends. */
  searching: ResponsivenessFigures;
}

const username = 'bench';
const workstationName = 'Bench joining workstation';

/** Join codes the seeding workstation issued before it locked. */
const joinCodes: string[] = [];

/** The seeding workstation: joins with the hub's first (keyless) code, sets the clinic up, stores N sealed patients and sends them to the hub. */
export async function seedHubClinic(line: HubLine, code: string, count: number, joins: number, progress: (text: string) => void): Promise<void> {
  const api = await connectToMain(line.url, line.token);
  const db = await openClinicDatabase(getRxStorageDexie());
  const vault = await createVault(db);
  if ((await vault.hub.join(api, { hubUrl: line.hubUrl, code, workstationName: 'Bench seeding workstation' })) !== 'needs-setup') throw new Error('the seeding workstation expected a keyless code');
  await vault.hub.setUpFirst(api, { clinicName: 'Bench clinic', displayName: 'Bench Admin', username, passphrase });
  if (vault.state.status !== 'unlocked') throw new Error('setting the clinic up did not unlock it');
  await storeSealedPatients(db, vault.state.session, syntheticPatients(count));
  progress(`first pull: ${count} sealed patients stored on the seeding workstation, sending them to the hub…`);
  const sync = await vault.hub.startSync(api);
  if (!sync) throw new Error('the seeding workstation did not start sync');
  await sync.awaitInSync();
  for (let i = 0; i < joins; i++) joinCodes.push((await vault.hub.issueCode(api, 1)).code);
  // In a clinic the other workstations are other machines: locked, this one stops opening the 100,000
  // patients it stored into its search index, which took this machine's CPU from the join being measured.
  // It stays online and syncing.
  await vault.lock('user');
}

/** A one-time code with the clinic's key, for the next workstation to join. */
export function issueJoinCode(): Promise<string> {
  const code = joinCodes.shift();
  if (code === undefined) throw new Error('no join code left on this page');
  return Promise.resolve(code);
}

/** Resolves when a first pull has come and gone: its progress was shown, then cleared with everything in step. */
function pullWatcher(): { hear(status: SyncStatus | null): void; done: Promise<number> } {
  let seen = false;
  let finish: (at: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => (finish = resolve));
  return {
    hear(status) {
      if (status?.initialPull) seen = true;
      else if (seen && status && status.lastSyncedAt !== null) finish(performance.now());
    },
    done,
  };
}

/** Staff records arrive with the first pull: a login is refused until this person's account is here. */
async function loginOnceArrived(login: () => Promise<unknown>): Promise<void> {
  const giveUpAt = performance.now() + 120_000;
  for (;;) {
    try {
      await login();
      return;
    } catch (error) {
      if (performance.now() > giveUpAt) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/**
 * The worker connects to its main process as it starts, and a call before
 * the connection is open fails at once (`transport_closed`), as a person's
 * would on the join screen: asked again until it goes through.
 */
async function onceConnected<T>(call: () => Promise<T>): Promise<T> {
  const giveUpAt = performance.now() + 30_000;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'transport_closed') || performance.now() > giveUpAt) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** A new workstation joins and pulls the clinic with its store in the data worker, as the app runs. */
export async function firstPullInWorker(line: HubLine, code: string, count: number): Promise<FirstPullFigures> {
  const patients = syntheticPatients(count);
  const client = await startBenchDataWorker({ kind: 'websocket', url: line.url, token: line.token });
  const pull = pullWatcher();
  // Before the join nothing is pulled, so no status that matters comes before this subscription.
  client.on('sync', (status) => pull.hear(status));
  // The worker is left running on success (its page's context is closed next), so a profiler can still read it.
  try {
    const started = performance.now();
    const joinAndLogin = await measured(async () => {
      if ((await onceConnected(() => client.call('hub.join', { hubUrl: line.hubUrl, code, workstationName }))) !== 'joined') throw new Error('the code did not bring the clinic');
      await loginOnceArrived(() => client.call('vault.login', { username, passphrase }));
    }, () => undefined);
    const searching = await measured(() => pull.done, searcher(patients, (query) => client.call('patients.search', { query, limit: 10 })));
    return { patients: count, pullMs: (await pull.done) - started, joinAndLogin, searching };
  } catch (error) {
    client.close();
    throw error;
  }
}

/** The same with the store on the screens' thread, sync started beside it (as the app ran before issue 13). */
export async function firstPullOnPage(line: HubLine, code: string, count: number): Promise<FirstPullFigures> {
  const patients = syntheticPatients(count);
  const api = await connectToMain(line.url, line.token);
  const db = await openClinicDatabase(getRxStorageDexie());
  const vault = await createVault(db);
  const pull = pullWatcher();
  const started = performance.now();
  const joinAndLogin = await measured(async () => {
    if ((await vault.hub.join(api, { hubUrl: line.hubUrl, code, workstationName })) !== 'joined') throw new Error('the code did not bring the clinic');
    const sync = await vault.hub.startSync(api);
    if (!sync) throw new Error('the joining workstation did not start sync');
    sync.subscribe((status) => pull.hear(status));
    await loginOnceArrived(() => vault.login(username, passphrase));
  }, () => undefined);
  const searching = await measured(() => pull.done, searcher(patients, (query) => vault.patients.search(query, 10)));
  return { patients: count, pullMs: (await pull.done) - started, joinAndLogin, searching };
}
