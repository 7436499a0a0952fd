import type { SyncStatus } from '../../app/contract/sync-status';

/** The sync status as it stands, and who is told each change. */
export interface SyncStatusStore {
  current(): SyncStatus;
  update(patch: Partial<SyncStatus>): void;
  subscribe(listener: (status: SyncStatus) => void): () => void;
  /** At stop: nobody is told anything more. */
  clear(): void;
}

export function createSyncStatusStore(lastSyncedAt: number | null): SyncStatusStore {
  const listeners = new Set<(status: SyncStatus) => void>();
  let status: SyncStatus = { connection: 'connecting', active: false, lastSyncedAt, pending: 0, pendingAudit: 0, problem: null, initialPull: null, sending: null, refusedByHub: 0, unacceptableFromHub: 0 };
  return {
    current: () => status,
    update(patch: Partial<SyncStatus>): void {
      status = { ...status, ...patch };
      for (const listener of listeners) listener(status);
    },
    subscribe(listener: (status: SyncStatus) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    clear(): void {
      listeners.clear();
    },
  };
}
