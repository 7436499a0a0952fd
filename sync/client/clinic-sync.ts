import type { RxCollection } from 'rxdb';
import { sealedRecordSchema, type SealedRecord } from '../../app/records/sealed-record';
import { staffAccountSchema, type StaffAccount } from '../../app/auth/staff-account';
import { directoryEntrySchema, type DirectoryEntry } from '../../app/facilities/directory-entry';
import { pulls, pushes, replicatedCollections, type CollectionName, type Databases } from '../../app/replication/replicated-collections';
import { z } from 'zod';
import type { SyncStatus } from '../../app/contract/sync-status';
import { acceptsPulled, replicateCollection, type Doc, type Replicated } from './collection-replication';
import { createHubFetch, type EmptyStretch, type EmptyStretches, type HubCaller, type LinkObservation } from './hub-fetch';
import { linkStatus } from './link-status';
import { countWaiting, createPendingRefresh } from './pending-refresh';
import { followReplications } from './replication-activity';
import { createSyncStatusStore } from './sync-status-store';
import { createTransferProgress } from './transfer-progress';

/**
 * The workstation's side of sync: RxDB's CouchDB replication of the declared
 * replicated collections (app/replication/replicated-collections.ts: sealed
 * records and staff accounts today), each in its declared direction, live, retrying
 * with a pause after each failure, resuming from its checkpoints after a
 * restart, and the status the frame shows. Every document is validated
 * against its schema both ways: nothing but sealed documents goes out, and
 * nothing the hub sends is stored unchecked.
 */

export type { SyncStatus } from '../../app/contract/sync-status';

/** The documents of each declared collection, as a workstation stores them. */
export interface CollectionDocuments {
  records: SealedRecord;
  staff: StaffAccount;
  facilities: DirectoryEntry;
}

/**
 * Each collection's schema, checked both ways: only documents in it leave, and
 * nothing the hub sends is stored unless it fits. A collection added to the
 * declarations does not compile until it has its documents' type and schema here.
 */
const documentSchemas: { [K in CollectionName]: z.ZodType<CollectionDocuments[K]> } = { records: sealedRecordSchema, staff: staffAccountSchema, facilities: directoryEntrySchema };

/** One collection to replicate: this workstation's RxDB collection of it, and what to ask before a pulled document is stored. */
export interface SyncedCollection<T> {
  collection: RxCollection<T>;
  /**
   * Asked for each pulled document before it is stored: the local version to
   * keep instead, or undefined to store the arrival (pulled-version.ts: an
   * arrival that does not open never replaces a local version that does;
   * renderer/store/kept-aside.ts keeps the arrival aside). Must not throw.
   */
  guardPulled?: (arrival: T) => Promise<T | undefined>;
}

export interface ClinicSyncOptions {
  /** Every declared collection, by name. */
  collections: { [K in CollectionName]: SyncedCollection<CollectionDocuments[K]> };
  /** Names the replication (and its checkpoints) after the hub's own id, so a replaced hub starts afresh. */
  hubId: string;
  /** Each collection's database on the hub (`hub.status`). */
  databases: Databases;
  call: HubCaller;
  /** This workstation's clock node: the versions it wrote are left out of what it pulls (it has them). */
  clockNode: string;
  /** Each pulled version's clock, so this workstation's next edit sorts after it. */
  observeClock(hlc: string): void;
  lastSyncedAt: number | null;
  saveLastSyncedAt(ms: number): void;
  /** The feeds' known empty stretches as last saved (hub-fetch.ts), and where to save them: they spare the hub a rescan after a restart. */
  emptyStretches?: { saved: unknown; save(value: SavedStretches): void };
  /** Pause after a failure before trying again (ARCHITECTURE.md: the default 5 s sets the pause per fault). */
  retryTimeMs?: number;
  /** Only one browser tab replicates (RxDB leader election); tests with one tab skip the election. */
  waitForLeadership?: boolean;
  /** Whether someone is using the screens now: a pull then stores in small batches (hub-fetch.ts `idlePullFactor`). */
  screensInUse?: () => boolean;
  now?: () => number;
}

const stretchSchema = z.object({ from: z.string().max(200), to: z.string().max(200) });
/** Saved per hub and clock node: another hub's sequences, or another node's filter, say nothing here. */
const savedStretchesSchema = z.object({ hubId: z.string(), clockNode: z.string(), stretches: z.record(z.string(), stretchSchema) });
export type SavedStretches = z.infer<typeof savedStretchesSchema>;

/** The stretches for this hub and node, kept in memory and saved on each change. */
function keptStretches(options: Pick<ClinicSyncOptions, 'hubId' | 'clockNode' | 'emptyStretches'>): EmptyStretches | undefined {
  const store = options.emptyStretches;
  if (!store) return undefined;
  const saved = savedStretchesSchema.safeParse(store.saved);
  const stretches = new Map<string, EmptyStretch>(saved.success && saved.data.hubId === options.hubId && saved.data.clockNode === options.clockNode ? Object.entries(saved.data.stretches) : []);
  return {
    get: (database) => stretches.get(database),
    set(database, stretch) {
      stretches.set(database, stretch);
      store.save({ hubId: options.hubId, clockNode: options.clockNode, stretches: Object.fromEntries(stretches) });
    },
  };
}

export interface ClinicSync {
  status(): SyncStatus;
  subscribe(listener: (status: SyncStatus) => void): () => void;
  /** Resolves once everything local is on the hub and everything on the hub is here. */
  awaitInSync(): Promise<void>;
  stop(): Promise<void>;
}

/** Each declared collection, with what the sync needs of it; the document types are checked where they are given (ClinicSyncOptions). */
function declaredCollections(options: ClinicSyncOptions): Replicated[] {
  return replicatedCollections.map((declared) => {
    const given = options.collections[declared.name] as unknown as SyncedCollection<Doc>;
    return {
      name: declared.name,
      database: options.databases[declared.name],
      collection: given.collection,
      schema: documentSchemas[declared.name] as z.ZodType<Doc>,
      ...(given.guardPulled ? { guardPulled: given.guardPulled } : {}),
      pull: pulls(declared),
      push: pushes(declared),
    };
  });
}

export function startClinicSync(options: ClinicSyncOptions): ClinicSync {
  const now = options.now ?? (() => Date.now());
  const store = createSyncStatusStore(options.lastSyncedAt);
  const update = (patch: Partial<SyncStatus>) => store.update(patch);
  let stopped = false;
  const isStopped = () => stopped;

  function observe(observation: LinkObservation): void {
    const wasOnline = store.current().connection === 'online';
    update(linkStatus(observation, store.current()));
    // Documents stuck mid-push are counted from now (see pending-refresh.ts).
    if (wasOnline && store.current().connection !== 'online') refreshPending();
  }
  const onRefused = (ids: readonly string[]) => update({ refusedByHub: store.current().refusedByHub + ids.length });
  const onUnacceptable = (count: number) => update({ unacceptableFromHub: store.current().unacceptableFromHub + count });
  const collections = declaredCollections(options);
  const fetch = createHubFetch(options.call, {
    observe,
    ownClockNode: options.clockNode,
    emptyStretches: keptStretches(options),
    onRefused,
    acceptsPulled: acceptsPulled(collections),
    onUnacceptable,
    ...(options.screensInUse ? { screensInUse: options.screensInUse } : {}),
  });

  const replications = collections.map((collection) => replicateCollection(collection, options, fetch));
  const active = replications.map(() => false);
  const anyActive = () => active.some(Boolean);
  const waiting = () => countWaiting(replications, collections);
  const refreshPending = createPendingRefresh({ countWaiting: waiting, moving: () => anyActive() && store.current().connection === 'online', stopped: isStopped, update });
  const progress = createTransferProgress({ status: store, countWaiting: waiting, anyActive, stopped: isStopped });
  const subscriptions = followReplications(replications, active, { status: store, progress, refreshPending, now, saveLastSyncedAt: (ms) => options.saveLastSyncedAt(ms) });
  const localWrites = collections.filter((collection) => collection.push).map((collection) => collection.collection.$.subscribe(refreshPending));
  progress.followInitialPull(options.call, collections.filter((collection) => collection.pull), replications);

  return {
    status: () => store.current(),
    subscribe: (listener) => store.subscribe(listener),
    async awaitInSync() {
      await Promise.all(replications.map((r) => r.awaitInSync()));
    },
    async stop() {
      stopped = true;
      for (const subscription of [...subscriptions, ...localWrites]) subscription.unsubscribe();
      await Promise.all(replications.map((r) => r.cancel()));
      store.clear();
    },
  };
}
