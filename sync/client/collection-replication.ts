import type { RxCollection, WithDeleted } from 'rxdb';
import { couchDBDocToRxDocData, replicateCouchDB, type RxCouchDBReplicationState } from 'rxdb/plugins/replication-couchdb';
import type { z } from 'zod';
import type { CollectionName } from '../../app/replication/replicated-collections';
import { maxDocs } from '../protocol/requests';
import { hubBaseUrl } from './hub-fetch';
import { inCallOrder } from './in-call-order';
import { withoutRxDeleted } from './rx-deleted';

/** Any replicated document: all carry a clock. */
export type Doc = { hlc: string };

/** A replicated collection with its document type set aside, so the declared ones can be handled alike. */
export interface Replicated {
  name: CollectionName;
  database: string;
  collection: RxCollection<Doc>;
  schema: z.ZodType<Doc>;
  guardPulled?: (arrival: Doc) => Promise<Doc | undefined>;
  pull: boolean;
  push: boolean;
}

/** What every collection's replication is started with (clinic-sync.ts `ClinicSyncOptions` says what each is). */
export interface ReplicationOptions {
  hubId: string;
  observeClock(hlc: string): void;
  retryTimeMs?: number;
  waitForLeadership?: boolean;
}

/**
 * Documents per push request: as many as the hub takes in one. Fewer, larger
 * requests: each costs a round trip through the main process and the hub's
 * per-request work (100 → 1,000 halved the push of 100,000 in the benchmark).
 * A push body too large for one API request is split by hub-fetch.ts.
 */
const pushBatchSize = maxDocs;

/**
 * Documents RxDB stores at a time from a pull. Each batch is one IndexedDB
 * transaction whose reads and writes are issued in one unbroken turn of the
 * data worker (about 0.2 ms a document on our machines), which a search typed
 * meanwhile waits behind; the hub is still asked for 1,000 at a time
 * (pull-read-ahead.ts). Three first pulls of 100,000 patients each way, same
 * day (BENCHMARKS.md): 100 gave search p95 37-50 ms and 101-116 s, 50 gave
 * 27-33 ms and 114-128 s; the target is under 50 with room to spare.
 */
const pullBatchSize = 50;

/** The document in its collection's schema, or a TypeError: nothing else is stored or sent. */
const parse = (schema: z.ZodType<Doc>, name: CollectionName, doc: unknown): Doc => {
  const parsed = schema.safeParse(withoutRxDeleted(doc as Record<string, unknown>));
  if (!parsed.success) throw new TypeError(`A document of ${name} from or for the hub is not in the expected form; it was not stored.`);
  return parsed.data;
};

/** For the hub link, to leave out of a pull what would fail it: checked with the schemas the pull then applies (`parse`), so the pull never fails on one. */
export function acceptsPulled(collections: readonly Replicated[]): (database: string, doc: unknown) => boolean {
  return (database, doc) => {
    const schema = collections.find((collection) => collection.database === database)?.schema;
    return schema !== undefined && typeof doc === 'object' && doc !== null && schema.safeParse(withoutRxDeleted(couchDBDocToRxDocData('id', doc as Record<string, unknown>))).success;
  };
}

/** Starts one collection's live replication with the hub, in its declared directions only. */
export function replicateCollection({ name, collection, database, schema, guardPulled: guard, pull, push }: Replicated, options: ReplicationOptions, fetch: typeof globalThis.fetch): RxCouchDBReplicationState<Doc> {
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
  /**
   * RxDB runs the pull modifier of each live-stream batch inside an async
   * `mergeMap`, which passes batches on in the order their modifiers finish,
   * not the order they came: a later batch whose lookups finished first was
   * stored first, with its later checkpoint, and a stop before the earlier one
   * was stored (a restart, a power cut) left that earlier batch out for good,
   * as the checkpoint had already passed it (what most likely left the 197
   * records the fault run once found missing, with a checkpoint past them).
   * In call order (in-call-order.ts), batches reach the store in the order
   * they came.
   */
  const pulledInOrder = inCallOrder(pulled);
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
    ...(pull ? { pull: { batchSize: pullBatchSize, modifier: pulledInOrder } } : {}),
    ...(push ? { push: { batchSize: pushBatchSize, modifier: checked } } : {}),
  });
}
