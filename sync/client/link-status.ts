import type { SyncStatus } from '../../app/contract/sync-status';
import type { LinkObservation } from './hub-fetch';

const refusedWords = 'The hub does not accept this workstation any more (its access may have been withdrawn). Ask the clinic administrator to enroll it again. Everything recorded here stays safe on this workstation.';

/** What one answer (or no answer) from the hub says about the link, as a change to the status. */
export function linkStatus(observation: LinkObservation, current: SyncStatus): Partial<SyncStatus> {
  if (observation.kind === 'unreachable') return { connection: 'offline', problem: observation.message };
  if (observation.status === 401 || observation.status === 403) return { connection: 'refused', problem: refusedWords };
  if (observation.status < 500) return { connection: 'online', ...(current.connection !== 'online' ? { problem: null } : {}) };
  return { connection: 'online', problem: `The hub had a problem (HTTP ${observation.status}); sync tries again by itself.` };
}
