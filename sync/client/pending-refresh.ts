import type { RxCouchDBReplicationState } from 'rxdb/plugins/replication-couchdb';
import type { SyncStatus } from '../../app/contract/sync-status';
import type { Doc, Replicated } from './collection-replication';
import { countPendingPushes, type PendingCount } from './pending-count';

/** The least time between two counts of the edits waiting to be pushed. */
const pendingCountGapMs = 1000;

const none: PendingCount = { all: 0, bookkeeping: 0 };
// Audit entries, and the workstation's own name record (written at an unlock, not by anyone's edit).
const isBookkeeping = (doc: Readonly<Record<string, unknown>>) => doc.type === 'audit' || doc.type === 'workstation';

/** Local edits of the pushed collections not on the hub yet (a collection that cannot be counted now counts none); `collections[i]` is what `replications[i]` replicates. */
export async function countWaiting(replications: readonly RxCouchDBReplicationState<Doc>[], collections: readonly Replicated[]): Promise<PendingCount> {
  const counts = await Promise.all(replications.map((replication, index) => (collections[index]!.push ? countPendingPushes(replication, undefined, isBookkeeping).catch(() => none) : Promise.resolve(none))));
  return counts.reduce((sum, count) => ({ all: sum.all + count.all, bookkeeping: sum.bookkeeping + count.bookkeeping }), none);
}

export interface PendingRefreshOptions {
  countWaiting: () => Promise<PendingCount>;
  /** Documents are moving and the hub answers. */
  moving: () => boolean;
  stopped: () => boolean;
  update: (patch: Partial<SyncStatus>) => void;
}

/**
 * Asked for on every write and every replication step, counted at most
 * once per `pendingCountGapMs`, one count at a time: a count reads up to
 * thousands of documents, and asking for one per arriving document made the
 * first pull of a clinic quadratic. Not counted while documents are moving
 * and the hub answers: the frame then says "syncing" and shows no count,
 * and counting through a long push or pull took a third of the page's time
 * in the benchmark. Counted again as soon as they stop, or the link drops.
 */
export function createPendingRefresh(options: PendingRefreshOptions): () => void {
  let counting: Promise<void> | undefined;
  let countAgain = false;
  return function refreshPending(): void {
    if (counting) {
      countAgain = true;
      return;
    }
    if (options.moving()) return;
    counting = (async () => {
      do {
        countAgain = false;
        if (options.moving()) break;
        const pending = await options.countWaiting();
        if (options.stopped()) return;
        options.update({ pending: pending.all, pendingAudit: pending.bookkeeping });
        await new Promise((resolve) => setTimeout(resolve, pendingCountGapMs));
      } while (countAgain && !options.stopped());
    })().finally(() => {
      counting = undefined;
    });
  };
}
