import { openRecord, sealRecord, type SealedRecord } from '../../app/records/sealed-record';
import { workstationIdOfRecord, workstationNameSchema, workstationRecordId, workstationRecordSchema } from '../../app/workstations/workstation-record';
import type { ClinicDatabase } from './database';
import type { LocalState } from './local-state';
import type { Session } from './session';

/** This workstation's own name, as typed at enrollment: kept here until a session can seal it into the replicated record. */
const ownNameKey = 'workstation-name';

/**
 * The names of the clinic's workstations. Each workstation keeps its own name
 * locally (given at enrollment, before any key is here to seal it) and
 * publishes it as its sealed `workstation` record once unlocked; the records
 * replicate, so every workstation reads every name.
 */
/** The clinic's workstation names: this one's own, published sealed, and the others' as they arrive. */
export interface WorkstationDirectory {
  /** Kept before the clinic exists here (while joining), published at the first unlock. */
  rememberOwnName(name: string): Promise<void>;
  forgetOwnName(): Promise<void>;
  /** Writes this workstation's name record when it is missing or changed. */
  publishOwn(session: Session): Promise<void>;
  names(session: Session): Promise<Record<string, string>>;
}

export function createWorkstationDirectory(db: ClinicDatabase, local: LocalState, options: { clock: { tick(): string }; now?: () => number }): WorkstationDirectory {
  const now = options.now ?? (() => Date.now());

  async function ownName(): Promise<string | undefined> {
    const parsed = workstationNameSchema.safeParse(await local.get(ownNameKey));
    return parsed.success ? parsed.data : undefined;
  }

  /** The name a record holds; undefined when it does not open or is not a valid one (damaged, or from a newer version). */
  async function nameIn(session: Session, record: SealedRecord): Promise<string | undefined> {
    try {
      const parsed = workstationRecordSchema.safeParse(await openRecord(session.dataKey, record));
      return parsed.success ? parsed.data.name : undefined;
    } catch {
      return undefined;
    }
  }

  return {
    /**
     * Keeps this workstation's name (at enrollment); `publishOwn` makes it
     * known to the clinic. Called once the hub accepted the name, so a name it
     * would refuse never gets here; one that still does not fit is not kept
     * (the workstation is then shown by its id) rather than failing the enrollment.
     */
    async rememberOwnName(name: string): Promise<void> {
      const parsed = workstationNameSchema.safeParse(name);
      if (parsed.success) await local.put(ownNameKey, parsed.data);
    },

    /** A hub link undone before the clinic was set up: its name goes with it. */
    async forgetOwnName(): Promise<void> {
      await local.remove(ownNameKey);
    },

    /**
     * Writes this workstation's record when its name is known and the record
     * does not already hold it, so unlocking again writes (and replicates)
     * nothing new. A damaged record is replaced: only this workstation writes it.
     */
    async publishOwn(session: Session): Promise<void> {
      const name = await ownName();
      if (name === undefined) return;
      const id = workstationRecordId(session.workstationId);
      const doc = await db.records.findOne({ selector: { id, type: 'workstation' } }).exec();
      if (doc && !doc.deleted && (await nameIn(session, doc.toMutableJSON())) === name) return;
      const record = await sealRecord(
        session.dataKey,
        { id, type: 'workstation', clinicId: session.clinicId, subject: '', updatedAt: now(), hlc: options.clock.tick(), deleted: false },
        { name },
      );
      await db.records.upsert(record);
    },

    /** Names by workstation id (the node of a clock value), for every workstation whose record arrived and opens. */
    async names(session: Session): Promise<Record<string, string>> {
      const names: Record<string, string> = {};
      for (const doc of await db.records.find({ selector: { type: 'workstation', deleted: false } }).exec()) {
        const workstationId = workstationIdOfRecord(doc.id);
        const name = workstationId === undefined ? undefined : await nameIn(session, doc.toMutableJSON());
        if (workstationId !== undefined && name !== undefined) names[workstationId] = name;
      }
      return names;
    },
  };
}
