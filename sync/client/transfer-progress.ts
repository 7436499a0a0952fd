import type { RxCouchDBReplicationState } from 'rxdb/plugins/replication-couchdb';
import type { Doc, Replicated } from './collection-replication';
import type { HubCaller } from './hub-fetch';
import type { PendingCount } from './pending-count';
import type { SyncStatusStore } from './sync-status-store';

/** Documents still to come, or still to go, for which the status shows progress (fewer take a moment). */
const progressWorthShowing = 200;

export interface TransferProgressOptions {
  status: SyncStatusStore;
  countWaiting: () => Promise<PendingCount>;
  /** Some replication is moving documents. */
  anyActive: () => boolean;
  stopped: () => boolean;
}

/** The progress the status shows of long transfers: the first pull of a clinic's data, and a backlog of local edits going to the hub. */
export interface TransferProgress {
  /** Documents started to move. */
  started(): void;
  /** No replication moves documents any more. */
  idle(): void;
  sent(): void;
  received(): void;
  /** Shows the first pull's progress, if it is long, until every collection has caught up once. */
  followInitialPull(call: HubCaller, pulled: readonly Replicated[], replications: readonly RxCouchDBReplicationState<Doc>[]): void;
}

/** How many documents the hub holds in these databases; one it cannot count counts none. */
async function hubDocumentCount(call: HubCaller, databases: readonly string[]): Promise<number> {
  const counts = await Promise.all(
    databases.map(async (database) => {
      const answer = await call({ method: 'GET', path: `/${database}` }).catch(() => undefined);
      const info = answer?.status === 200 ? (JSON.parse(answer.body) as { doc_count?: unknown }) : undefined;
      return typeof info?.doc_count === 'number' ? info.doc_count : 0;
    }),
  );
  return counts.reduce((a, b) => a + b, 0);
}

export function createTransferProgress({ status, countWaiting, anyActive, stopped }: TransferProgressOptions): TransferProgress {
  let backlogCounted = false;
  let sentSinceActive = 0;
  let receivedSinceStart = 0;

  return {
    /**
     * When documents start to move, one count of what waits: a backlog worth
     * showing (after time offline, say) gets its progress, counted from the
     * documents sent since. One count per stretch of activity, however long.
     */
    started(): void {
      if (backlogCounted) return;
      backlogCounted = true;
      void countWaiting().then(({ all: waiting, bookkeeping }) => {
        if (stopped() || !anyActive() || status.current().sending || waiting <= progressWorthShowing) return;
        status.update({ pending: waiting, pendingAudit: bookkeeping, sending: { sent: sentSinceActive, expected: waiting + sentSinceActive } });
      });
    },
    idle(): void {
      backlogCounted = false;
      sentSinceActive = 0;
    },
    sent(): void {
      sentSinceActive++;
      const sending = status.current().sending;
      if (sending) status.update({ sending: { ...sending, sent: Math.min(sending.expected, sending.sent + 1) } });
    },
    received(): void {
      receivedSinceStart++;
      const initialPull = status.current().initialPull;
      if (initialPull) status.update({ initialPull: { ...initialPull, received: Math.min(initialPull.expected, initialPull.received + 1) } });
    },

    // The first pull of a clinic's data can be long: show how far it is, as "what is here of what the hub holds".
    // The pull starts at once; documents that arrive while the counts are asked for are added back.
    followInitialPull(call: HubCaller, pulled: readonly Replicated[], replications: readonly RxCouchDBReplicationState<Doc>[]): void {
      void (async () => {
        const receivedBefore = receivedSinceStart;
        const expected = await hubDocumentCount(call, pulled.map(({ database }) => database));
        const arrivedMeanwhile = receivedSinceStart - receivedBefore;
        const localCounts = await Promise.all(pulled.map(({ collection }) => collection.count().exec()));
        const localCount = localCounts.reduce((a, b) => a + b, 0) - arrivedMeanwhile;
        if (expected - localCount > progressWorthShowing && !stopped()) status.update({ initialPull: { received: Math.min(expected, localCount + receivedSinceStart - receivedBefore), expected } });
        await Promise.all(replications.map((r) => r.awaitInitialReplication()));
        if (!stopped()) status.update({ initialPull: null });
      })().catch(() => undefined);
    },
  };
}
