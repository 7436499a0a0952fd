import type { RxCouchDBReplicationState } from 'rxdb/plugins/replication-couchdb';
import type { SyncStatusStore } from './sync-status-store';
import type { TransferProgress } from './transfer-progress';

interface Subscribable {
  subscribe(next: () => void): { unsubscribe(): void };
}

/** The streams the status follows, typed apart from the collection's document type. */
const streams = <T>(replication: RxCouchDBReplicationState<T>): { active$: typeof replication.active$; error$: typeof replication.error$; received$: Subscribable; sent$: Subscribable } => ({
  active$: replication.active$,
  error$: replication.error$,
  received$: replication.received$,
  sent$: replication.sent$,
});

export interface ReplicationActivityOptions {
  status: SyncStatusStore;
  progress: TransferProgress;
  refreshPending: () => void;
  now: () => number;
  saveLastSyncedAt: (ms: number) => void;
}

/**
 * Follows every replication into the status: active while any moves
 * documents, and in step with the hub (`lastSyncedAt`) when all have come to
 * rest online with no failure since the last start. Keeps `active[i]` for
 * `replications[i]`; the subscriptions are returned to be ended at stop.
 */
export function followReplications<T>(replications: readonly RxCouchDBReplicationState<T>[], active: boolean[], options: ReplicationActivityOptions): { unsubscribe(): void }[] {
  const { status, progress, refreshPending } = options;
  let failedSinceActive = false;
  return replications.map(streams).flatMap((replication, index) => [
    replication.active$.subscribe((isActive) => {
      active[index] = isActive;
      const any = active.some(Boolean);
      if (isActive) failedSinceActive = false;
      if (!any && !failedSinceActive && status.current().connection === 'online') {
        const at = options.now();
        options.saveLastSyncedAt(at);
        status.update({ active: false, lastSyncedAt: at, problem: null, sending: null });
      } else status.update({ active: any, ...(any ? {} : { sending: null }) });
      if (any) progress.started();
      else progress.idle();
      refreshPending();
    }),
    replication.error$.subscribe(() => {
      failedSinceActive = true;
      refreshPending();
    }),
    replication.sent$.subscribe(() => progress.sent()),
    replication.received$.subscribe(() => progress.received()),
  ]);
}
