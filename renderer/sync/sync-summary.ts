import type { SyncStatus } from '../../sync/client/clinic-sync';

export type SyncState = 'refused' | 'withheld' | 'pulling' | 'offline' | 'connecting' | 'sending' | 'syncing' | 'pending' | 'synced' | 'waiting';

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

/**
 * The changes people made that wait for the hub: patient records, readings,
 * conflict choices, staff accounts. Audit entries are left out (opening one
 * chart writes one), so one patient edit reads "1 change", never "7 changes".
 * The frame and the hub details both count this.
 */
export function changesWaiting(status: SyncStatus): number {
  return Math.max(0, status.pending - status.pendingAudit);
}

export function summarizeSync(status: SyncStatus): SyncSummary {
  const pending = changesWaiting(status);
  if (status.connection === 'refused') return { state: 'refused', key: 'refused', values: {} };
  if (status.initialPull) return { state: 'pulling', key: 'pulling', values: { ...status.initialPull } };
  if (status.connection === 'offline') {
    return pending > 0 ? { state: 'offline', key: 'offlinePending', values: { count: pending } } : { state: 'offline', key: 'offline', values: {} };
  }
  if (status.connection === 'connecting') return { state: 'connecting', key: 'connecting', values: {} };
  if (status.sending) return { state: 'sending', key: 'sending', values: { ...status.sending } };
  if (status.active) return { state: 'syncing', key: 'syncing', values: {} };
  if (status.refusedByHub > 0) return { state: 'withheld', key: 'withheld', values: { count: status.refusedByHub } };
  if (status.unacceptableFromHub > 0) return { state: 'withheld', key: 'unacceptable', values: { count: status.unacceptableFromHub } };
  if (pending > 0) return { state: 'pending', key: 'pending', values: { count: pending } };
  if (status.lastSyncedAt !== null) return { state: 'synced', key: 'synced', values: {} };
  return { state: 'waiting', key: 'notSyncedYet', values: {} };
}
