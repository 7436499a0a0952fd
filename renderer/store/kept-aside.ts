import { z } from 'zod';
import { requirePermission } from '../../app/auth/roles';
import { toHex, utf8 } from '../../app/crypto/bytes';
import { sealedRecordSchema, type RecordType, type SealedRecord } from '../../app/records/sealed-record';
import { choosePulledVersion, opensWith, sameVersion } from '../../sync/client/pulled-version';
import type { ClinicDatabase } from './database';
import type { Session } from './session';

/**
 * Versions of records that arrived from the hub and did not open under the
 * clinic key while this workstation held a version that does (issue 12,
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
const uncheckedPrefix = 'unchecked-arrival-';

/** Local ids are at most 64 characters: entries are named by a digest. */
const digest = async (text: string) => toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', utf8(text)))).slice(0, 40);
const keptId = async (arrival: SealedRecord) => keptPrefix + (await digest(`${arrival.id}\u0000${arrival.hlc}\u0000${arrival.sealed}`));
// One entry per record: a second arrival while still locked adds to it.
const uncheckedId = async (recordId: string) => uncheckedPrefix + (await digest(recordId));

const keptEntrySchema = z.object({ arrival: sealedRecordSchema, arrivedAt: z.number().int().nonnegative() }).strict();
const uncheckedEntrySchema = z
  .object({
    /** The versions this workstation held before arrivals replaced them while locked, oldest first. */
    held: z.array(sealedRecordSchema).min(1),
    arrival: sealedRecordSchema,
    arrivedAt: z.number().int().nonnegative(),
  })
  .strict();
type UncheckedEntry = z.infer<typeof uncheckedEntrySchema>;

/** What an administrator sees of one: no content (it cannot be opened), only what the hub showed in clear. */
export interface KeptAsideArrival {
  /** The entry's own id, to dismiss it. */
  id: string;
  recordId: string;
  recordType: RecordType;
  arrivedAt: number;
}

export interface KeptAsideOptions {
  /** The clinic data key while unlocked. */
  key(): CryptoKey | undefined;
  now?: () => number;
}

/** The store of kept-aside arrivals; each method is described where it is made below. */
export interface KeptAside {
  keep(arrival: SealedRecord, arrivedAt?: number): Promise<void>;
  guardPulled(arrival: SealedRecord): Promise<SealedRecord | undefined>;
  checkStoredWhileLocked(session: Session): Promise<void>;
  list(session: Session): Promise<KeptAsideArrival[]>;
  dismiss(session: Session, id: string): Promise<void>;
}

export function createKeptAside(db: ClinicDatabase, options: KeptAsideOptions): KeptAside {
  const now = options.now ?? (() => Date.now());

  async function keep(arrival: SealedRecord, arrivedAt = now()): Promise<void> {
    await db.local.upsert({ id: await keptId(arrival), value: JSON.stringify({ arrival, arrivedAt }) });
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

  async function localVersion(id: string): Promise<SealedRecord | undefined> {
    const doc = await db.records.findOne(id).exec();
    return doc ? sealedRecordSchema.parse(doc.toMutableJSON()) : undefined;
  }

  /** While locked: the version an arrival is about to replace, remembered to be checked at unlock. */
  async function rememberReplaced(local: SealedRecord, arrival: SealedRecord): Promise<void> {
    const id = await uncheckedId(arrival.id);
    const existing = await db.local.findOne(id).exec();
    const before = existing ? parse(uncheckedEntrySchema, existing.value) : undefined;
    // The local version is the previous arrival of this entry: the versions held before it are still the ones to fall back to.
    const held = before && sameVersion(before.arrival, local) ? [...before.held, local] : [local];
    const entry: UncheckedEntry = { held, arrival, arrivedAt: now() };
    await db.local.upsert({ id, value: JSON.stringify(entry) });
  }

  return {
    keep,

    /**
     * For the pull (clinic-sync.ts `guardPulledRecord`): the local version to
     * store instead of the arrival, or undefined to store the arrival. Never
     * throws (an error inside RxDB's pull would stop it): when the local
     * version cannot be read, the arrival is stored as before this check existed.
     */
    async guardPulled(arrival: SealedRecord): Promise<SealedRecord | undefined> {
      let local: SealedRecord | undefined;
      try {
        local = await localVersion(arrival.id);
      } catch {
        return undefined;
      }
      if (!local || sameVersion(local, arrival)) return undefined;
      const dataKey = options.key();
      if (!dataKey) {
        await rememberReplaced(local, arrival).catch(() => undefined);
        return undefined;
      }
      if ((await choosePulledVersion({ dataKey, arrival, local })) === 'arrival') return undefined;
      // The arrival is still on the hub if this write fails; the local version is what must not be lost.
      await keep(arrival).catch(() => undefined);
      return local;
    },

    /**
     * At unlock (and after records change while unlocked): every arrival
     * stored while locked is tested now. One that opens, or that a later
     * version has replaced since, needs nothing; one that does not open is
     * kept aside and the latest version held before it that opens is written
     * back. Entries are removed only after that is written.
     */
    async checkStoredWhileLocked(session: Session): Promise<void> {
      for (const { id, value } of await entries(uncheckedPrefix)) {
        const entry = parse(uncheckedEntrySchema, value);
        const current = entry ? await localVersion(entry.arrival.id) : undefined;
        if (entry && current && sameVersion(current, entry.arrival) && !(await opensWith(session.dataKey, current))) {
          const opening: SealedRecord[] = [];
          for (const version of entry.held) if (await opensWith(session.dataKey, version)) opening.push(version);
          const restore = opening.at(-1);
          if (restore) {
            for (const version of [...entry.held.filter((v) => !opening.includes(v)), entry.arrival]) await keep(version, entry.arrivedAt);
            await db.records.upsert(restore);
          }
        }
        await db.local.findOne(id).exec().then((doc) => doc?.remove());
      }
    },

    /** For an administrator: arrivals kept aside, newest first. */
    async list(session: Session): Promise<KeptAsideArrival[]> {
      requirePermission(session, 'sync.review');
      const kept: KeptAsideArrival[] = [];
      for (const { id, value } of await entries(keptPrefix)) {
        const entry = parse(keptEntrySchema, value);
        if (entry) kept.push({ id, recordId: entry.arrival.id, recordType: entry.arrival.type, arrivedAt: entry.arrivedAt });
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

