import type { SyncStatus } from '../../sync/client/clinic-sync';

export type SyncState = 'refused' | 'pulling' | 'offline' | 'connecting' | 'sending' | 'syncing' | 'pending' | 'synced' | 'waiting';

/**
 * The one line the frame shows for a sync status: what matters most first (a
 * refusal needs a person, the first pull takes long, being offline explains
 * waiting changes), as an i18n key under `status.sync` with its values.
 */
export interface SyncSummary {
  state: SyncState;
  key: string;
  values: { count?: number; received?: number; sent?: number; expected?: number };
}

export function summarizeSync(status: SyncStatus): SyncSummary {
  if (status.connection === 'refused') return { state: 'refused', key: 'refused', values: {} };
  if (status.initialPull) return { state: 'pulling', key: 'pulling', values: { ...status.initialPull } };
  if (status.connection === 'offline') {
    return status.pending > 0 ? { state: 'offline', key: 'offlinePending', values: { count: status.pending } } : { state: 'offline', key: 'offline', values: {} };
  }
  if (status.connection === 'connecting') return { state: 'connecting', key: 'connecting', values: {} };
  if (status.sending) return { state: 'sending', key: 'sending', values: { ...status.sending } };
  if (status.active) return { state: 'syncing', key: 'syncing', values: {} };
  if (status.pending > 0) return { state: 'pending', key: 'pending', values: { count: status.pending } };
  if (status.lastSyncedAt !== null) return { state: 'synced', key: 'synced', values: {} };
  return { state: 'waiting', key: 'notSyncedYet', values: {} };
}
