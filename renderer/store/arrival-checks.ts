import { z } from 'zod';
import { staffAccountSchema, type StaffAccount } from '../../app/auth/staff-account';
import { sealedRecordSchema, type SealedRecord } from '../../app/records/sealed-record';
import { choosePulled, opensWith, sameStaffVersion, sameVersion, staffOpensWith } from '../../sync/client/pulled-version';
import { batchedLookup } from './batched-lookup';
import type { ClinicDatabase } from './database';
import { entryDigest, localEntries, parseEntry } from './local-entries';

/**
 * The checks on an arrival from the hub that replaces a local version
 * (kept-aside.ts says why): at the pull while unlocked, or at the next unlock
 * for what was stored while locked. What they keep aside goes to the kind's `keep`.
 */

/** What differs between records and staff accounts here; the rules are the same. */
export interface ArrivalKind<T extends { id: string }> {
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

/** The stored version of a document, read with the others of its pulled batch; one that is not in its schema fails its own lookup only. */
function localVersion<T>(collection: ClinicDatabase['records'] | ClinicDatabase['staff'], schema: z.ZodType<T>): (id: string) => Promise<T | undefined> {
  const stored = batchedLookup(async (ids) => {
    const docs = await collection.findByIds([...ids]).exec();
    return new Map([...docs].map(([id, doc]) => [id, doc.toMutableJSON() as unknown]));
  });
  return async (id) => {
    const raw = await stored(id);
    return raw === undefined ? undefined : schema.parse(raw);
  };
}

export function recordArrivals(db: ClinicDatabase, keep: (arrival: SealedRecord, arrivedAt: number) => Promise<void>): ArrivalKind<SealedRecord> {
  return {
    unchecked: uncheckedSchema(sealedRecordSchema),
    uncheckedPrefix: 'unchecked-arrival-',
    local: localVersion(db.records, sealedRecordSchema),
    restore: async (version) => void (await db.records.upsert(version)),
    same: sameVersion,
    opens: opensWith,
    keep,
  };
}

export function staffArrivals(db: ClinicDatabase, keep: (arrival: StaffAccount, arrivedAt: number) => Promise<void>): ArrivalKind<StaffAccount> {
  return {
    unchecked: uncheckedSchema(staffAccountSchema),
    uncheckedPrefix: 'unchecked-staff-',
    local: localVersion(db.staff, staffAccountSchema),
    restore: async (version) => void (await db.staff.upsert(version)),
    same: sameStaffVersion,
    opens: staffOpensWith,
    keep,
  };
}

export interface ArrivalCheckOptions {
  /** The clinic data key while unlocked. */
  key(): CryptoKey | undefined;
  now(): number;
}

/** While locked: the version an arrival is about to replace, remembered to be checked at unlock. */
async function rememberReplaced<T extends { id: string }>(db: ClinicDatabase, kind: ArrivalKind<T>, local: T, arrival: T, options: ArrivalCheckOptions): Promise<void> {
  const id = kind.uncheckedPrefix + (await entryDigest(arrival.id));
  const existing = await db.local.findOne(id).exec();
  const before = existing ? parseEntry(kind.unchecked, existing.value) : undefined;
  // The local version is the previous arrival of this entry: the versions held before it are still the ones to fall back to.
  const held = before && kind.same(before.arrival, local) ? [...before.held, local] : [local];
  await db.local.upsert({ id, value: JSON.stringify({ held, arrival, arrivedAt: options.now() }) });
}

/**
 * For the pull (clinic-sync.ts `guardPulled`): the local version to store
 * instead of the arrival, or undefined to store the arrival. Never throws (an
 * error inside RxDB's pull would stop it): when the local version cannot be
 * read, the arrival is stored as before this check existed.
 */
export async function guardArrival<T extends { id: string }>(db: ClinicDatabase, kind: ArrivalKind<T>, arrival: T, options: ArrivalCheckOptions): Promise<T | undefined> {
  let local: T | undefined;
  try {
    local = await kind.local(arrival.id);
  } catch {
    return undefined;
  }
  if (!local || kind.same(local, arrival)) return undefined;
  const dataKey = options.key();
  if (!dataKey) {
    await rememberReplaced(db, kind, local, arrival, options).catch(() => undefined);
    return undefined;
  }
  if ((await choosePulled(arrival, local, (a, b) => kind.same(a, b), (version) => kind.opens(dataKey, version))) === 'arrival') return undefined;
  // The arrival is still on the hub if this write fails; the local version is what must not be lost.
  await kind.keep(arrival, options.now()).catch(() => undefined);
  return local;
}

/**
 * Every arrival stored while locked is tested now. One that opens, or that a
 * later version has replaced since, needs nothing; one that does not open is
 * kept aside and the latest version held before it that opens is written
 * back. Entries are removed only after that is written.
 */
export async function checkArrivedWhileLocked<T extends { id: string }>(db: ClinicDatabase, kind: ArrivalKind<T>, dataKey: CryptoKey): Promise<void> {
  for (const { id, value } of await localEntries(db, kind.uncheckedPrefix)) {
    const entry = parseEntry(kind.unchecked, value);
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
