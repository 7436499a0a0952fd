import type { KeptAsideArrival } from '../../app/contract/data-api';
import { z } from 'zod';
import { requirePermission } from '../../app/auth/roles';
import { toHex, utf8 } from '../../app/crypto/bytes';
import { staffAccountSchema, type StaffAccount } from '../../app/auth/staff-account';
import { sealedRecordSchema, type SealedRecord } from '../../app/records/sealed-record';
import { choosePulled, opensWith, sameStaffVersion, sameVersion, staffOpensWith } from '../../sync/client/pulled-version';
import type { ClinicDatabase } from './database';
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

/** Local ids are at most 64 characters: entries are named by a digest. */
const digest = async (text: string) => toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', utf8(text)))).slice(0, 40);

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

/** The store of kept-aside arrivals; each method is described where it is made below. */
export interface KeptAside {
  keep(arrival: SealedRecord, arrivedAt?: number): Promise<void>;
  keepStaff(arrival: StaffAccount, arrivedAt?: number): Promise<void>;
  guardPulled(arrival: SealedRecord): Promise<SealedRecord | undefined>;
  guardPulledStaff(arrival: StaffAccount): Promise<StaffAccount | undefined>;
  checkStoredWhileLocked(session: Session): Promise<void>;
  list(session: Session): Promise<KeptAsideArrival[]>;
  dismiss(session: Session, id: string): Promise<void>;
}

/** What differs between records and staff accounts here; the rules are the same. */
interface Kind<T extends { id: string }> {
  /** An entry remembered while locked (see `rememberReplaced`). */
  unchecked: z.ZodType<UncheckedEntry<T>>;
  /** One entry per document while locked: a second arrival adds to it. */
  uncheckedPrefix: string;
  local(id: string): Promise<T | undefined>;
  restore(version: T): Promise<void>;
  same(a: T, b: T): boolean;
  opens(dataKey: CryptoKey, version: T): Promise<boolean>;
  keep(arrival: T, arrivedAt: number): Promise<void>;
}

interface UncheckedEntry<T> {
  /** The versions this workstation held before arrivals replaced them while locked, oldest first. */
  held: T[];
  arrival: T;
  arrivedAt: number;
}

const uncheckedSchema = <T>(schema: z.ZodType<T>): z.ZodType<UncheckedEntry<T>> =>
  z.object({ held: z.array(schema).min(1), arrival: schema, arrivedAt: z.number().int().nonnegative() }).strict();

export function createKeptAside(db: ClinicDatabase, options: KeptAsideOptions): KeptAside {
  const now = options.now ?? (() => Date.now());

  async function keep(arrival: SealedRecord, arrivedAt = now()): Promise<void> {
    const id = keptPrefix + (await digest(`${arrival.id}\u0000${arrival.hlc}\u0000${arrival.sealed}`));
    await db.local.upsert({ id, value: JSON.stringify({ arrival, arrivedAt }) });
  }

  async function keepStaff(staffArrival: StaffAccount, arrivedAt = now()): Promise<void> {
    const id = keptPrefix + (await digest(`staff\u0000${staffArrival.id}\u0000${staffArrival.hlc}\u0000${staffArrival.claims}`));
    await db.local.upsert({ id, value: JSON.stringify({ staffArrival, arrivedAt }) });
  }

  async function entries(prefix: string): Promise<{ id: string; value: string }[]> {
    const docs = await db.local.find({ selector: { id: { $gte: prefix, $lt: `${prefix}\uffff` } } }).exec();
    return docs.map((doc) => ({ id: doc.id, value: doc.value }));
  }

  const parse = <T>(schema: z.ZodType<T>, value: string): T | undefined => {
    try {
      const parsed = schema.safeParse(JSON.parse(value));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  };

  const records: Kind<SealedRecord> = {
    unchecked: uncheckedSchema(sealedRecordSchema),
    uncheckedPrefix: 'unchecked-arrival-',
    local: async (id) => {
      const doc = await db.records.findOne(id).exec();
      return doc ? sealedRecordSchema.parse(doc.toMutableJSON()) : undefined;
    },
    restore: async (version) => void (await db.records.upsert(version)),
    same: sameVersion,
    opens: opensWith,
    keep,
  };
  const staff: Kind<StaffAccount> = {
    unchecked: uncheckedSchema(staffAccountSchema),
    uncheckedPrefix: 'unchecked-staff-',
    local: async (id) => {
      const doc = await db.staff.findOne(id).exec();
      return doc ? staffAccountSchema.parse(doc.toMutableJSON()) : undefined;
    },
    restore: async (version) => void (await db.staff.upsert(version)),
    same: sameStaffVersion,
    opens: staffOpensWith,
    keep: keepStaff,
  };

  /** While locked: the version an arrival is about to replace, remembered to be checked at unlock. */
  async function rememberReplaced<T extends { id: string }>(kind: Kind<T>, local: T, arrival: T): Promise<void> {
    const id = kind.uncheckedPrefix + (await digest(arrival.id));
    const existing = await db.local.findOne(id).exec();
    const before = existing ? parse(kind.unchecked, existing.value) : undefined;
    // The local version is the previous arrival of this entry: the versions held before it are still the ones to fall back to.
    const held = before && kind.same(before.arrival, local) ? [...before.held, local] : [local];
    await db.local.upsert({ id, value: JSON.stringify({ held, arrival, arrivedAt: now() }) });
  }

  /**
   * For the pull (clinic-sync.ts `guardPulledRecord`, `guardPulledStaff`): the
   * local version to store instead of the arrival, or undefined to store the
   * arrival. Never throws (an error inside RxDB's pull would stop it): when the
   * local version cannot be read, the arrival is stored as before this check existed.
   */
  async function guard<T extends { id: string }>(kind: Kind<T>, arrival: T): Promise<T | undefined> {
    let local: T | undefined;
    try {
      local = await kind.local(arrival.id);
    } catch {
      return undefined;
    }
    if (!local || kind.same(local, arrival)) return undefined;
    const dataKey = options.key();
    if (!dataKey) {
      await rememberReplaced(kind, local, arrival).catch(() => undefined);
      return undefined;
    }
    if ((await choosePulled(arrival, local, (a, b) => kind.same(a, b), (version) => kind.opens(dataKey, version))) === 'arrival') return undefined;
    // The arrival is still on the hub if this write fails; the local version is what must not be lost.
    await kind.keep(arrival, now()).catch(() => undefined);
    return local;
  }

  /**
   * Every arrival stored while locked is tested now. One that opens, or that a
   * later version has replaced since, needs nothing; one that does not open is
   * kept aside and the latest version held before it that opens is written
   * back. Entries are removed only after that is written.
   */
  async function checkUnchecked<T extends { id: string }>(kind: Kind<T>, dataKey: CryptoKey): Promise<void> {
    for (const { id, value } of await entries(kind.uncheckedPrefix)) {
      const entry = parse(kind.unchecked, value);
      const current = entry ? await kind.local(entry.arrival.id) : undefined;
      if (entry && current && kind.same(current, entry.arrival) && !(await kind.opens(dataKey, current))) {
        const opening: T[] = [];
        for (const version of entry.held) if (await kind.opens(dataKey, version)) opening.push(version);
        const restore = opening.at(-1);
        if (restore) {
          for (const version of [...entry.held.filter((v) => !opening.includes(v)), entry.arrival]) await kind.keep(version, entry.arrivedAt);
          await kind.restore(restore);
        }
      }
      await db.local.findOne(id).exec().then((doc) => doc?.remove());
    }
  }

  return {
    keep,
    keepStaff,
    guardPulled: (arrival) => guard(records, arrival),
    guardPulledStaff: (arrival) => guard(staff, arrival),

    /** At unlock (and after records change while unlocked). */
    async checkStoredWhileLocked(session: Session): Promise<void> {
      await checkUnchecked(records, session.dataKey);
      await checkUnchecked(staff, session.dataKey);
    },

    /** For an administrator: arrivals kept aside, newest first. */
    async list(session: Session): Promise<KeptAsideArrival[]> {
      requirePermission(session, 'sync.review');
      const kept: KeptAsideArrival[] = [];
      for (const { id, value } of await entries(keptPrefix)) {
        const entry = parse(keptEntrySchema, value);
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
