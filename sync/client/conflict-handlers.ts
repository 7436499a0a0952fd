import type { RxConflictHandler, WithDeleted } from 'rxdb';
import { mergeRecords } from '../../app/conflicts/merge-records';
import { mergeStaffAccounts, type SealedStaffAccount } from '../../app/conflicts/merge-staff-accounts';
import type { SealedRecord } from '../../app/records/sealed-record';
import { choosePulledStaff, choosePulledVersion } from './pulled-version';
import { withoutRxDeleted } from './rx-deleted';

/**
 * What RxDB calls when a push finds the hub holding another version of a
 * record. RxDB's default keeps the hub's version and drops the local edit;
 * these never drop an edit:
 *
 *  - unlocked (the data key is in memory): a three-way merge of the decrypted
 *    payloads (app/conflicts), the conflict records saved before the merged
 *    version is handed back; a hub version that does not open while the
 *    local one does is not merged and does not win: the local edit is pushed
 *    over it and the hub's is kept aside (pulled-version.ts, issue 12);
 *  - locked (no key): the hub's version is taken for now, and the local
 *    version is parked whole, sealed as it was, to be merged at the next
 *    unlock. Replication keeps running while the workstation is locked.
 *
 * RxDB passes no `assumedMasterState` when a push reached the hub but its
 * answer was lost; the merge then has no ancestor and lists every difference.
 */

export interface UnlockedKey {
  dataKey: CryptoKey;
  /** A fresh clock value (the merge is a new edit). */
  tick(): string;
  now(): number;
}

export interface ParkedConflict {
  base: SealedRecord | undefined;
  local: SealedRecord;
  remote: SealedRecord;
}

export interface ConflictDesk {
  /** The key while a session is open, else undefined. */
  key(): UnlockedKey | undefined;
  /** Stores conflict records; awaited before the merge is returned, so a power cut right after loses nothing. */
  saveConflicts(records: readonly SealedRecord[]): Promise<void>;
  /** Keeps a local version that could not be merged now; awaited before the hub's version replaces it. */
  park(conflict: ParkedConflict): Promise<void>;
  /** Keeps a hub version that does not open aside, for an administrator (renderer/store/kept-aside.ts). */
  keepAside(arrival: SealedRecord): Promise<void>;
  /** The same for a staff account. */
  keepAsideStaff(arrival: SealedStaffAccount): Promise<void>;
}

const withoutDeleted = (doc: WithDeleted<SealedRecord>): SealedRecord => withoutRxDeleted<SealedRecord>(doc);

export function createRecordsConflictHandler(desk: () => ConflictDesk | undefined): RxConflictHandler<SealedRecord> {
  return {
    // Every edit seals with a fresh IV: the same sealed text and clock means the same version.
    isEqual: (a, b) => a.hlc === b.hlc && a.sealed === b.sealed && a.deleted === b.deleted && a._deleted === b._deleted,

    async resolve({ assumedMasterState, realMasterState, newDocumentState }) {
      const current = desk();
      // Throwing makes RxDB retry the push later: never guess, never drop.
      if (!current) throw new Error('Sync started before the store could resolve conflicts.');
      const local = withoutDeleted(newDocumentState);
      const remote = withoutDeleted(realMasterState);
      const base = assumedMasterState ? withoutDeleted(assumedMasterState) : undefined;
      const key = current.key();
      if (key) {
        if ((await choosePulledVersion({ dataKey: key.dataKey, arrival: remote, local })) === 'local') {
          // Written to the fork over the hub's revision, so the next push replaces it there: the clinic heals.
          await current.keepAside(remote);
          return newDocumentState;
        }
        try {
          const { record, conflicts } = await mergeRecords({ dataKey: key.dataKey, base, local, remote, hlc: key.tick(), now: key.now() });
          await current.saveConflicts(conflicts);
          return { ...record, _deleted: realMasterState._deleted && newDocumentState._deleted };
        } catch {
          // A version that does not open (damaged, or another clinic's key) cannot be merged: keep it whole instead.
        }
      }
      await current.park({ base, local, remote });
      return realMasterState;
    },
  };
}

/**
 * Staff accounts: unlocked, the two edits are merged (app/conflicts/
 * merge-staff-accounts.ts: a passphrase changed on one workstation and a role
 * changed on another both stay). Locked, the claims cannot be opened, and the
 * later edit (by clock) wins whole; so does an account that does not open.
 */
export function createStaffConflictHandler<T extends SealedStaffAccount>(desk: () => ConflictDesk | undefined): RxConflictHandler<T> {
  return {
    isEqual: (a, b) => a.hlc === b.hlc && a._deleted === b._deleted,
    async resolve({ assumedMasterState, realMasterState, newDocumentState }) {
      const later = newDocumentState.hlc > realMasterState.hlc ? newDocumentState : realMasterState;
      const current = desk();
      const key = current?.key();
      if (!current || !key || realMasterState._deleted || newDocumentState._deleted) return later;
      const remote = withoutRxDeleted<T>(realMasterState);
      if ((await choosePulledStaff({ dataKey: key.dataKey, arrival: remote, local: withoutRxDeleted<T>(newDocumentState) })) === 'local') {
        // As for records: the local account is pushed over the hub's, which is kept aside.
        await current.keepAsideStaff(remote);
        return newDocumentState;
      }
      try {
        const merged = await mergeStaffAccounts({
          dataKey: key.dataKey,
          base: assumedMasterState && !assumedMasterState._deleted ? withoutRxDeleted<T>(assumedMasterState) : undefined,
          local: withoutRxDeleted<T>(newDocumentState),
          remote,
          hlc: key.tick(),
          now: key.now(),
        });
        return { ...merged, _deleted: false };
      } catch {
        return later;
      }
    },
  };
}
