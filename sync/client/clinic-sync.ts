import type { RxCollection, WithDeleted } from 'rxdb';
import { couchDBDocToRxDocData, replicateCouchDB, type RxCouchDBReplicationState } from 'rxdb/plugins/replication-couchdb';
import { sealedRecordSchema, type SealedRecord } from '../../app/records/sealed-record';
import { staffAccountSchema, type StaffAccount } from '../../app/auth/staff-account';
import { pulls, pushes, replicatedCollections, type CollectionName, type Databases } from '../../app/replication/replicated-collections';
import { z } from 'zod';
import { maxDocs } from '../protocol/requests';
import type { SyncStatus } from '../../app/contract/sync-status';
import { createHubFetch, hubBaseUrl, type EmptyStretch, type EmptyStretches, type HubCaller, type LinkObservation } from './hub-fetch';
import { countPendingPushes, type PendingCount } from './pending-count';
import { withoutRxDeleted } from './rx-deleted';

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
}

/**
 * Each collection's schema, checked both ways: only documents in it leave, and
 * nothing the hub sends is stored unless it fits. A collection added to the
 * declarations does not compile until it has its documents' type and schema here.
 */
const documentSchemas: { [K in CollectionName]: z.ZodType<CollectionDocuments[K]> } = { records: sealedRecordSchema, staff: staffAccountSchema };

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

interface Subscribable {
  subscribe(next: () => void): { unsubscribe(): void };
}

const refusedWords = 'The hub does not accept this workstation any more (its access may have been withdrawn). Ask the clinic administrator to enroll it again. Everything recorded here stays safe on this workstation.';
/** Documents still to come, or still to go, for which the status shows progress (fewer take a moment). */
const progressWorthShowing = 200;
/** The least time between two counts of the edits waiting to be pushed. */
const pendingCountGapMs = 1000;
/**
 * Documents per request: as many as the hub takes in one. Fewer, larger
 * requests: each costs a round trip through the main process and the hub's
 * per-request work (100 → 1,000 halved the push of 100,000 in the benchmark).
 * A push body too large for one API request is split by hub-fetch.ts.
 */
const batchSize = maxDocs;

/** Any replicated document: all carry a clock. */
type Doc = { hlc: string };

/** A replicated collection with its document type set aside, so the declared ones can be handled alike. */
interface Replicated {
  name: CollectionName;
  database: string;
  collection: RxCollection<Doc>;
  schema: z.ZodType<Doc>;
  guardPulled?: (arrival: Doc) => Promise<Doc | undefined>;
  pull: boolean;
  push: boolean;
}

export function startClinicSync(options: ClinicSyncOptions): ClinicSync {
  const now = options.now ?? (() => Date.now());
  const listeners = new Set<(status: SyncStatus) => void>();
  let status: SyncStatus = { connection: 'connecting', active: false, lastSyncedAt: options.lastSyncedAt, pending: 0, pendingAudit: 0, problem: null, initialPull: null, sending: null, refusedByHub: 0, unacceptableFromHub: 0 };
  const update = (patch: Partial<SyncStatus>) => {
    status = { ...status, ...patch };
    for (const listener of listeners) listener(status);
  };

  function observe(observation: LinkObservation): void {
    const wasOnline = status.connection === 'online';
    reportLink(observation);
    // Documents stuck mid-push are counted from now (see refreshPending).
    if (wasOnline && status.connection !== 'online') refreshPending();
  }
  function reportLink(observation: LinkObservation): void {
    if (observation.kind === 'unreachable') update({ connection: 'offline', problem: observation.message });
    else if (observation.status === 401 || observation.status === 403) update({ connection: 'refused', problem: refusedWords });
    else if (observation.status < 500) update({ connection: 'online', ...(status.connection !== 'online' ? { problem: null } : {}) });
    else update({ connection: 'online', problem: `The hub had a problem (HTTP ${observation.status}); sync tries again by itself.` });
  }
  const onRefused = (ids: readonly string[]) => update({ refusedByHub: status.refusedByHub + ids.length });
  const onUnacceptable = (count: number) => update({ unacceptableFromHub: status.unacceptableFromHub + count });
  // Each declared collection, with what the sync needs of it; the document types are checked where they are given (ClinicSyncOptions).
  const collections: Replicated[] = replicatedCollections.map((declared) => {
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
  // Checked with the schemas the pull then applies (`parse` below), so the pull never fails on one.
  const acceptsPulled = (database: string, doc: unknown): boolean => {
    const schema = collections.find((collection) => collection.database === database)?.schema;
    return schema !== undefined && typeof doc === 'object' && doc !== null && schema.safeParse(withoutRxDeleted(couchDBDocToRxDocData('id', doc as Record<string, unknown>))).success;
  };
  const fetch = createHubFetch(options.call, { observe, ownClockNode: options.clockNode, emptyStretches: keptStretches(options), onRefused, acceptsPulled, onUnacceptable });

  /** The document in its collection's schema, or a TypeError: nothing else is stored or sent. */
  const parse = (schema: z.ZodType<Doc>, name: CollectionName, doc: unknown): Doc => {
    const parsed = schema.safeParse(withoutRxDeleted(doc as Record<string, unknown>));
    if (!parsed.success) throw new TypeError(`A document of ${name} from or for the hub is not in the expected form; it was not stored.`);
    return parsed.data;
  };

  function replicate({ name, collection, database, schema, guardPulled: guard, pull, push }: Replicated): RxCouchDBReplicationState<Doc> {
    // RxDB's own deletion flag travels beside the document; ours (`deleted`) is inside it and sealed into its context.
    const checked = (doc: WithDeleted<Doc>): WithDeleted<Doc> => ({ ...parse(schema, name, doc), _deleted: doc._deleted });
    /**
     * RxDB stores what this returns as the hub's version. Returning the local
     * version instead of an arrival leaves the record as it is (RxDB sees it
     * equal, so nothing is written or pushed) and makes RxDB take it for the
     * hub's: the next local edit's push then finds the hub holding another
     * revision, and the records conflict handler pushes the edit over it.
     */
    const pulled = async (doc: WithDeleted<Doc>): Promise<WithDeleted<Doc>> => {
      const arrival = parse(schema, name, doc);
      const kept = guard ? await guard(arrival) : undefined;
      // A kept local version was found by an ordinary query, so it is not deleted in RxDB's sense.
      const result = kept ? { ...kept, _deleted: false } : { ...arrival, _deleted: doc._deleted };
      options.observeClock(result.hlc);
      return result;
    };
    return replicateCouchDB<Doc>({
      replicationIdentifier: `hub-${options.hubId}-${database}`,
      collection,
      url: `${hubBaseUrl}${database}/`,
      fetch,
      live: true,
      retryTime: options.retryTimeMs ?? 2000,
      waitForLeadership: options.waitForLeadership ?? true,
      // A workstation in a back room keeps syncing while its window is hidden.
      toggleOnDocumentVisible: false,
      // Each side only in the collection's declared direction.
      ...(pull ? { pull: { batchSize, modifier: pulled } } : {}),
      ...(push ? { push: { batchSize, modifier: checked } } : {}),
    });
  }

  const replications = collections.map((collection) => replicate(collection));
  const active = replications.map(() => false);
  let failedSinceActive = false;
  let receivedSinceStart = 0;
  let stopped = false;

  /**
   * Asked for on every write and every replication step, counted at most
   * once per `pendingCountGapMs`, one count at a time: a count reads up to
   * thousands of documents, and asking for one per arriving document made the
   * first pull of a clinic quadratic. Not counted while documents are moving
   * and the hub answers: the frame then says "syncing" and shows no count,
   * and counting through a long push or pull took a third of the page's time
   * in the benchmark. Counted again as soon as they stop, or the link drops.
   */
  /** Local edits of the pushed collections not on the hub yet (a collection that cannot be counted now counts none). */
  const none = { all: 0, bookkeeping: 0 };
  // Audit entries, and the workstation's own name record (written at an unlock, not by anyone's edit).
  const isBookkeeping = (doc: Readonly<Record<string, unknown>>) => doc.type === 'audit' || doc.type === 'workstation';
  const countWaiting = async (): Promise<PendingCount> => {
    const counts = await Promise.all(replications.map((replication, index) => (collections[index]!.push ? countPendingPushes(replication, undefined, isBookkeeping).catch(() => none) : Promise.resolve(none))));
    return counts.reduce((sum, count) => ({ all: sum.all + count.all, bookkeeping: sum.bookkeeping + count.bookkeeping }), none);
  };
  let counting: Promise<void> | undefined;
  let countAgain = false;
  const moving = () => active.some(Boolean) && status.connection === 'online';
  function refreshPending(): void {
    if (counting) {
      countAgain = true;
      return;
    }
    if (moving()) return;
    counting = (async () => {
      do {
        countAgain = false;
        if (moving()) break;
        const pending = await countWaiting();
        if (stopped) return;
        update({ pending: pending.all, pendingAudit: pending.bookkeeping });
        await new Promise((resolve) => setTimeout(resolve, pendingCountGapMs));
      } while (countAgain && !stopped);
    })().finally(() => {
      counting = undefined;
    });
  }

  /**
   * When documents start to move, one count of what waits: a backlog worth
   * showing (after time offline, say) gets its progress, counted from the
   * documents sent since. One count per stretch of activity, however long.
   */
  let backlogCounted = false;
  let sentSinceActive = 0;
  function countBacklog(): void {
    if (backlogCounted) return;
    backlogCounted = true;
    void countWaiting().then(({ all: waiting, bookkeeping }) => {
      if (stopped || !active.some(Boolean) || status.sending || waiting <= progressWorthShowing) return;
      update({ pending: waiting, pendingAudit: bookkeeping, sending: { sent: sentSinceActive, expected: waiting + sentSinceActive } });
    });
  }

  /** The streams the status follows, typed apart from the collection's document type. */
  const streams = <T>(replication: RxCouchDBReplicationState<T>): { active$: typeof replication.active$; error$: typeof replication.error$; received$: Subscribable; sent$: Subscribable } => ({
    active$: replication.active$,
    error$: replication.error$,
    received$: replication.received$,
    sent$: replication.sent$,
  });
  const subscriptions = replications.map(streams).flatMap((replication, index) => [
    replication.active$.subscribe((isActive) => {
      active[index] = isActive;
      const any = active.some(Boolean);
      if (isActive) failedSinceActive = false;
      if (!any && !failedSinceActive && status.connection === 'online') {
        const at = now();
        options.saveLastSyncedAt(at);
        update({ active: false, lastSyncedAt: at, problem: null, sending: null });
      } else update({ active: any, ...(any ? {} : { sending: null }) });
      if (any) countBacklog();
      else {
        backlogCounted = false;
        sentSinceActive = 0;
      }
      refreshPending();
    }),
    replication.error$.subscribe(() => {
      failedSinceActive = true;
      refreshPending();
    }),
    replication.sent$.subscribe(() => {
      sentSinceActive++;
      if (status.sending) update({ sending: { ...status.sending, sent: Math.min(status.sending.expected, status.sending.sent + 1) } });
    }),
    replication.received$.subscribe(() => {
      receivedSinceStart++;
      if (status.initialPull) update({ initialPull: { ...status.initialPull, received: Math.min(status.initialPull.expected, status.initialPull.received + 1) } });
    }),
  ]);
  const localWrites = collections.filter((collection) => collection.push).map((collection) => collection.collection.$.subscribe(refreshPending));

  // The first pull of a clinic's data can be long: show how far it is, as "what is here of what the hub holds".
  // The pull starts at once; documents that arrive while the counts are asked for are added back.
  void (async () => {
    const receivedBefore = receivedSinceStart;
    const pulled = collections.filter((collection) => collection.pull);
    const remoteCounts = await Promise.all(
      pulled.map(async ({ database }) => {
        const answer = await options.call({ method: 'GET', path: `/${database}` }).catch(() => undefined);
        const info = answer?.status === 200 ? (JSON.parse(answer.body) as { doc_count?: unknown }) : undefined;
        return typeof info?.doc_count === 'number' ? info.doc_count : 0;
      }),
    );
    const arrivedMeanwhile = receivedSinceStart - receivedBefore;
    const localCounts = await Promise.all(pulled.map(({ collection }) => collection.count().exec()));
    const localCount = localCounts.reduce((a, b) => a + b, 0) - arrivedMeanwhile;
    const expected = remoteCounts.reduce((a, b) => a + b, 0);
    if (expected - localCount > progressWorthShowing && !stopped) update({ initialPull: { received: Math.min(expected, localCount + receivedSinceStart - receivedBefore), expected } });
    await Promise.all(replications.map((r) => r.awaitInitialReplication()));
    if (!stopped) update({ initialPull: null });
  })().catch(() => undefined);

  return {
    status: () => status,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async awaitInSync() {
      await Promise.all(replications.map((r) => r.awaitInSync()));
    },
    async stop() {
      stopped = true;
      for (const subscription of [...subscriptions, ...localWrites]) subscription.unsubscribe();
      await Promise.all(replications.map((r) => r.cancel()));
      listeners.clear();
    },
  };
}
