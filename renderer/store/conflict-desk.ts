import type { StaffAccount } from '../../app/auth/staff-account';
import { mergeRecords } from '../../app/conflicts/merge-records';
import { sealedRecordSchema, type SealedRecord } from '../../app/records/sealed-record';
import type { ConflictDesk, ParkedConflict, UnlockedKey } from '../../sync/client/conflict-handlers';
import { choosePulledVersion } from '../../sync/client/pulled-version';
import type { ClinicDatabase } from './database';
import { entryDigest, localEntries } from './local-entries';
import type { Session } from './session';

/**
 * Where the sync conflict handler puts what it finds (sync/client/
 * conflict-handlers.ts): conflict records go into the replicated records
 * collection; a local edit met while the workstation is locked is parked
 * whole, sealed as it was, in this workstation's own collection, and merged
 * at the next unlock. Parked entries are removed only after their merge is
 * written, so a power cut at any point leaves the edit in one place or both.
 */

const parkedPrefix = 'parked-';
// A parked entry is named by a digest of the edit it holds.
const parkedId = async (record: SealedRecord) => parkedPrefix + (await entryDigest(`${record.id}\u0000${record.hlc}`));

export interface ConflictDeskOptions {
  clock: { tick(): string };
  /** Where a hub version that does not open is kept for an administrator (kept-aside.ts). */
  keepAside: (arrival: SealedRecord) => Promise<void>;
  /** The same for a staff account. */
  keepAsideStaff: (arrival: StaffAccount) => Promise<void>;
  now?: () => number;
}

/** The conflict desk the replication's handlers call, and the store's hold on it. */
export interface ConflictDeskHandle {
  desk: ConflictDesk;
  /** Opens the desk with the unlocked session's key, or closes it (lock). */
  setSession(next: Session | undefined): void;
  /** Merges every edit parked while locked; returns how many stay parked (they do not open with this key). */
  mergeParked(current: Session): Promise<number>;
}

export function createConflictDesk(db: ClinicDatabase, options: ConflictDeskOptions): ConflictDeskHandle {
  const now = options.now ?? (() => Date.now());
  let session: Session | undefined;

  const saveConflicts = async (records: readonly SealedRecord[]) => {
    if (records.length) await db.records.bulkUpsert([...records]);
  };

  const desk: ConflictDesk = {
    key: (): UnlockedKey | undefined => (session ? { dataKey: session.dataKey, tick: () => options.clock.tick(), now } : undefined),
    saveConflicts,
    keepAside: (arrival) => options.keepAside(arrival),
    keepAsideStaff: (arrival) => options.keepAsideStaff(arrival),
    async park(conflict: ParkedConflict) {
      await db.local.upsert({ id: await parkedId(conflict.local), value: JSON.stringify(conflict) });
    },
  };

  async function parkedEntries(): Promise<{ id: string; conflict: ParkedConflict | undefined }[]> {
    return (await localEntries(db, parkedPrefix)).map((doc) => {
      try {
        const raw = JSON.parse(doc.value) as { base?: unknown; local: unknown; remote: unknown };
        return {
          id: doc.id,
          conflict: { base: raw.base === undefined ? undefined : sealedRecordSchema.parse(raw.base), local: sealedRecordSchema.parse(raw.local), remote: sealedRecordSchema.parse(raw.remote) },
        };
      } catch {
        return { id: doc.id, conflict: undefined };
      }
    });
  }

  return {
    desk,
    /** Opens the desk with the unlocked session's key, or closes it (lock). */
    setSession(next: Session | undefined) {
      session = next;
    },

    /**
     * Merges every edit parked while locked into the record as it is now.
     * Returns how many remain parked (they do not open with this key): they
     * stay, counted on the conflicts screen, never dropped.
     */
    async mergeParked(current: Session): Promise<number> {
      let remaining = 0;
      for (const entry of await parkedEntries()) {
        if (!entry.conflict) {
          remaining++;
          continue;
        }
        const { base, local } = entry.conflict;
        const doc = await db.records.findOne(local.id).exec();
        const remote = doc ? sealedRecordSchema.parse(doc.toMutableJSON()) : entry.conflict.remote;
        if ((await choosePulledVersion({ dataKey: current.dataKey, arrival: remote, local })) === 'local') {
          // The hub's version taken while locked does not open: the parked edit is the record again (and is pushed over it).
          await options.keepAside(remote);
          await db.records.upsert(local);
          await db.local.findOne(entry.id).exec().then((d) => d?.remove());
          continue;
        }
        try {
          const merged = await mergeRecords({ dataKey: current.dataKey, base, local, remote, hlc: options.clock.tick(), now: now() });
          await saveConflicts(merged.conflicts);
          if (merged.record !== remote) await db.records.upsert(merged.record);
          await db.local.findOne(entry.id).exec().then((d) => d?.remove());
        } catch {
          remaining++;
        }
      }
      return remaining;
    },
  };
}

