import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../sync/client/clinic-sync';
import { summarizeSync } from './sync-summary';

const base: SyncStatus = { connection: 'online', active: false, lastSyncedAt: 1, pending: 0, pendingAudit: 0, problem: null, initialPull: null, sending: null, refusedByHub: 0, unacceptableFromHub: 0 };

describe('summarizeSync', () => {
  it('says synced when the hub answers and nothing moves or waits', () => {
    expect(summarizeSync(base).state).toBe('synced');
    expect(summarizeSync({ ...base, lastSyncedAt: null }).state).toBe('waiting');
  });

  it('puts a refusal first: it needs a person', () => {
    expect(summarizeSync({ ...base, connection: 'refused', pending: 3, initialPull: { received: 1, expected: 500 } }).state).toBe('refused');
  });

  it('says when the hub refused changes, which then stay on this workstation only, once nothing else moves', () => {
    expect(summarizeSync({ ...base, refusedByHub: 2 })).toEqual({ state: 'withheld', key: 'withheld', values: { count: 2 } });
    expect(summarizeSync({ ...base, refusedByHub: 2, active: true }).state).toBe('syncing');
    expect(summarizeSync({ ...base, unacceptableFromHub: 3 })).toEqual({ state: 'withheld', key: 'unacceptable', values: { count: 3 } });
  });

  it('shows the first pull with its counts while it runs', () => {
    expect(summarizeSync({ ...base, active: true, initialPull: { received: 1200, expected: 20000 } })).toEqual({ state: 'pulling', key: 'pulling', values: { received: 1200, expected: 20000 } });
  });

  it('counts the changes waiting while offline', () => {
    expect(summarizeSync({ ...base, connection: 'offline', pending: 4 })).toEqual({ state: 'offline', key: 'offlinePending', values: { count: 4 } });
    expect(summarizeSync({ ...base, connection: 'offline' }).key).toBe('offline');
  });

  it('says syncing while documents move, and what waits once online', () => {
    expect(summarizeSync({ ...base, active: true, pending: 2 }).state).toBe('syncing');
    expect(summarizeSync({ ...base, pending: 2 })).toEqual({ state: 'pending', key: 'pending', values: { count: 2 } });
    expect(summarizeSync({ ...base, connection: 'connecting' }).state).toBe('connecting');
  });

  it('shows a backlog of changes going out with its counts, and offline first when the link drops under it', () => {
    const sending = { sent: 300, expected: 5000 };
    expect(summarizeSync({ ...base, active: true, sending })).toEqual({ state: 'sending', key: 'sending', values: sending });
    expect(summarizeSync({ ...base, active: true, connection: 'offline', pending: 4700, sending }).state).toBe('offline');
  });

  it('counts the changes people made, not the audit entries written as they worked', () => {
    // One patient edited: the record, and six audit entries (logins, charts opened, the search).
    expect(summarizeSync({ ...base, pending: 7, pendingAudit: 6 })).toEqual({ state: 'pending', key: 'pending', values: { count: 1 } });
    expect(summarizeSync({ ...base, connection: 'offline', pending: 7, pendingAudit: 6 })).toEqual({ state: 'offline', key: 'offlinePending', values: { count: 1 } });
    expect(summarizeSync({ ...base, connection: 'offline', pending: 6, pendingAudit: 6 })).toEqual({ state: 'offline', key: 'offline', values: {} });
    expect(summarizeSync({ ...base, pending: 6, pendingAudit: 6 }).state).toBe('synced');
  });
});
