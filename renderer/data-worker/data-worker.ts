// The data worker's entry: the encrypted store, the clinic data key and the
// hub sync live here, off the screens' thread, behind the data contract
// (app/contract/data-api.ts). Started by renderer/data-client/start-data-worker.ts.
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { can } from '../../app/auth/roles';
import { openClinicDatabase } from '../store/database';
import { createVault } from '../store/vault';
import { toWire } from '../data-channel/errors';
import { toWorkerSchema, type FromWorker } from '../data-channel/messages';
import { createDataHandlers, publicState, type DataHandlers } from './data-handlers';
import { connectToMain, type WorkerMainClient } from './main-connection';
import { latestAtMostEvery } from './latest-at-most-every';
import { answerCall, eventMessage } from './serve-data-api';
import { startSyncLifecycle } from './sync-lifecycle';

/** The worker's global scope, as much of it as this file uses (the DOM library's types describe a window). */
const scope = self as unknown as { postMessage(message: FromWorker): void; onmessage: ((event: MessageEvent) => void) | null };
const post = (message: FromWorker) => scope.postMessage(message);

/** The sync status reaches the screens at most this often (its last state always does). */
const syncStatusEveryMs = 250;

/**
 * Someone is using the screens while their calls keep coming: a search as
 * they type, a chart opened, lists refetched as records arrive. A pull
 * stores in small batches then (vault.ts `screensInUse`).
 */
const inUseForMs = 3_000;
let lastCallAt = Number.NEGATIVE_INFINITY;
const screensInUse = () => Date.now() - lastCallAt < inUseForMs;

let main: WorkerMainClient | undefined;
let handlers: Promise<DataHandlers> | undefined;

async function openStore(client: WorkerMainClient): Promise<DataHandlers> {
  const vault = await createVault(await openClinicDatabase(getRxStorageDexie()), { screensInUse });
  // The session a push was last carried on for: the state is told again for every change (index progress too).
  let resumedFor: unknown;
  vault.subscribe((state) => {
    post(eventMessage('state', publicState(state)));
    // A push a restart interrupted goes on once an admin is here to decrypt what it sends.
    if (state.status !== 'unlocked' || state.session === resumedFor || !can(state.session.role, 'export.run')) return;
    resumedFor = state.session;
    vault.fhirExport.resumePushInBackground(client);
  });
  vault.onRecordsChanged(() => post(eventMessage('records-changed', {})));
  post(eventMessage('state', publicState(vault.state)));
  const sync = startSyncLifecycle(vault, client, latestAtMostEvery(syncStatusEveryMs, (status) => post(eventMessage('sync', status))));
  return createDataHandlers(vault, client, () => sync.restart());
}

/**
 * Held until this worker ends, however it ends (an error, `close()`, the
 * browser killing it): the page waits for it (data-client.ts), and gets it
 * only then. Taken before the store opens, so the page never waits too early.
 */
function holdLifeLock(name: string): Promise<void> {
  return new Promise((held) => void navigator.locks.request(name, () => (held(), new Promise<never>(() => undefined))));
}

/** Params arrive as JSON text; text that is not JSON is refused by the method's schema like any other bad params. */
function parseParams(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

scope.onmessage = (event) => {
  // The page is this worker's only correspondent; a message off the channel's shape is ignored, never acted on.
  const parsed = toWorkerSchema.safeParse(event.data);
  if (!parsed.success) return;
  const message = parsed.data;
  switch (message.kind) {
    case 'start':
      if (handlers) return;
      main = connectToMain(message.connection);
      handlers = holdLifeLock(message.lifeLock).then(() => openStore(main!));
      handlers.catch(() => post({ kind: 'unavailable', reason: 'store-open-failed' }));
      return;
    case 'token':
      main?.useToken(message.token);
      return;
    case 'call':
      lastCallAt = Date.now();
      if (!handlers) {
        post({ kind: 'failure', id: message.id, error: toWire(undefined) });
        return;
      }
      handlers.then(
        (served) => answerCall(served, message.id, message.method, parseParams(message.params), post),
        () => post({ kind: 'failure', id: message.id, error: toWire(undefined) }),
      );
  }
};
