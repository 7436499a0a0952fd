import type { KeptAsideArrival } from '../../app/contract/data-api';
import { z } from 'zod';
import { requirePermission } from '../../app/auth/roles';
import { staffAccountSchema, type StaffAccount } from '../../app/auth/staff-account';
import { sealedRecordSchema, type SealedRecord } from '../../app/records/sealed-record';
import { checkArrivedWhileLocked, guardArrival, recordArrivals, staffArrivals, type ArrivalCheckOptions } from './arrival-checks';
import type { ClinicDatabase } from './database';
import { entryDigest, localEntries, parseEntry } from './local-entries';
import type { Session } from './session';

/**
 * Versions of records and staff accounts that arrived from the hub and did not
 * open under the clinic key while this workstation held a version that does (issue 12,
 * sync/client/pulled-version.ts). The local version stays the record; the
 * arrival is kept aside here, in this workstation's own collection (never
 * replicated), sealed exactly as it came (this workstation cannot read it, and
 * nothing decrypted is ever stored), with when it arrived, until an
 * administrator has reviewed and dismissed it.
 *
 * While locked there is no key to test an arrival with, so the pull stores it
 * (refusing would stop sync, and most arrivals are good) and the version it
 * replaced is remembered here first; at the next unlock each is checked, and
 * where the arrival does not open and a remembered version does, that version
 * is written back (and so pushed over the hub's bad one) and the arrival kept
 * aside.
 */

const keptPrefix = 'kept-aside-';

const keptEntrySchema = z.union([
  z.object({ arrival: sealedRecordSchema, arrivedAt: z.number().int().nonnegative() }).strict(),
  z.object({ staffArrival: staffAccountSchema, arrivedAt: z.number().int().nonnegative() }).strict(),
]);

export type { KeptAsideArrival } from '../../app/contract/data-api';

export interface KeptAsideOptions {
  /** The clinic data key while unlocked. */
  key(): CryptoKey | undefined;
  now?: () => number;
}

/** The store of kept-aside arrivals; each method is described where it is made (below, and the checks in arrival-checks.ts). */
export interface KeptAside {
  keep(arrival: SealedRecord, arrivedAt?: number): Promise<void>;
  keepStaff(arrival: StaffAccount, arrivedAt?: number): Promise<void>;
  guardPulled(arrival: SealedRecord): Promise<SealedRecord | undefined>;
  guardPulledStaff(arrival: StaffAccount): Promise<StaffAccount | undefined>;
  checkStoredWhileLocked(session: Session): Promise<void>;
  list(session: Session): Promise<KeptAsideArrival[]>;
  dismiss(session: Session, id: string): Promise<void>;
}

export function createKeptAside(db: ClinicDatabase, options: KeptAsideOptions): KeptAside {
  const now = options.now ?? (() => Date.now());
  const checks: ArrivalCheckOptions = { key: () => options.key(), now };

  async function keep(arrival: SealedRecord, arrivedAt = now()): Promise<void> {
    const id = keptPrefix + (await entryDigest(`${arrival.id}\u0000${arrival.hlc}\u0000${arrival.sealed}`));
    await db.local.upsert({ id, value: JSON.stringify({ arrival, arrivedAt }) });
  }

  async function keepStaff(staffArrival: StaffAccount, arrivedAt = now()): Promise<void> {
    const id = keptPrefix + (await entryDigest(`staff\u0000${staffArrival.id}\u0000${staffArrival.hlc}\u0000${staffArrival.claims}`));
    await db.local.upsert({ id, value: JSON.stringify({ staffArrival, arrivedAt }) });
  }

  const records = recordArrivals(db, keep);
  const staff = staffArrivals(db, keepStaff);

  return {
    keep,
    keepStaff,
    guardPulled: (arrival) => guardArrival(db, records, arrival, checks),
    guardPulledStaff: (arrival) => guardArrival(db, staff, arrival, checks),

    /** At unlock (and after records change while unlocked). */
    async checkStoredWhileLocked(session: Session): Promise<void> {
      await checkArrivedWhileLocked(db, records, session.dataKey);
      await checkArrivedWhileLocked(db, staff, session.dataKey);
    },

    /** For an administrator: arrivals kept aside, newest first. */
    async list(session: Session): Promise<KeptAsideArrival[]> {
      requirePermission(session, 'sync.review');
      const kept: KeptAsideArrival[] = [];
      for (const { id, value } of await localEntries(db, keptPrefix)) {
        const entry = parseEntry(keptEntrySchema, value);
        if (!entry) continue;
        if ('arrival' in entry) kept.push({ id, recordId: entry.arrival.id, recordType: entry.arrival.type, arrivedAt: entry.arrivedAt });
        else kept.push({ id, recordId: entry.staffArrival.id, recordType: 'staffAccount', arrivedAt: entry.arrivedAt });
      }
      return kept.sort((a, b) => b.arrivedAt - a.arrivedAt);
    },

    /** An administrator has reviewed one: it is forgotten (the hub's own history still holds it). */
    async dismiss(session: Session, id: string): Promise<void> {
      requirePermission(session, 'sync.review');
      if (!id.startsWith(keptPrefix)) return;
      await db.local.findOne(id).exec().then((doc) => doc?.remove());
    },
  };
}
