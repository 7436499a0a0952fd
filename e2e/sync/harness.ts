import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import type { RxStorage } from 'rxdb';
import { createApiClient, type ApiClient } from '../../app/contract/client';
import { createWorkstation, type Workstation } from '../../main/compose';
import { testWorkstationOptions } from '../../main/test-support';
import { openClinicDatabase, type ClinicDatabase } from '../../renderer/store/database';
import { createVault, type Vault } from '../../renderer/store/vault';
import type { ClinicSync } from '../../sync/client/clinic-sync';

/**
 * A workstation for sync tests under plain Node, as real as Node allows: the
 * main process as composed in production (its hub link makes real HTTP
 * requests to a real hub process), reached through the real dispatcher and
 * the typed API client, and the renderer's store (RxDB, the vault, the
 * conflict handlers, the sync client) on RxDB's in-memory storage. A
 * "restart" closes everything in memory and opens the same storage again.
 */

export interface TestWorkstation {
  readonly api: ApiClient;
  readonly vault: Vault;
  readonly db: ClinicDatabase;
  sync: ClinicSync | undefined;
  /** Ids of the documents the hub has sent this workstation in answer to its pulls (`_changes`), in order. */
  readonly pulledIds: string[];
  /** The latest hub requests (path, when, how they ended) and those still waiting, for a test's failure message when sync stops moving. */
  traffic(): { recent: string[]; waiting: string[] };
  /** Starts replication (once enrolled); resolves when it runs. */
  startSync(): Promise<ClinicSync>;
  /** Closes the store and sync as a power cut would (nothing flushed on purpose), then opens them again on the same storage. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

let counter = 0;

export async function createTestWorkstation(name: string, options: { retryMs?: number } = {}): Promise<TestWorkstation> {
  const main: Workstation = await createWorkstation(await testWorkstationOptions());
  const pulledIds: string[] = [];
  const journal = createTrafficJournal();
  const api = createApiClient({
    kind: 'websocket',
    send: async (request) => {
      const done = journal.start(request);
      const response = await main.dispatcher.handleValue(request, { transport: 'websocket' });
      done(response);
      notePulled(request, response, pulledIds);
      return response;
    },
    onEvent: () => () => undefined,
  });
  const storage: RxStorage<unknown, unknown> = getRxStorageMemory();
  const dbName = `sync${name.toLowerCase().replace(/[^a-z0-9]/g, '')}${(counter++).toString(36)}${Date.now().toString(36)}`;
  const open = async () => {
    const db = await openClinicDatabase(storage, dbName);
    // Low PBKDF2 cost for speed; a single tab, so no leader election; short retry pause so fault runs end sooner.
    const vault = await createVault(db, { iterations: 1000, syncWaitsForLeadership: false, syncRetryMs: options.retryMs ?? 500 });
    return { db, vault };
  };
  let current = await open();
  const workstation: TestWorkstation = {
    api,
    get vault() {
      return current.vault;
    },
    get db() {
      return current.db;
    },
    sync: undefined,
    pulledIds,
    traffic: () => journal.read(),
    async startSync() {
      const sync = await current.vault.hub.startSync(api);
      if (!sync) throw new Error(`${name} is not linked to a hub of its clinic`);
      workstation.sync = sync;
      return sync;
    },
    async restart() {
      await workstation.sync?.stop();
      workstation.sync = undefined;
      await current.db.close();
      current = await open();
    },
    async close() {
      await workstation.sync?.stop();
      await current.db.close();
      await main.close();
    },
  };
  return workstation;
}

/** The documents in a `_changes` answer to a `hub.request`, as the test sees the API's traffic. */
function notePulled(request: unknown, response: unknown, into: string[]): void {
  const call = request as { method?: string; params?: { path?: string } };
  const answer = response as { ok?: boolean; result?: { status?: number; body?: string } };
  if (call.method !== 'hub.request' || !call.params?.path?.includes('/_changes') || !answer.ok || answer.result?.status !== 200) return;
  const feed = JSON.parse(answer.result.body ?? '{}') as { results?: { id: string }[] };
  for (const row of feed.results ?? []) into.push(row.id);
}

/** The last 40 hub requests and the ones still unanswered, each as one line (method, path without the query's selector, time, outcome). */
function createTrafficJournal() {
  const recent: string[] = [];
  const waiting = new Map<number, string>();
  let next = 0;
  const clock = () => new Date().toISOString().slice(11, 23);
  return {
    start(request: unknown): (response: unknown) => void {
      const call = request as { method?: string; params?: { method?: string; path?: string } };
      if (call.method !== 'hub.request') return () => undefined;
      const id = next++;
      const line = `${clock()} ${call.params?.method ?? '?'} ${(call.params?.path ?? '').slice(0, 160)}`;
      waiting.set(id, line);
      return (response) => {
        waiting.delete(id);
        const answer = response as { ok?: boolean; result?: { status?: number; body?: string }; error?: { message?: string } };
        const outcome = answer.ok ? `${answer.result?.status} ${answer.result?.body?.length ?? 0}B` : `failed: ${answer.error?.message ?? '?'}`;
        recent.push(`${line} -> ${clock()} ${outcome}`);
        if (recent.length > 40) recent.shift();
      };
    },
    read: () => ({ recent: [...recent], waiting: [...waiting.values()] }),
  };
}
